import { expect, test } from "@playwright/test";
import { expectAccessible, ready, shots, watchForErrors } from "./helpers";

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
  const sheet = await ready(page.locator("form.grade-sheet"));
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
  // Filled once the sheet is hydrated, or hydration could put the stored grade back.
  const correction = await ready(page.locator("form.grade-sheet"));
  await correction.locator("li.grade-line").first().getByLabel("Grade (0.0–1.0)").fill(other === "0.1" ? "0.2" : "0.8");
  await correction.getByRole("button", { name: "Save grades" }).click();
  await expect(correction.locator(".form-status")).toHaveText("Saved.");
  await page.goto(objective);
  await expect(page.locator("details.check-in")).toHaveCount(0);
  await expect(page.locator("a.edit-link")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("an admin adds a person who signs in with a link, sets a password and joins the conversation", async ({ page, browser }) => {
  const errors = watchForErrors(page);
  await page.goto("/admin/people");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("People");
  const form = page.locator("form#add-person");
  await form.getByLabel("Name").fill("Femke Nieuw");
  await form.getByLabel("Email address").fill("femke@example.org");
  await form.getByLabel("Unit").selectOption({ index: 2 });
  await form.getByRole("button", { name: "Add person" }).click();
  const link = page.locator("#new-link a");
  await expect(link).toBeVisible();
  const path = (await link.getAttribute("href"))!;
  await expectAccessible(page);
  await page.screenshot({ path: `${shots}/admin-people-en-1280.png` });

  // The new person follows the link, chooses a password, and signs in with it later.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const newcomer = await context.newPage();
  await newcomer.goto(path);
  await newcomer.getByRole("button", { name: "Sign in" }).click();
  await expect(newcomer).toHaveURL(/\/account\?welcome=1/);
  await newcomer.getByLabel("New password", { exact: true }).fill("a long new password");
  await newcomer.getByLabel("New password again").fill("a long new password");
  await newcomer.getByRole("button", { name: "Save password" }).click();
  await expect(newcomer.locator("#password-done")).toBeVisible();
  await newcomer.getByRole("button", { name: "Sign out" }).click();
  // The link is used up.
  await newcomer.goto(path);
  await newcomer.getByRole("button", { name: "Sign in" }).click();
  await expect(newcomer.getByRole("alert")).toContainText("used up or has expired");
  await newcomer.locator("#sign-in-email").fill("femke@example.org");
  await newcomer.locator("#sign-in-password").fill("a long new password");
  await newcomer.locator("form.auth-form button[type=submit]").click();
  await expect(newcomer).toHaveURL(/\/$/);

  // Anyone signed in joins the conversation: Markdown, safely, with a mention.
  await newcomer.locator("article.objective-card h3 a").first().click();
  await newcomer.getByLabel("Add to the conversation").fill("**Welcome** to the team, @femke <script>window.bad = 1</script>");
  await newcomer.getByRole("button", { name: "Post comment" }).click();
  const comment = newcomer.locator(".comment-list li").last();
  await expect(comment.locator("strong")).toHaveText("Welcome");
  await expect(comment.getByRole("link", { name: "@Femke Nieuw" })).toBeVisible();
  expect(await newcomer.evaluate(() => (window as unknown as { bad?: number }).bad)).toBeUndefined();
  // The admin's audit trail shows who did it.
  await page.goto("/audit?entity=objectives");
  await expect(page.locator(".audit-line").first()).toContainText("Femke Nieuw");
  await expect(page.locator(".audit-line").first()).toContainText("comment.create");
  await context.close();
  expect(errors).toEqual([]);
});

test("a CSV import lists every wrong row and stores nothing until all are right", async ({ page }) => {
  await page.goto("/admin/import");
  await ready(page.locator("form.import-form"));
  const units = page.getByLabel("Units (name, kind, parent)");
  const people = page.getByLabel("People (name, email, unit, role)");
  await units.fill("name,kind,parent\nTeam Kaas,team,Nergens\n");
  await people.fill("name,email,unit,role\nKees,kees@example.org,Team Kaas,lead\nLot,geen-adres,Team Kaas,member\n");
  await page.getByRole("button", { name: "Check and import" }).click();
  const report = page.locator(".import-problems tbody tr");
  await expect(report).toHaveCount(1);
  await expect(report.first()).toContainText("People, row 3");
  await people.fill("name,email,unit,role\nKees,kees@example.org,Team Kaas,lead\n");
  await page.getByRole("button", { name: "Check and import" }).click();
  await expect(page.locator(".import-problems")).toContainText("unknown_parent");
  const department = await (async () => {
    await page.goto("/admin/units");
    return (await page.locator(".admin-unit .admin-head a").nth(1).textContent())!.trim();
  })();
  await page.goto("/admin/import");
  await ready(page.locator("form.import-form"));
  await page.getByLabel("Units (name, kind, parent)").fill(`name,kind,parent\nTeam Kaas,team,${department}\n`);
  await page.getByLabel("People (name, email, unit, role)").fill("name,email,unit,role\nKees,kees@example.org,Team Kaas,lead\n");
  await page.getByRole("button", { name: "Check and import" }).click();
  await expect(page.locator(".import-outcome .notice")).toHaveText("Imported 1 units and 1 people.");
  await expectAccessible(page);
});
