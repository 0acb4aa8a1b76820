import { expect, test, type Locator, type Page } from "@playwright/test";
import { checkInUntilMoved, expectAccessible, shots, watchForErrors } from "./helpers";

// These journeys change the demo data (moves, check-ins), so they run last. A tall
// window keeps the rows a drag goes between on screen at once.
const tall = { width: 1280, height: 1400 };

/** The tree page, once its island has hydrated and the event stream is open. */
async function openTree(page: Page, path = "/tree") {
  await page.goto(path);
  await expect(page.locator(".cascade")).toHaveAttribute("data-ready", "");
  await expect(page.locator(".live-state")).toHaveText("Live");
}

const row = (page: Page, id: string | number) => page.locator(`li.tree-row[data-objective="${id}"]`);
const levelOf = async (r: Locator) => Number(await r.getAttribute("aria-level"));

/** Drags an objective's handle to a point of a target, with the mouse. */
async function drag(page: Page, from: Locator, to: Locator, where: "onto" | "before" | "after" = "onto") {
  const handle = from.locator(".handle");
  const a = (await handle.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + 20, a.y + 20, { steps: 4 });
  const b = (await to.boundingBox())!;
  const y = where === "onto" ? b.y + b.height / 2 : where === "before" ? b.y + 4 : b.y + b.height - 4;
  await page.mouse.move(b.x + b.width / 3, y, { steps: 8 });
  await page.mouse.up();
}

type Node = { id: string; period: number; title: string; parent: number; position: number };
type Cascade = { quarter: number; years: Set<number>; nodes: Node[] };

/** The current period's cascade as the server sends it, to choose what a journey
 * works on by its properties (a year objective with a quarter objective under it),
 * never by where it happens to stand on the page. */
async function cascade(page: Page): Promise<Cascade> {
  const answer = await page.request.post("/api/tree", { form: {} });
  expect(answer.ok()).toBe(true);
  const body = await answer.json();
  const years = new Set<number>(
    body.context.options.filter((o: { kind: string }) => o.kind === "year").map((o: { id: number }) => o.id),
  );
  // Objectives travel as arrays: id, period, title, owner, progress, weight,
  // parent (an objective's id, minus a key result's, or 0), position, version.
  const nodes = body.data.objectives.map((n: unknown[]) => ({
    id: String(n[0]),
    period: n[1] as number,
    title: n[2] as string,
    parent: n[6] as number,
    position: n[7] as number,
  }));
  return { quarter: body.data.period, years, nodes };
}

/** Top-level objectives of a year, in the order the tree shows them. */
function yearRoots(c: Cascade): Node[] {
  return c.nodes
    .filter((n) => n.parent === 0 && c.years.has(n.period))
    .sort((a, b) => a.position - b.position || Number(a.id) - Number(b.id));
}

/** The quarter's objectives aligned straight to `parent`. */
function quarterChildren(c: Cascade, parent: Node): Node[] {
  return c.nodes.filter((n) => n.parent === Number(parent.id) && n.period === c.quarter);
}

/** The objective row above `r` with a lower level: its parent in the tree. */
async function parentRow(page: Page, id: string): Promise<string | null> {
  return page.evaluate((id) => {
    const me = document.querySelector(`li.tree-row[data-objective="${id}"]`);
    if (!me) return null;
    const level = Number(me.getAttribute("aria-level"));
    let at = me.previousElementSibling;
    while (at) {
      if (at.classList.contains("objective") && Number(at.getAttribute("aria-level")) < level) {
        return at.getAttribute("data-objective");
      }
      at = at.previousElementSibling;
    }
    return null;
  }, id);
}

