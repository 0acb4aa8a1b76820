import { expect, test } from "@playwright/test";
import { expectAccessible, shots, watchForErrors } from "./helpers";

// Runs last: it moves the running quarter on to grading and closes it.
test("the quarter moves to grading, objectives are graded and carried forward, then it closes", async ({ page }) => {
  const errors = watchForErrors(page);
  await page.goto("/periods");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Periods");
  const running = page.locator("table.periods tbody tr", { has: page.locator(".tag.state-active") }).filter({
    hasText: /Q\d/,
  });
  const name = (await running.first().locator("th").textContent())!.trim();
  const row = page.locator("table.periods tbody tr", { hasText: name });
  await row.getByRole("button", { name: "Move to grading" }).click();
  await expect(row.locator(".tag")).toHaveText("grading");

  // Grade the front page's first objective (the admin may grade anything).
  await page.goto("/");
  await page.locator("article.objective-card h3 a").first().click();
  await expect(page).toHaveURL(/\/objectives\/\d+$/);
  const objective = new URL(page.url()).pathname;
  await page.getByRole("link", { name: "Grade" }).click();
  await expect(page).toHaveURL(/\/grade$/);
  const sheet = page.locator("form.grade-sheet");
  const first = sheet.locator("li.grade-line").first();
  const grade = first.getByLabel("Grade (0.0–1.0)");
  const suggested = Number((await grade.inputValue()).replace(",", "."));
  const other = suggested >= 0.5 ? "0.1" : "0.9";
  await grade.fill(other);
  await sheet.getByRole("button", { name: "Save grades" }).click();
  await expect(first.locator(".field-error", { hasText: "say why" })).toBeVisible();
  await first.getByLabel("Why this grade?").fill("Landed after the cut-off, counted as done.");
  await page.getByLabel(/Retrospective/).fill("Start the migration earlier next time.");
  await sheet.getByRole("button", { name: "Save grades" }).click();
  await expect(sheet.locator(".form-status")).toHaveText("Saved.");
  const total = (await sheet.locator(".grade-value").textContent())!.trim();
  expect(Number(total)).toBeGreaterThanOrEqual(0);
  await expectAccessible(page);
  await page.screenshot({ path: `${shots}/grading-en-1280.png`, fullPage: true });

  await page.goto(objective);
  await expect(page.locator(".grade-result strong")).toHaveText(total);
  await expect(page.locator("blockquote.retrospective")).toHaveText("Start the migration earlier next time.");

  // Carry the unfinished work into a later quarter, as a draft to edit.
  await page.getByRole("link", { name: "Grade" }).click();
  const carry = page.locator("form.carry-forward");
  if (await carry.count()) {
    await carry.getByRole("button", { name: "Carry forward" }).click();
    await expect(page).toHaveURL(/\/objectives\/\d+\/edit$/);
    await expect(page.getByLabel("State")).toHaveValue("draft");
  }

  // The summary shows how the quarter went.
  await page.goto("/periods");
  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.locator("table.grade-distribution tbody tr").first()).toBeVisible();
  await expect(page.locator("#committed-hit-rate")).not.toBeEmpty();
  await expectAccessible(page);
  await page.screenshot({ path: `${shots}/summary-en-1280.png`, fullPage: true });

  // Closed: nobody changes it any more, but an admin may still correct a grade.
  await page.goto("/periods");
  await page.locator("table.periods tbody tr", { hasText: name }).getByRole("button", { name: "Move to closed" }).click();
  await expect(page.locator("table.periods tbody tr", { hasText: name }).locator(".tag")).toHaveText("closed");
  await page.goto(`${objective}/grade`);
  await expect(page.locator(".page-head .lead")).toContainText("As an admin you may correct");
  await page.locator("li.grade-line").first().getByLabel("Grade (0.0–1.0)").fill(other === "0.1" ? "0.2" : "0.8");
  await page.getByRole("button", { name: "Save grades" }).click();
  await expect(page.locator("form.grade-sheet .form-status")).toHaveText("Saved.");
  await page.goto(objective);
  await expect(page.locator("details.check-in")).toHaveCount(0);
  await expect(page.locator("a.edit-link")).toHaveCount(0);
  expect(errors).toEqual([]);
});
