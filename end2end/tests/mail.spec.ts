import { expect, test, type Browser } from "@playwright/test";
import { expectAccessible, mailTo, shots, signInLink, watchForErrors } from "./helpers";

const signedOut = { cookies: [], origins: [] };

/** A demo person with their email, found through the admin's people page. */
async function demoPerson(browser: Browser, index: number): Promise<{ name: string; email: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/admin/people");
  const row = page.locator(".admin-list > li").nth(index);
  const email = (await row.locator("input[name=email]").inputValue()).trim();
  const name = (await row.locator("input[name=name]").inputValue()).trim();
  await context.close();
  return { name, email };
}

test("an admin adds a person; the invitation arrives by mail and its link signs them in", async ({ page, browser }) => {
  const errors = watchForErrors(page);
  await page.goto("/admin/people");
  const form = page.locator("form#add-person");
  await form.getByLabel("Name").fill("Iris Post");
  await form.getByLabel("Email address").fill("iris.post@waterland.example");
  await form.getByLabel("Language of their mail").selectOption("nl");
  await form.getByRole("button", { name: "Add person" }).click();
  await expect(page.locator("#link-mailed")).toContainText("iris.post@waterland.example");

  // The invitation, in Dutch as the admin chose: why it came, and the link.
  const mail = await mailTo("iris.post@waterland.example", /uitgenodigd/);
  expect(mail.text).toContain("Hallo Iris Post,");
  expect(mail.text).toContain("Je krijgt dit omdat een beheerder je met dit adres heeft toegevoegd.");
  expect(mail.headers["List-Unsubscribe"]).toBeUndefined();

  const context = await browser.newContext({ storageState: signedOut });
  const newcomer = await context.newPage();
  await newcomer.goto(signInLink(mail));
  await newcomer.locator("main").getByRole("button", { name: "Sign in" }).click();
  await expect(newcomer).toHaveURL(/\/account\?welcome=1/);
  await expect(newcomer.locator(".account-email")).toHaveText("iris.post@waterland.example");
  await context.close();
  expect(errors).toEqual([]);
});

test("a mention reaches the person's inbox live and by mail; they read it and mark it read", async ({ page, browser }) => {
  const errors = watchForErrors(page);
  const person = await demoPerson(browser, 3);
  const handle = person.email.split("@")[0];

  // The mentioned person watches their own page; the count in the header is live.
  const context = await browser.newContext({ storageState: signedOut });
  const them = await context.newPage();
  const theirErrors = watchForErrors(them);
  await them.goto("/sign-in?next=%2Fmy");
  await them.locator("#sign-in-email").fill(person.email);
  await them.locator("#sign-in-password").fill("cairn-demo");
  await them.locator("form.auth-form button[type=submit]").click();
  await expect(them).toHaveURL(/\/my$/);
  const count = them.locator("#inbox-link .inbox-count");
  const before = Number(await count.textContent());

  // The admin mentions them in a comment on an objective.
  await page.goto("/");
  const card = page.locator("article.objective-card h3 a").first();
  const objective = (await card.textContent())!.trim();
  await card.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(objective);
  await page.getByLabel("Add to the conversation").fill(`Could you look at this, @${handle}?`);
  await page.getByRole("button", { name: "Post comment" }).click();
  await expect(page.locator(".comment-list li").last()).toContainText("Could you look at this");

  // Their header counts it without a reload...
  await expect(count).toHaveText(String(before + 1));
  // ...their inbox has it, linking to the comment...
  await them.locator("#inbox-link").click();
  await expect(them).toHaveURL(/\/inbox$/);
  const entry = them.locator(".inbox-entry.unread").first();
  await expect(entry.locator(".inbox-headline")).toContainText("mentioned you");
  await expect(entry).toContainText(objective);
  await expectAccessible(them);
  await them.screenshot({ path: `${shots}/inbox-en-1280.png`, fullPage: true });
  // ...and so does their mailbox, once.
  const mail = await mailTo(person.email, /mentioned you|noemde je/);
  expect(mail.text).toContain("Could you look at this");
  expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");

  // Marking it read takes it off the count, here and in every open page.
  await entry.getByRole("button", { name: /Mark read|Gelezen/ }).click();
  await expect(them.locator(`#${await entry.getAttribute("id")}`)).not.toHaveClass(/unread/);
  await expect(count).toHaveText(String(before));

  // The link in the mail stops mentions by mail, without signing in.
  const stop = mail.headers["List-Unsubscribe"].replace(/[<>]/g, "");
  const stranger = await browser.newContext({ storageState: signedOut });
  const page2 = await stranger.newPage();
  await page2.goto(new URL(stop).pathname);
  await page2.getByRole("button", { name: /Stop these mails|Stop deze mails/ }).click();
  await expect(page2.locator("#unsubscribed")).toBeVisible();
  await expectAccessible(page2);
  await stranger.close();
  await them.goto("/account#notices");
  await expect(them.locator("#notice-mention")).toHaveValue("in_app");
  await context.close();
  expect(errors).toEqual([]);
  expect(theirErrors).toEqual([]);
});

test("forgot password: a link by mail signs in, and a new password works", async ({ browser }) => {
  const person = await demoPerson(browser, 5);
  const context = await browser.newContext({ storageState: signedOut });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await page.goto("/sign-in");
  await page.locator("#forgot-link").click();
  await expect(page).toHaveURL(/\/sign-in\/forgot$/);
  await expectAccessible(page);
  await page.getByLabel("Email address").fill(person.email);
  await page.getByRole("button", { name: "Mail me a sign-in link" }).click();
  await expect(page.locator("#forgot-sent")).toBeVisible();

  const mail = await mailTo(person.email, /choose a new password|kies een nieuw wachtwoord/);
  await page.goto(signInLink(mail));
  await page.locator("main").getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account\?welcome=1/);
  await page.locator("#password-new").fill("a brand new password");
  await page.locator("#password-confirm").fill("a brand new password");
  await page.locator("#password button[type=submit]").click();
  await expect(page.locator("#password-done")).toBeVisible();
  await page.locator(".sign-out-form button").click();
  // Signed out once the sign-in page says so: a request the account page's islands
  // made after that moment would rightly be refused (401).
  await expect(page).toHaveURL(/\/sign-in\?notice=signed_out/);
  await page.goto("/sign-in");
  await page.locator("#sign-in-email").fill(person.email);
  await page.locator("#sign-in-password").fill("a brand new password");
  await page.locator("form.auth-form button[type=submit]").click();
  await expect(page).toHaveURL(/\/$/);
  await context.close();
  expect(errors).toEqual([]);
});
