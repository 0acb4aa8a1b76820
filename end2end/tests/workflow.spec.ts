import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible, findTeam, PASSWORD, ready, shots, signIn, signedOut, watchForErrors } from "./helpers";

test("sign in, write an objective with two key results, check in, and the bar moves", async ({ browser }) => {
  const { name, lead } = await findTeam(browser);
  const context = await browser.newContext({ storageState: signedOut });
  const page = await context.newPage();
  const errors = watchForErrors(page);

  // A wrong password is refused with a clear message.
  await page.goto("/my");
  await page.getByLabel("Email address").fill(lead);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("do not match");

  await signIn(page, lead);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("My OKRs");
  await page.getByRole("link", { name: "New objective" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("New objective");
  // For the team, not for me (once the editor runs: it loads the page afresh,
  // keeping what was typed).
  await ready(page.locator("form.editor"));
  await page.getByLabel("Objective", { exact: true }).fill("Typed before choosing the team");
  await page.getByLabel("Whose objective").selectOption({ label: name });
  await page.getByRole("button", { name: "Change" }).click();
  await expect(page.locator(".editor-for")).toContainText(name);
  const editor = await ready(page.locator("form.editor"));
  await expect(page.getByLabel("Objective", { exact: true })).toHaveValue("Typed before choosing the team");
  await page.getByLabel("Objective", { exact: true }).fill("");

  // Saving an empty objective marks what is missing, in place; nothing is stored.
  await editor.getByRole("button", { name: "Save objective" }).click();
  await expect(editor.getByRole("alert")).toContainText("fix the marked fields");
  await expect(page.getByLabel("Objective", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#ed-title-error")).toHaveText("Please fill this in.");
  expect(new URL(page.url()).pathname).toBe("/objectives/new");

  const title = `Make onboarding delightful ${Date.now() % 100000}`;
  await page.getByLabel("Objective", { exact: true }).fill(title);
  await expect(page.locator("#ed-title-error")).toBeEmpty();
  await page.getByRole("button", { name: "Add a key result" }).click();
  await page.getByRole("button", { name: "Add a key result" }).click();
  const rows = editor.locator("li.editor-kr");
  await expect(rows).toHaveCount(2);
  const first = rows.nth(0);
  await first.getByLabel("Key result").fill("Activation from 40 to 60 %");
  await first.getByLabel("Start").fill("40");
  await first.getByLabel("Target").fill("30");
  await first.getByLabel("Unit").fill("%");
  await editor.getByRole("button", { name: "Save objective" }).click();
  await expect(first.locator(".field-error").filter({ hasText: "target must be above the start" })).toBeVisible();
  await first.getByLabel("Target").fill("60,0");
  await expect(first.locator(".field-error").filter({ hasText: "target must be above" })).toHaveCount(0);
  // It answers to one of the team, by a day.
  const owner = first.getByLabel("Owner", { exact: true });
  const ownerName = (await owner.locator("option").nth(1).textContent())!;
  await owner.selectOption({ label: ownerName });
  await first.getByLabel("Due (optional)").fill("2026-12-24");
  const second = rows.nth(1);
  await second.getByLabel("Key result").fill("Publish the onboarding guide");
  await second.getByLabel("Measured as").selectOption("binary");
  // The coach notices an activity where a result belongs, and lets it be.
  await expect(editor.locator(".coach")).toContainText("“Publish the onboarding guide” reads like an activity");
  await page.getByRole("button", { name: "Add an initiative" }).click();
  await editor.locator(".editor-list input").last().fill("Interview five new starters");
  await editor.getByRole("button", { name: "Save objective" }).click();

  await expect(page).toHaveURL(/\/objectives\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.locator("article.kr-detail")).toHaveCount(2);
  await expect(page.getByRole("link", { name: "Edit" })).toBeVisible();
  const owned = page.locator("article.kr-detail").first().locator(".attention-meta").first();
  await expect(owned).toContainText(`Owner: ${ownerName}`);
  await expect(owned.locator(".kr-due")).toHaveText("due 24 Dec 2026");

  // Check in on the first key result: its bar and the objective's move at once.
  await page.evaluate(() => ((window as unknown as { stay: number }).stay = 7));
  const kr = page.locator("article.kr-detail").first();
  const krBar = kr.locator(".meter-bar").first();
  await expect(krBar).toHaveAttribute("aria-valuenow", "0");
  await ready(kr.locator("form.check-in-form"));
  await kr.getByText("Check in").click();
  await kr.getByLabel(/New value/).fill("50");
  await kr.getByRole("button", { name: "Save check-in" }).click();
  await expect(kr.locator(".check-in-form .form-status")).toHaveText("Saved.");
  await expect(krBar).toHaveAttribute("aria-valuenow", "50");
  await expect(page.locator(".summary .meter-bar").first()).toHaveAttribute("aria-valuenow", "25");
  expect(await page.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(7);

  // A slip of the finger (550 for 55) is corrected by its author: the bars follow
  // and the history still holds two check-ins, the second now 55.
  await kr.getByLabel(/New value/).fill("550");
  await kr.getByRole("button", { name: "Save check-in" }).click();
  await expect(krBar).toHaveAttribute("aria-valuenow", "100");
  await page.reload();
  await ready(kr.locator("form.check-in-form"));
  const last = kr.locator(".check-in-last");
  await expect(last).toContainText("Your last check-in: 550 % · 7/10");
  await last.getByRole("button", { name: "Correct it" }).click();
  await expect(kr.locator(".correcting")).toContainText("Correcting your last check-in");
  await expect(kr.getByLabel(/New value/)).toHaveValue("550");
  await kr.getByLabel(/New value/).fill("55");
  await kr.getByRole("button", { name: "Save correction" }).click();
  await expect(krBar).toHaveAttribute("aria-valuenow", "75");
  await expect(kr.locator(".history-count")).toHaveText("2");
  await expect(kr.locator(".history tbody tr").first()).toContainText("55 %");
  await expect(page.locator(".summary .meter-bar").first()).toHaveAttribute("aria-valuenow", "38");

  // Deleting asks once more, then the check-in before counts again.
  await ready(kr.locator("form.check-in-form"));
  await expect(last).toContainText("55 %");
  await last.getByRole("button", { name: "Delete it" }).click();
  await expect(last).toContainText("The key result goes back to the check-in before it.");
  await last.getByRole("button", { name: "Yes, delete it" }).click();
  await expect(krBar).toHaveAttribute("aria-valuenow", "50");
  await expect(kr.locator(".history-count")).toHaveText("1");
  await expect(page.locator(".summary .meter-bar").first()).toHaveAttribute("aria-valuenow", "25");

  // My OKRs lists it, with the second key result due for a check-in.
  await page.goto("/my");
  const card = page.locator("article.objective-card", { hasText: title });
  await expect(card).toBeVisible();
  await expect(card.locator("li.key-result", { hasText: "Publish the onboarding guide" }).locator(".tag.due")).toBeVisible();
  await expect(card.locator("li.key-result", { hasText: "Activation" }).locator(".tag.due")).toHaveCount(0);
  await page.screenshot({ path: `${shots}/my-okrs-en-1280.png`, fullPage: true });

  // Editing keeps what was there: rename it, and the change shows.
  await card.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByLabel("Objective", { exact: true })).toHaveValue(title);
  await expect(editor.locator("li.editor-kr")).toHaveCount(2);
  await page.getByLabel("Objective", { exact: true }).fill(`${title}!`);
  await editor.getByRole("button", { name: "Save objective" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${title}!`);
  expect(errors).toEqual([]);

  // Signing out ends it: the next visit asks to sign in again.
  await page.goto("/account");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in\?notice=signed_out/);
  await page.goto("/my");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await context.close();
});

test("a member sees no edit control and the server refuses a forged edit", async ({ browser }) => {
  const { url, member } = await findTeam(browser);
  const context = await browser.newContext({ storageState: signedOut });
  const page = await context.newPage();
  await signIn(page, member, url);
  await page.locator("article.objective-card h3 a").first().click();
  await expect(page).toHaveURL(/\/objectives\/\d+$/);
  const id = Number(new URL(page.url()).pathname.split("/").pop());
  await expect(page.locator("article.kr-detail").first()).toBeVisible();
  await expect(page.locator("a.edit-link")).toHaveCount(0);
  // Team members may still check in on the team's key results.
  await expect(page.locator("article.kr-detail details.check-in").first()).toBeAttached();
  // The edit page itself says no.
  const direct = await page.request.get(`/objectives/${id}/edit`);
  expect(direct.status()).toBe(403);

  // A request made by hand, as a script on the page would: refused, nothing stored.
  const forged = await page.evaluate(async (objective) => {
    const answer = await fetch("/api/save_objective", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        objective: [objective, 1], owner: null, period: null, parent: null,
        draft: { title: "Taken over", description: "", commitment: "committed", state: "active", weight: "1", key_results: [], initiatives: [] },
      }),
    });
    return { status: answer.status, body: await answer.text() };
  }, id);
  expect(forged).toEqual({ status: 403, body: '"Forbidden"' });
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("Taken over");
  await context.close();
});

for (const [lang, locale] of [["en", "en-GB"], ["nl", "nl-NL"]] as const) {
  for (const [device, width] of [["desktop", 1280], ["phone", 375]] as const) {
    test(`sign-in, My OKRs and the editor look right (${lang}, ${device})`, async ({ browser }) => {
      const { lead } = await findTeam(browser);
      const context = await browser.newContext({ locale, storageState: signedOut, viewport: { width, height: 900 } });
      const page = await context.newPage();
      await page.goto("/my");
      await expectAccessible(page);
      await page.screenshot({ path: `${shots}/sign-in-${lang}-${width}.png`, fullPage: true });
      await page.locator("#sign-in-email").fill(lead);
      await page.locator("#sign-in-password").fill(PASSWORD);
      await page.locator("form.auth-form button[type=submit]").click();
      await expect(page).toHaveURL(/\/my$/);
      await expectAccessible(page);
      await page.screenshot({ path: `${shots}/my-${lang}-${width}.png`, fullPage: true });
      await page.goto("/objectives/new");
      await ready(page.locator("form.editor"));
      await page.locator("form.editor button[type=submit]").click();
      await expect(page.locator("#ed-title-error")).not.toBeEmpty();
      await expectAccessible(page);
      await page.screenshot({ path: `${shots}/editor-${lang}-${width}.png`, fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow).toBe(false);
      await context.close();
    });
  }
}
