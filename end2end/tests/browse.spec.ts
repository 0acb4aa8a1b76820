import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, interactiveSearch, shots, watchForErrors } from "./helpers";

test("front page > unit > objective > key result chart", async ({ page }) => {
  const errors = watchForErrors(page);
  await page.goto("/");
  await interactiveSearch(page);
  // Navigation stays in this document (the islands router patches the page): a
  // value set on window now survives every click below.
  await page.evaluate(() => ((window as unknown as { journey: number }).journey = 42));
  // The organisation's unit page, from the front page's eyebrow link.
  await page.locator(".page-head .eyebrow a").click();
  await expect(page.getByRole("navigation", { name: "You are here" })).toBeVisible();
  // Down to a department, which has objectives of its own.
  await page.locator("#sub-units ~ ul a").first().click();
  await expect(page.locator(".eyebrow")).toHaveText("Department");
  const objective = page.locator("article.objective-card h3 a").first();
  const title = (await objective.textContent())!.trim();
  await objective.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);

  // Every key result has a chart with the expected pace and its check-ins.
  const first = page.locator("article.kr-detail").first();
  await expect(first.locator("svg.chart")).toBeVisible();
  await expect(first.locator("polyline.chart-expected")).toHaveAttribute("points", /\d/);
  await expect(first.locator("circle.chart-point").first()).toBeAttached();
  await expect(first.locator("details.history tbody tr").first()).toBeAttached();
  // The objective's own chart, its place in the cascade, and the work and talk around it.
  await expect(page.locator(".summary svg.chart")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Cascade" })).toBeVisible();
  await expect(page.locator(".description")).not.toBeEmpty();
  await expect(page.getByRole("region", { name: "Initiatives" }).getByRole("listitem").first()).toBeVisible();
  await expect(page.getByRole("region", { name: "Conversation" }).getByRole("listitem").first()).toBeVisible();
  // Up the cascade: the parent objective is one click away.
  await page.getByRole("region", { name: "Cascade" }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1 })).not.toHaveText(title);
  expect(await page.evaluate(() => (window as unknown as { journey?: number }).journey)).toBe(42);
  expect(errors).toEqual([]);
});

test("hovering or focusing a figure explains it", async ({ page }) => {
  await page.goto("/");
  const figure = page.locator("article.objective-card .meter-figure").first();
  const tip = page.locator("article.objective-card .explain").first();
  await expect(tip).toBeHidden();
  await figure.focus();
  await expect(tip).toBeVisible();
  await expect(tip).toContainText("Weighted average");
  await expect(tip.locator(".explain-inputs li").first()).toBeVisible();
  // A key result's figure tells its last check-in.
  const krFigure = page.locator("li.key-result .meter-figure").first();
  await krFigure.focus();
  await expect(page.locator("li.key-result .explain").first()).toContainText("Last check-in");
});

test("search finds an objective by a word of its title", async ({ page }) => {
  await page.goto("/");
  const title = (await page.locator("article.objective-card h3 a").first().textContent())!.trim();
  // A word of the title that finds it among the first suggestions: chosen by
  // asking the search itself, so the test holds whatever the demo generated.
  const words = title.split(/\s+/);
  const pairs = words.slice(1).map((w, i) => `${words[i]} ${w}`);
  const candidates = [
    ...words.filter((w) => w.length >= 5).sort((a, b) => b.length - a.length),
    ...pairs.filter((p) => p.length >= 8),
  ];
  let word: string | undefined;
  for (const candidate of candidates) {
    const answer = await page.request.post("/api/search", { form: { query: candidate.slice(0, -1) } });
    const hits = (await answer.json()) as { title: string }[];
    if (hits.slice(0, 8).some((hit) => hit.title === title)) {
      word = candidate;
      break;
    }
  }
  expect(word, `a word of "${title}" that finds it`).toBeDefined();
  const box = await interactiveSearch(page);
  await box.pressSequentially(word!.slice(0, -1), { delay: 40 });
  const hit = page.locator("#search-suggestions [role=option]", { hasText: title }).first();
  await expect(hit).toBeVisible();
  await hit.locator("a").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
});

test("search works without JavaScript too", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/");
  const title = (await page.locator("article.objective-card h3 a").first().textContent())!.trim();
  const box = page.getByRole("search").getByRole("combobox");
  // The whole title: whatever else shares its words, it finds this one.
  await box.fill(title);
  await box.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=/);
  await expect(page.locator(".search-results a", { hasText: title }).first()).toBeVisible();
  await context.close();
});

test("the period switcher shows another quarter", async ({ page }) => {
  await page.goto("/");
  const current = await page.locator("#period option:checked").textContent();
  const options = await page.locator("#period option").allTextContents();
  const other = options.map((o) => o.trim()).find((o) => /Q\d/.test(o) && o !== current?.trim())!;
  await page.locator("#period").selectOption({ label: options.find((o) => o.trim() === other)! });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/period=\d+/);
  await expect(page.getByRole("heading", { level: 2, name: new RegExp(other) })).toBeVisible();
});

async function snapshot(page: Page, name: string) {
  await expectAccessible(page);
  // Nothing sticks out sideways: the page never scrolls horizontally, at any width.
  const overflowing = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll("main *")]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
      .slice(0, 5);
  });
  expect(overflowing).toEqual([]);
  // The pointer rests where the last click was; away from any figure, no tooltip shows.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

for (const [lang, locale] of [["en", "en-GB"], ["nl", "nl-NL"]] as const) {
  for (const [device, width] of [["desktop", 1280], ["phone", 375]] as const) {
    test(`pages are accessible and look right: ${lang}, ${device}`, async ({ browser }) => {
      const context = await browser.newContext({ locale, viewport: { width, height: 900 } });
      const page = await context.newPage();
      await page.goto("/");
      await snapshot(page, `front-${lang}-${device}`);
      await page.locator(".page-head .eyebrow a").click();
      await expect(page.locator("nav.breadcrumbs")).toBeVisible();
      await snapshot(page, `unit-${lang}-${device}`);
      await page.locator("article.objective-card h3 a").first().click();
      await expect(page.locator("article.kr-detail").first()).toBeVisible();
      await snapshot(page, `objective-${lang}-${device}`);
      // The first key result's owner: their OKRs and what they checked in lately.
      const owner = page.locator("article.kr-detail .attention-meta a").first();
      const name = (await owner.textContent())!.trim();
      await owner.click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
      await expect(page.locator("#recent-check-ins ~ * li").first()).toBeVisible();
      await snapshot(page, `person-${lang}-${device}`);
      await context.close();
    });
  }
}
