import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, findTeam, ready, shots, signIn, signedOut, watchForErrors } from "./helpers";

/** Writes an objective with one key result in the editor, for `team` (else for
 * the signed-in person), aligned to the parent option that `parent` picks.
 * Returns the objective page's path and the parent's title. */
async function write(page: Page, title: string, team: string | null, parent: (labels: string[]) => number) {
  await page.goto("/objectives/new");
  let editor = await ready(page.locator("form.editor"));
  if (team) {
    await page.getByLabel("Whose objective").selectOption({ label: team });
    await page.getByRole("button", { name: "Change" }).click();
    await expect(page.locator(".editor-for")).toContainText(team);
    editor = await ready(page.locator("form.editor"));
  }
  await page.getByLabel("Objective", { exact: true }).fill(title);
  const options = page.locator("#ed-parent option[value^='objective:']");
  const labels = await options.allTextContents();
  const chosen = parent(labels);
  expect(chosen, `a parent among ${labels.join(" | ")}`).toBeGreaterThanOrEqual(0);
  await page.locator("#ed-parent").selectOption((await options.nth(chosen).getAttribute("value"))!);
  await editor.getByRole("button", { name: "Add a key result" }).click();
  const kr = editor.locator("li.editor-kr").first();
  await kr.getByLabel("Key result").fill("Applications handled within 8 weeks");
  await kr.getByLabel("Start").fill("40");
  await kr.getByLabel("Target").fill("90");
  await editor.getByRole("button", { name: "Save objective" }).click();
  await expect(page).toHaveURL(/\/objectives\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  return { path: new URL(page.url()).pathname, parent: labels[chosen].split(" · ")[0].trim() };
}

test("an owner deletes an objective: what goes with it is said, and what aligned to it moves up", async ({ browser }) => {
  const { name, lead, url: teamPage } = await findTeam(browser);
  const context = await browser.newContext({ storageState: signedOut });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, lead);

  const stamp = Date.now() % 100000;
  const middle = `Permits in half the time ${stamp}`;
  const child = `Digital permit applications ${stamp}`;
  const written = await write(page, middle, name, () => 0);
  const top = written.parent;
  const mine = await write(page, child, null, (labels) => labels.findIndex((l) => l.startsWith(middle)));
  expect(mine.parent).toBe(middle);

  // The objective page offers deleting to its owner; the page says what goes with it.
  await page.goto(written.path);
  await page.getByRole("link", { name: "Delete", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Delete “${middle}”?`);
  await expect(page.locator(".page-head .lead")).toHaveText(
    "Deleted with it: its key results (1), their check-ins (0) and its comments (0). This cannot be undone; the audit trail keeps a record of it.",
  );
  const form = page.locator("form.delete-form");
  await expect(form).toContainText("Aligned to it or to its key results (1); they stay:");
  await expect(form.locator(".delete-list")).toHaveText(child);
  const up = form.getByLabel(`Align them to what this objective is aligned to: ${top}`);
  await expect(up).toBeChecked();
  await expect(form.getByLabel("Leave them aligned to nothing: each heads its own tree")).not.toBeChecked();
  await expectAccessible(page);
  await page.screenshot({ path: `${shots}/delete-objective-en-1280.png`, fullPage: true });

  // Deleted: its owner's page, without it; the child now aligns to the top objective.
  await form.getByRole("button", { name: "Delete objective" }).click();
  await expect(page).toHaveURL(new RegExp(`${teamPage}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByRole("link", { name: middle })).toHaveCount(0);
  await page.goto(mine.path);
  const cascade = page.getByRole("region", { name: "Cascade" });
  await expect(cascade.locator(".plain-list").first()).toContainText(top);

  // The child can be deleted too, left with nothing aligned to it.
  await page.getByRole("link", { name: "Delete", exact: true }).click();
  await expect(page.locator("form.delete-form")).toContainText("Nothing is aligned to it.");
  await page.getByRole("button", { name: "Delete objective" }).click();
  await expect(page).toHaveURL(/\/people\/\d+$/);
  await expect(page.getByRole("link", { name: child })).toHaveCount(0);
  expect(errors).toEqual([]);
  await context.close();
});

test("a member is not offered deleting, and the server refuses a forged deletion", async ({ browser }) => {
  const { member } = await findTeam(browser);
  const context = await browser.newContext({ storageState: signedOut });
  const page = await context.newPage();
  await signIn(page, member, "/");
  // An organisation objective: the member may read it, not delete it.
  await page.locator("article.objective-card h3 a").first().click();
  await expect(page).toHaveURL(/\/objectives\/\d+$/);
  const path = new URL(page.url()).pathname;
  await expect(page.getByRole("link", { name: "Delete", exact: true })).toHaveCount(0);
  await page.goto(`${path}/delete`);
  await expect(page.locator("form.delete-form")).toHaveCount(0);
  const forged = await page.request.post(`${path}/delete`, {
    form: { version: "1", children: "unaligned" },
    maxRedirects: 0,
  });
  // Refused before anything is stored: sent back to the delete page with the reason
  // (303), or refused outright for coming from elsewhere (403).
  expect([303, 403]).toContain(forged.status());
  await page.goto(path);
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await expect(page.getByRole("heading", { level: 1 })).not.toBeEmpty();
  await context.close();
});
