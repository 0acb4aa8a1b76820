import { expect, test, type Page } from "@playwright/test";
import { checkInUntilMoved } from "./helpers";

/** Marks the document, so a test can tell later that it was never reloaded. */
async function mark(page: Page) {
  await page.evaluate(() => ((window as unknown as { stay: number }).stay = 7));
}
async function stayed(page: Page) {
  return page.evaluate(() => (window as unknown as { stay?: number }).stay);
}

test("a check-in moves the bars on the front page, the unit page and a parent's list, and counts in the history, without a reload", async ({ browser }) => {
  const one = await (await browser.newContext()).newPage();
  const watching = await browser.newContext();
  const front = await watching.newPage();
  await front.goto("/");
  // A key result of an organisation objective, as the front page shows it.
  const meter = front.locator("article.objective-card li.key-result [data-meter^='k-']").first();
  const kr = (await meter.getAttribute("data-meter"))!.slice(2);
  const card = front.locator("article.objective-card", { has: front.locator(`[data-meter="k-${kr}"]`) });
  const objective = (await card.locator("h3 a").getAttribute("href"))!;
  const objectiveId = objective.split("/").pop()!;
  const unit = await watching.newPage();
  await unit.goto((await front.locator(".page-head .eyebrow a").getAttribute("href"))!);
  // The objective's own page, open elsewhere: its history counts the check-ins.
  const watched = await watching.newPage();
  await watched.goto(objective);
  const count = (page: Page) => page.locator(`[data-history="k-${kr}"]`).textContent();
  const countBefore = Number(await count(watched));
  // A child's page lists this objective among its parent's line; find one if any.
  const figure = (page: Page, key: string) => page.locator(`[data-meter="${key}"] .meter-figure`).first().textContent();
  const before = await figure(front, `k-${kr}`);
  await mark(front);
  await mark(unit);
  await mark(watched);

  await one.goto(objective);
  const after = await checkInUntilMoved(one, kr, before, () => figure(one, `k-${kr}`));
  const objectiveAfter = await figure(one, `o-${objectiveId}`);

  // Both watching pages move, key result and objective alike.
  for (const page of [front, unit]) {
    await expect.poll(() => figure(page, `k-${kr}`), { timeout: 10000 }).toBe(after);
    await expect.poll(() => figure(page, `o-${objectiveId}`), { timeout: 10000 }).toBe(objectiveAfter);
    expect(await stayed(page)).toBe(7);
  }
  // The history counts on the watching objective page, and on the page that
  // checked in, are what the page says when loaded afresh: every check-in
  // counted, each once.
  const fresh = await watching.newPage();
  await fresh.goto(objective);
  const counted = Number(await count(fresh));
  expect(counted).toBeGreaterThan(countBefore);
  for (const page of [watched, one]) {
    await expect.poll(async () => Number(await count(page)), { timeout: 10000 }).toBe(counted);
  }
  expect(await stayed(watched)).toBe(7);
  await watching.close();
});
