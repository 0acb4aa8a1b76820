import { expect, type Browser, type Locator, type Page } from "@playwright/test";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";

export const shots = "screenshots";
mkdirSync(shots, { recursive: true });

/** Collects console errors and uncaught exceptions in the page. */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(err.message));
  return errors;
}

/** Waits for the page's animations, such as the view transition of a link
 * followed inside the site, to finish: for a screenshot of the page, not of
 * two pages crossing. */
export async function settled(page: Page) {
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
}

/** The header's search box, once its island has hydrated. */
export async function interactiveSearch(page: Page) {
  const box = page.locator("form.search-box");
  await expect(box).toHaveAttribute("data-ready", "");
  return box.getByRole("combobox");
}

// Evaluated rather than added as a <script> element: the islands router patches the
// page by walking old and new documents side by side, so the test must not add nodes.
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe-core (WCAG 2.1 A and AA, contrast included) and fails on any violation. */
export async function expectAccessible(page: Page) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    const result = await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] });
    return result.violations.map((v: { id: string; help: string; nodes: { target: string[] }[] }) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  expect(violations).toEqual([]);
}

/** Waits until the island behind `form` runs in the browser (its `data-ready`),
 * so a click is handled by the island rather than sent as a plain form. */
export async function ready(form: Locator) {
  await expect(form).toHaveAttribute("data-ready", "");
  return form;
}

/** A message the test SMTP server received (tools/smtp/server.py), decoded. */
export type Mail = { to: string[]; subject: string; text: string; html: string; headers: Record<string, string> };

/** Waits for a message to `to` whose subject matches, and returns it. */
export async function mailTo(to: string, subject: RegExp, timeout = 20_000): Promise<Mail> {
  const dir = process.env.CAIRN_MAILBOX!;
  const started = Date.now();
  for (;;) {
    const found = (existsSync(dir) ? readdirSync(dir) : [])
      .filter((name) => name.endsWith(".eml"))
      .map((name) => JSON.parse(readFileSync(`${dir}/${name.replace(/\.eml$/, ".json")}`, "utf8")) as Mail)
      .find((mail) => mail.to.includes(to) && subject.test(mail.subject));
    if (found) return found;
    if (Date.now() - started > timeout) throw new Error(`no mail to ${to} matching ${subject} in ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The one-time sign-in link a mail carries, as a path. */
export function signInLink(mail: Mail): string {
  const match = mail.text.match(/\/sign-in\/link\/[0-9a-f]+/);
  if (!match) throw new Error(`no sign-in link in: ${mail.text}`);
  return match[0];
}

export const PASSWORD = "cairn-demo";
export const signedOut = { cookies: [], origins: [] };

export type Team = { url: string; name: string; lead: string; member: string };
let team: Team | undefined;

/** A team of the demo organisation with its lead's and a member's email, found by
 * browsing as the admin. */
export async function findTeam(browser: Browser): Promise<Team> {
  if (team) return team;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/");
  await page.locator(".page-head .eyebrow a").click();
  await page.locator("#sub-units ~ ul a").first().click();
  await expect(page.locator(".eyebrow")).toHaveText("Department");
  await page.locator("#sub-units ~ ul a").first().click();
  await expect(page.locator(".eyebrow")).toHaveText("Team");
  const url = new URL(page.url()).pathname;
  const name = (await page.getByRole("heading", { level: 1 }).textContent())!.trim();
  const members = page.getByRole("region", { name: "People" }).getByRole("listitem");
  const emailOf = async (item: ReturnType<typeof members.first>) => {
    await item.getByRole("link").click();
    const email = (await page.locator("a[href^='mailto:']").first().textContent())!.trim();
    await page.goto(url);
    return email;
  };
  const lead = await emailOf(members.filter({ has: page.locator(".tag", { hasText: "lead" }) }).first());
  const member = await emailOf(members.filter({ hasNot: page.locator(".tag") }).first());
  await context.close();
  team = { url, name, lead, member };
  return team;
}

export async function signIn(page: Page, email: string, next = "/my") {
  await page.goto(next);
  await expect(page).toHaveURL(new RegExp(`/sign-in\\?next=${encodeURIComponent(next).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`${next}$`));
}


/** Checks in on key result `kr` from its objective page (open in `page`) until
 * `shown` reads something other than `before`: 0 first, then a million (whatever
 * the key result measures, one of them moves it; a done/not-done one is ticked).
 * Each save is answered "Saved." in place, without a reload. Returns what `shown`
 * reads after. */
export async function checkInUntilMoved(
  page: Page,
  kr: string,
  before: string | null,
  shown: () => Promise<string | null>,
): Promise<string | null> {
  const article = page.locator(`#kr-${kr}`);
  const form = article.locator("details.check-in");
  await ready(form.locator("form"));
  const value = article.locator(`#ci-value-${kr}`);
  let after = before;
  for (const attempt of ["0", "1000000"]) {
    await form.locator("summary").click();
    if (await value.count()) await value.fill(attempt);
    else await article.locator('input[type="checkbox"]').first().click();
    await form.getByRole("button", { name: "Save check-in" }).click();
    await expect(form.locator(".form-status")).toHaveText("Saved.");
    after = await shown();
    if (after !== before) break;
  }
  expect(after).not.toBe(before);
  return after;
}