test("the cascade: levels, focus, search, owner filter and a shareable address", async ({ page }) => {
  const errors = watchForErrors(page);
  await openTree(page);
  const roots = page.locator('li.tree-row.objective[aria-level="1"]');
  await expect(roots.first()).toBeVisible();
  // The top two levels show; the third opens on demand.
  const second = page.locator('li.tree-row.objective[aria-level="2"][aria-expanded="false"]').first();
  await expect(second).toBeVisible();
  const id = (await second.getAttribute("data-objective"))!;
  const before = await page.locator("li.tree-row").count();
  await second.getByRole("button", { name: /^Expand/ }).click();
  await expect(row(page, id)).toHaveAttribute("aria-expanded", "true");
  expect(await page.locator("li.tree-row").count()).toBeGreaterThan(before);
  await expect(page).toHaveURL(new RegExp(`open=[0-9,]*\\b${id}\\b`));

  // Arrow keys: down to the next row, left closes an objective, right opens it.
  // The root is one with something aligned to it (open by default): any other
  // has nothing to close or open.
  const parent = page.locator('li.tree-row.objective[aria-level="1"][aria-expanded="true"]').first();
  const parentId = (await parent.getAttribute("data-objective"))!;
  const parentRow = row(page, parentId);
  const parentTitle = parentRow.locator(".node-title");
  await parentTitle.focus();
  const next = parentRow.locator("xpath=following-sibling::li[contains(@class, 'tree-row')][1]");
  await page.keyboard.press("ArrowDown");
  await expect(next.locator(".node-title")).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await expect(parentTitle).toBeFocused();
  await page.keyboard.press("ArrowLeft");
  await expect(parentRow).toHaveAttribute("aria-expanded", "false");
  // The row is drawn anew, and the keyboard stays on it.
  await expect(parentTitle).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(parentRow).toHaveAttribute("aria-expanded", "true");

  // Search: hits are marked, the way to them opens.
  const title = (await row(page, id).locator(".node-title").textContent())!.trim();
  const word = title.split(/\s+/).filter((w) => w.length >= 5).pop()!;
  await page.getByPlaceholder("Find in the tree").fill(word);
  await expect(page.locator(".tree-hits")).toHaveText(/[1-9]\d* matches/);
  await expect(page.locator("li.tree-row.hit mark").first()).toHaveText(new RegExp(word, "i"));
  await expect(page).toHaveURL(/q=/);
  // The address reproduces the view.
  const shared = page.url();
  await page.goto(shared);
  await expect(page.locator(".cascade")).toHaveAttribute("data-ready", "");
  await expect(page.getByPlaceholder("Find in the tree")).toHaveValue(word);
  await expect(page.locator("li.tree-row.hit").first()).toBeVisible();
  await page.getByRole("button", { name: "Clear" }).click();
  await expect(page.locator(".tree-hits")).toBeEmpty();

  // Owner filter: only that owner's objectives are hits.
  const owner = (await page.locator("li.tree-row .node-owner").first().textContent())!.trim();
  const filter = page.getByPlaceholder("Filter by unit or person");
  await filter.fill(owner);
  await filter.press("Enter");
  await filter.blur();
  await expect(page).toHaveURL(/owner=/);
  for (const hit of await page.locator("li.tree-row.objective.hit .node-owner").all()) {
    await expect(hit).toHaveText(owner);
  }
  await page.getByRole("button", { name: "Clear" }).click();

  // Focus on a sub-tree, and back.
  await row(page, id).getByRole("button", { name: "Focus" }).click();
  await expect(page.locator(".tree-focus")).toContainText(title);
  await expect(page.locator('li.tree-row.objective[aria-level="1"]')).toHaveCount(1);
  await expect(page).toHaveURL(new RegExp(`focus=${id}`));
  await page.getByRole("button", { name: "Show the whole tree" }).click();
  await expect(page.locator(".tree-focus")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("dragging re-aligns, reorders and detaches; refused moves snap back", async ({ page }) => {
  await page.setViewportSize(tall);
  const errors = watchForErrors(page);
  await openTree(page);
  // Two year objectives at the top; under the first, a quarter objective.
  const data = await cascade(page);
  const roots = yearRoots(data);
  const first = roots.find((r) => quarterChildren(data, r).length > 0);
  expect(first, "a year objective with a quarter objective under it").toBeDefined();
  const second = roots.find((r) => r.id !== first!.id);
  expect(second, "another year objective").toBeDefined();
  const [r1, r2] = [first!.id, second!.id];
  const moved = quarterChildren(data, first!)[0].id;
  await row(page, moved).scrollIntoViewIfNeeded();
  expect(await parentRow(page, moved)).toBe(r1);
  await drag(page, row(page, moved), row(page, r2));
  await expect(page.locator(".tree-message")).toContainText("Moved");
  await expect.poll(() => parentRow(page, moved)).toBe(r2);
  // It is stored: a fresh load shows it there.
  await page.reload();
  await expect(page.locator(".cascade")).toHaveAttribute("data-ready", "");
  await expect.poll(() => parentRow(page, moved)).toBe(r2);

  // Reorder: before the first of its new siblings.
  const siblings = page.locator(`li.tree-row.objective[aria-level="2"]`);
  const ids = await siblings.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-objective")));
  const firstUnderR2 = await page.evaluate((r2) => {
    const rows = [...document.querySelectorAll("li.tree-row.objective")];
    const at = rows.findIndex((r) => r.getAttribute("data-objective") === r2);
    const next = rows.slice(at + 1).find((r) => r.getAttribute("aria-level") === "2");
    return next?.getAttribute("data-objective") ?? null;
  }, r2);
  expect(ids).toContain(moved);
  if (firstUnderR2 && firstUnderR2 !== moved) {
    await drag(page, row(page, moved), row(page, firstUnderR2), "before");
    await expect.poll(() =>
      page.evaluate(([r2, moved]) => {
        const rows = [...document.querySelectorAll("li.tree-row.objective")];
        const at = rows.findIndex((r) => r.getAttribute("data-objective") === r2);
        return rows.slice(at + 1).find((r) => r.getAttribute("aria-level") === "2")?.getAttribute("data-objective");
      }, [r2, moved]),
    ).toBe(moved);
  }

  // A loop is refused at once: a root onto its own child (the one just moved).
  const ownChild = moved;
  await drag(page, row(page, r2), row(page, ownChild));
  await expect(page.locator(".tree-message.refused")).toContainText("loop");
  await expect(row(page, r2)).toHaveAttribute("aria-level", "1");

  // The server refuses a year objective under a quarter objective; the node snaps back.
  await drag(page, row(page, r1), row(page, moved));
  await expect(page.locator(".tree-message.refused")).toContainText("period");
  await expect(row(page, r1)).toHaveAttribute("aria-level", "1");

  // Detach: to the top area.
  await drag(page, row(page, moved), page.locator(".drop-top"));
  await expect(page.locator(".tree-message")).toContainText("Moved");
  await expect(row(page, moved)).toHaveAttribute("aria-level", "1");
  await page.screenshot({ path: `${shots}/tree-after-moves.png`, fullPage: false });
  // The refused move is answered 422 (the browser logs it); nothing else went wrong.
  expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
});

test("the keyboard way: Move to… re-aligns without dragging", async ({ page }) => {
  await openTree(page);
  // A year objective to align to, and a quarter objective under another one.
  const data = await cascade(page);
  const roots = yearRoots(data);
  const from = roots.find((r) => quarterChildren(data, r).length > 0);
  expect(from, "a year objective with a quarter objective under it").toBeDefined();
  const to = roots.find((r) => r.id !== from!.id);
  expect(to, "another year objective").toBeDefined();
  const target = to!.id;
  const targetTitle = to!.title;
  const id = quarterChildren(data, from!)[0].id;
  await row(page, id).scrollIntoViewIfNeeded();
  const child = row(page, id);
  await child.getByRole("button", { name: /^Move/ }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("searchbox")).toBeFocused();
  await page.keyboard.type(targetTitle.slice(0, 12));
  await dialog.getByRole("button", { name: targetTitle }).first().click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator(".tree-message")).toContainText("Moved");
  await expect.poll(() => parentRow(page, id)).toBe(target);
  // Focus returns to the row's Move button.
  await expect(row(page, id).getByRole("button", { name: /^Move/ })).toBeFocused();
  await page.keyboard.press("Enter");
  // Arrow keys walk from the search field into the list; Tab never leaves the dialog.
  const again = page.getByRole("dialog");
  await expect(again.getByRole("searchbox")).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(again.locator(".picker-options button").first()).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await expect(again.getByRole("searchbox")).toBeFocused();
  const first = again.locator("button:not([disabled]), input").first();
  await first.focus();
  await page.keyboard.press("Shift+Tab");
  await expect(again.locator(".picker-cancel")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(first).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // The move can be taken back for a while: "Undo" puts it where it was.
  await page.locator(".tree-message").getByRole("button", { name: "Undo" }).click();
  await expect(page.locator(".tree-message")).toContainText("back");
  await expect.poll(() => parentRow(page, id)).toBe(from!.id);
  await expect(page.locator(".tree-message").getByRole("button", { name: "Undo" })).toHaveCount(0);
});

test("the tree is one Tab stop: Tab enters on a row, the arrows move the stop, Tab leaves", async ({ page }) => {
  await openTree(page);
  const tree = page.getByRole("tree");
  // In the Tab order: only the controls of one row, the first, title first.
  const tabbable = tree.locator('[tabindex="0"]');
  const rowsWithStop = async () =>
    tabbable.evaluateAll((els) => [...new Set(els.map((e) => e.closest("li.tree-row")!.getAttribute("data-objective")))]);
  const firstRow = tree.locator("li.tree-row").first();
  const firstId = await firstRow.getAttribute("data-objective");
  expect(await rowsWithStop()).toEqual([firstId]);
  // Every other row's links are out of it, yet there to click.
  expect(await tree.locator('a.node-title[tabindex="-1"]').count()).toBeGreaterThan(0);

  // Tab from the toolbar's last button lands on the first row's title.
  await page.locator(".tree-toolbar button").last().focus();
  await page.keyboard.press("Tab");
  await expect(firstRow.locator(".node-title")).toBeFocused();

  // Down to the next row: the stop goes along; its own controls follow on Tab,
  // then the keyboard leaves the tree rather than visiting every row.
  await page.keyboard.press("ArrowDown");
  const second = tree.locator("li.tree-row").nth(1);
  await expect(second.locator(".node-title")).toBeFocused();
  await expect.poll(async () => (await rowsWithStop()).length).toBe(1);
  const own = await second.locator('[tabindex="0"]').count();
  expect(own).toBeGreaterThan(0);
  for (let i = 1; i < own; i++) {
    await page.keyboard.press("Tab");
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest("li.tree-row") !== null)).toBe(true);
  }
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.closest('[role="tree"]') === null)).toBe(true);
  // Shift+Tab comes back to the row the keyboard was on.
  for (let i = 0; i < own; i++) await page.keyboard.press("Shift+Tab");
  await expect(second.locator(".node-title")).toBeFocused();
});

