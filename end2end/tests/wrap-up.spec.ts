import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { expectAccessible, findTeam, PASSWORD, ready, settled, shots, signedOut, watchForErrors } from "./helpers";

// Runs last: it takes the running quarter through grading to closed, and starts the next.
test("a whole quarter cycle: the next quarter made, a unit graded on one sheet, carried forward, closed, summarised, and the next quarter checked in on", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const errors = watchForErrors(page);
  const { url: teamUrl, name: teamName, lead } = await findTeam(browser);

  // The admin makes the next quarter in one step, from the running one.
  await page.goto("/periods");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Periods");
  const running = page.locator("table.periods tbody tr.period-quarter", { has: page.locator(".tag.state-active") }).first();
  const name = (await running.locator("th > :first-child").textContent())!.trim();
  const create = running.getByRole("button", { name: /^Create \d{4} Q\d$/ });
  const nextName = (await create.textContent())!.trim().replace(/^Create /, "");
  await create.click();
  const nextRow = page.locator("table.periods tbody tr.period-quarter", { hasText: nextName });
  await expect(nextRow.locator(".tag")).toHaveText("planning");
  await expect(running.getByRole("button", { name: /^Create / })).toHaveCount(0);
  await expectAccessible(page);
  await page.screenshot({ path: `${shots}/periods-en-1280.png`, fullPage: true });
  const row = page.locator("table.periods tbody tr.period-quarter", { hasText: name });
  await row.getByRole("button", { name: "Move to grading" }).click();
  await expect(row.locator(".tag")).toHaveText("grading");

  // The lead, in Dutch, opens the team's grading sheet from the team page.
  const nl = await browser.newContext({ locale: "nl-NL", storageState: signedOut });
  const lp = await nl.newPage();
  const leadErrors = watchForErrors(lp);
  await lp.goto("/sign-in");
  await lp.locator("#sign-in-email").fill(lead);
  await lp.locator("#sign-in-password").fill(PASSWORD);
  await lp.locator("form.auth-form button[type=submit]").click();
  await expect(lp).toHaveURL(/\/$/);
  await lp.goto(teamUrl);
  // An objective to carry forward later: unfinished (its own meter short of
  // 100 %), aligned to a parent.
  const card = lp
    .locator("article.objective-card")
    .filter({ hasNot: lp.locator('[data-meter^="o-"] .meter-figure', { hasText: /^100 %$/ }) })
    .first();
  const objective = (await card.locator("h3 a").getAttribute("href"))!;
  await lp.locator("a.sheet-link").click();
  await expect(lp).toHaveURL(/\/units\/\d+\/grade\?period=\d+$/);
  await expect(lp.getByRole("heading", { level: 1 })).toHaveText(teamName);
  const sheet = await ready(lp.locator("form.unit-sheet"));
  const total = Number((await sheet.locator("#sheet-graded").textContent())!.match(/van (\d+) kernresultaten/)![1]);
  expect(total).toBeGreaterThan(0);
  await expect(sheet.locator("#sheet-graded")).toHaveText(`0 van ${total} kernresultaten beoordeeld`);
  const line = sheet.locator("li.grade-line").first();
  const input = line.getByLabel("Score (0,0–1,0)");
  await expect(input).toHaveValue(/^\d,\d$/);
  const suggested = Number((await input.inputValue()).replace(",", "."));
  // A line that is not a grade is flagged where it is, and its total withheld.
  await input.fill("1,5");
  await expect(line).toHaveClass(/line-invalid/);
  await expect(sheet.locator("#sheet-to-fix")).toHaveText("1 te verbeteren");
  await expect(sheet.locator("fieldset.sheet-objective").first().locator(".grade-value")).toHaveText("–");
  await sheet.getByRole("button", { name: "Blad opslaan" }).click();
  await expect(sheet.locator(".editor-actions .form-status")).toHaveText("Nog niet opgeslagen: verbeter de gemarkeerde velden.");
  // Away from the suggestion: coloured by its band, and a reason is asked for.
  const other = suggested >= 0.5 ? "0,2" : "0,9";
  await input.fill(other);
  await expect(input).toHaveClass(suggested >= 0.5 ? /band-red/ : /band-green/);
  await sheet.getByRole("button", { name: "Blad opslaan" }).click();
  await expect(line.locator(".field-error", { hasText: "zeg waarom" })).toBeVisible();
  await line.getByLabel("Waarom deze score?").fill("Pas na de deadline geleverd.");
  await sheet.locator("fieldset.sheet-objective").first().getByLabel(/Terugblik/).fill("Volgende keer eerder beginnen.");
  await sheet.getByRole("button", { name: "Blad opslaan" }).click();
  await expect(sheet.locator(".editor-actions .form-status")).toHaveText("Opgeslagen.");
  await expect(sheet.locator("#sheet-graded")).toHaveText(`${total} van ${total} kernresultaten beoordeeld`);
  await expect(sheet.locator("fieldset.sheet-objective").first().locator(".grade-value")).toHaveText(/^\d,\d\d$/);
  await expectAccessible(lp);
  await lp.screenshot({ path: `${shots}/unit-sheet-nl-1280.png`, fullPage: true });

  // Carrying forward keeps the cascade: the admin carries the parent first...
  await page.goto(objective);
  const parentHref = (await page.locator("section[aria-labelledby=cascade] ul.plain-list a").first().getAttribute("href"))!;
  await page.goto(`${parentHref}/grade`);
  await ready(page.locator("form.grade-sheet"));
  await page.getByLabel("Carry the unfinished key results forward to").selectOption({ label: nextName });
  await page.getByRole("button", { name: "Carry forward" }).click();
  await expect(page).toHaveURL(/\/objectives\/\d+\/edit$/);
  const parentCopy = new URL(page.url()).pathname.replace(/\/edit$/, "");
  await page.locator("details.undo-carry summary").click();
  await page.getByRole("link", { name: "Keep the draft" }).click();
  await expect(page).toHaveURL(new RegExp(`${parentCopy}$`));
  await expect(page.locator(".carried-from a")).toHaveAttribute("href", parentHref);

  // ...then the lead carries the team's objective, thinks better of it (Cancel
  // offers to undo), and carries it again.
  await lp.goto(`${objective}/grade`);
  await ready(lp.locator("form.grade-sheet"));
  const carryAs = async () => {
    await lp.getByLabel("Onafgemaakte kernresultaten meenemen naar").selectOption({ label: nextName });
    await lp.getByRole("button", { name: "Meenemen" }).click();
    await expect(lp).toHaveURL(/\/objectives\/\d+\/edit$/);
    return new URL(lp.url()).pathname.replace(/\/edit$/, "");
  };
  const undone = await carryAs();
  await lp.locator("details.undo-carry summary").click();
  await expect(lp.locator("details.undo-carry")).toContainText(`het origineel blijft in ${name}`);
  await lp.getByRole("button", { name: "Meenemen ongedaan maken" }).click();
  await expect(lp).toHaveURL(new RegExp(`${objective}/grade$`));
  await ready(lp.locator("form.grade-sheet"));
  expect((await lp.request.get(undone)).status()).toBe(404);
  const copy = await carryAs();
  await lp.locator("details.undo-carry summary").click();
  await lp.getByRole("link", { name: "Concept houden" }).click();
  await expect(lp).toHaveURL(new RegExp(`${copy}$`));
  // Linked both ways, aligned to the parent's copy, and carried only once.
  await expect(lp.locator(".carried-from a")).toHaveAttribute("href", objective);
  await expect(lp.locator("section[aria-labelledby=cascade] ul.plain-list a").first()).toHaveAttribute("href", parentCopy);
  await settled(lp);
  await lp.screenshot({ path: `${shots}/carried-nl-1280.png`, fullPage: true });
  await lp.goto(objective);
  await expect(lp.locator(".carried-to")).toContainText(`Meegenomen naar ${nextName}`);
  await expect(lp.locator(".carried-to a")).toHaveAttribute("href", copy);
  await lp.goto(`${objective}/grade`);
  await expect(lp.locator("form.carry-forward")).toHaveCount(0);

  // The admin closes: first what is still ungraded, then the confirmation.
  await page.goto("/periods");
  await row.getByRole("link", { name: "Close…" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Close ${name}?`);
  const ungraded = page.locator("#close-ungraded");
  await expect(ungraded).toContainText("still ungraded");
  const open = Number((await ungraded.textContent())!.match(/(\d+) of/)![1]);
  await expect(page.locator("ul.ungraded-list li")).toHaveCount(open);
  await expect(page.locator("ul.ungraded-list")).not.toContainText(teamName);
  await expectAccessible(page);
  await settled(page);
  await page.screenshot({ path: `${shots}/close-en-1280.png`, fullPage: true });
  await page.getByRole("button", { name: `Close anyway, with ${open} ungraded` }).click();
  await expect(page).toHaveURL(/\/periods\/\d+\/summary$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.locator(".page-head .eyebrow")).toContainText("closed");

  // The summary: the team's line, what was carried, its retrospective; as CSV too.
  const teamLine = page.locator("#summary-units tbody tr", { hasText: teamName });
  await expect(teamLine.locator("td").first()).toHaveText(/^\d\.\d\d$/);
  await expect(page.locator("article.summary-unit", { hasText: teamName }).locator(".summary-carried")).toBeVisible();
  await expect(page.locator("article.summary-unit", { hasText: teamName }).locator("blockquote.retrospective")).toContainText(
    "Volgende keer eerder beginnen.",
  );
  await expectAccessible(page);
  await page.screenshot({ path: `${shots}/summary-en-1280.png`, fullPage: true });
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  const csv = readFileSync((await download.path())!, "utf8");
  expect(csv.split("\n")[0]).toBe(
    "Unit,Average grade,Committed met,Committed missed,Aspirational average,Graded,Ungraded,Carried forward,Dropped,Retrospectives",
  );
  expect(csv).toContain(teamName);
  await lp.goto(new URL(page.url()).pathname);
  await expect(lp.locator("#summary-units thead")).toContainText("Gemiddelde score");
  await expect(lp.locator("#summary-units tbody tr", { hasText: teamName }).locator("td").first()).toHaveText(/^\d,\d\d$/);
  await lp.screenshot({ path: `${shots}/summary-nl-1280.png`, fullPage: true });

  // Closed: the lead's pages say so, the team page shows grades, the editor is shut.
  await lp.goto(`${objective}/grade`);
  await expect(lp.locator(".page-head .eyebrow")).toContainText("Scores");
  await expect(lp.locator(".page-head .lead")).toContainText("Deze periode is afgesloten");
  await lp.goto(`${objective}/edit`);
  await expect(lp.getByRole("heading", { level: 1 })).toHaveText("Deze periode is afgesloten");
  await lp.goto(`${teamUrl}?period=${new URL(page.url()).pathname.split("/")[2]}`);
  await expect(lp.locator(".grade-badge").first()).toContainText(/Score \d,\d/);
  // An admin may still correct a grade (recorded as a correction).
  await page.goto(`${objective}/grade`);
  await expect(page.locator(".page-head .lead")).toContainText("As an admin you may correct");

  // The next quarter starts, and the carried objective is checked in on.
  await page.goto("/periods");
  await page.locator("table.periods tbody tr.period-quarter", { hasText: nextName }).getByRole("button", { name: "Move to active" }).click();
  await expect(page.locator("table.periods tbody tr.period-quarter", { hasText: nextName }).locator(".tag")).toHaveText("active");
  await lp.goto(copy);
  const kr = lp.locator("article.kr-detail").first();
  await ready(kr.locator("form.check-in-form"));
  await kr.getByText("Check-in doen").click();
  const value = kr.getByLabel(/Nieuwe waarde/);
  // The closed editor is refused; "12.000" too, where the key result takes a number.
  const refusals = ["Failed to load resource: the server responded with a status of 409 (Conflict)"];
  if (await value.count()) {
    refusals.push("Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)");
    // "12.000" could be twelve thousand or twelve: asked, not guessed.
    await value.fill("12.000");
    await kr.getByRole("button", { name: "Check-in opslaan" }).click();
    await expect(kr.locator(".check-in-form .form-status")).toHaveText("Niet opgeslagen. Bedoel je 12000 of 12? Typ het zoals je het bedoelt.");
    await value.fill("1");
  } else {
    await kr.getByLabel("Gedaan").check();
  }
  await kr.getByRole("button", { name: "Check-in opslaan" }).click();
  await expect(kr.locator(".check-in-form .form-status")).toHaveText("Opgeslagen.");
  await nl.close();
  expect(errors).toEqual([]);
  // The browser logs the refusals asked for, and nothing else.
  expect(leadErrors).toEqual(refusals);
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