test("a check-in and a drag in one browser appear in another without a reload", async ({ browser }) => {
  const one = await (await browser.newContext({ viewport: tall })).newPage();
  const two = await (await browser.newContext({ viewport: tall })).newPage();
  await openTree(two);
  await two.evaluate(() => ((window as unknown as { stay: number }).stay = 7));

  // A key result, as the second browser sees it.
  const krRow = two.locator("li.tree-row.key-result").first();
  const kr = (await krRow.getAttribute("data-key-result"))!;
  const objective = await krRow.locator(".node-title").getAttribute("href");
  const shown = () => two.locator(`li.tree-row[data-key-result="${kr}"] [role=progressbar]`).getAttribute("aria-valuenow");
  const before = await shown();

  // The first browser checks in on that key result from its page.
  await one.goto(objective!);
  // Saving moves the bar in place, without a reload.
  const after = await checkInUntilMoved(one, kr, before, () =>
    one.locator(`#kr-${kr} [role=progressbar]`).first().getAttribute("aria-valuenow"),
  );
  await expect.poll(shown, { timeout: 5000 }).toBe(after);

  // A drag in the first browser's tree moves the node in the second's.
  await openTree(one);
  const data = await cascade(one);
  const roots = yearRoots(data);
  const from = roots.find((r) => quarterChildren(data, r).length > 0);
  expect(from, "a year objective with a quarter objective under it").toBeDefined();
  const moving = quarterChildren(data, from!)[0].id;
  const newParent = roots.find((r) => r.id !== from!.id)!.id;
  await row(one, moving).scrollIntoViewIfNeeded();
  await drag(one, row(one, moving), row(one, newParent));
  await expect(one.locator(".tree-message")).toContainText("Moved");
  await expect.poll(() => parentRow(two, moving), { timeout: 5000 }).toBe(newParent);
  // Still the same document: nothing reloaded.
  expect(await two.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(7);
});

for (const [lang, width] of [["en", 1280], ["nl", 1280], ["en", 375], ["nl", 375]] as const) {
  test(`the tree and the one-page plan look right (${lang}, ${width} px)`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`/language/${lang}?to=%2Ftree`);
    await expect(page.locator(".cascade")).toHaveAttribute("data-ready", "");
    await page.mouse.move(0, 0);
    await expectAccessible(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${shots}/tree-${lang}-${width}.png` });
    await page.locator(".plan-link").click();
    await expect(page.locator(".plan")).toBeVisible();
    await expectAccessible(page);
    const planOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(planOverflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${shots}/plan-${lang}-${width}.png`, fullPage: true });
  });
}
