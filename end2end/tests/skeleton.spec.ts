import { expect, test, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";

const shots = "screenshots";
mkdirSync(shots, { recursive: true });

/** Collects console errors and uncaught exceptions in the page. */
function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(err.message));
  return errors;
}

/** The key result island, once its wasm has hydrated it. */
async function interactiveKeyResult(page: Page) {
  const card = page.locator("section.try");
  await expect(card).toHaveAttribute("data-ready", "");
  return card;
}

test("the page is server-rendered and readable without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome to Cairn");
  await expect(page.getByTestId("database")).toHaveText("SQLite");
  await expect(page.getByTestId("schema-version")).toHaveText(/^[1-9][0-9]*$/);
  await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "50");
  await expect(page.locator("section.try")).not.toHaveAttribute("data-ready", "");

  // Even the language switch works without scripts: it is a plain link.
  await page.getByRole("link", { name: "NL" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welkom bij Cairn");
  await context.close();
});

test("clicking works once the island has hydrated", async ({ page }) => {
  const errors = watchForErrors(page);
  await page.goto("/");
  const card = await interactiveKeyResult(page);

  const bar = card.getByRole("progressbar");
  await expect(bar).toHaveAttribute("aria-valuenow", "50");
  await expect(card.getByTestId("current-value")).toHaveText("700");

  await card.getByRole("button", { name: "Increase by 50" }).click();
  await expect(card.getByTestId("current-value")).toHaveText("750");
  await expect(bar).toHaveAttribute("aria-valuenow", "58");
  await expect(card.getByTestId("progress-text")).toHaveText("58 % of the way to the target");

  await card.getByRole("button", { name: "Decrease by 50" }).click();
  await card.getByRole("button", { name: "Decrease by 50" }).click();
  await expect(bar).toHaveAttribute("aria-valuenow", "42");

  await page.screenshot({ path: `${shots}/home-en-desktop.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test("switching to Dutch translates the page and is remembered", async ({ page }) => {
  const errors = watchForErrors(page);
  await page.goto("/");
  await interactiveKeyResult(page);

  await page.getByRole("link", { name: "NL" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welkom bij Cairn");
  await expect(page.locator("html")).toHaveAttribute("lang", "nl");
  await expect(page.getByRole("link", { name: "NL" })).toHaveAttribute("aria-current", "true");

  // The island speaks Dutch too, and still works.
  const card = await interactiveKeyResult(page);
  await card.getByRole("button", { name: "Verhoog met 50" }).click();
  await expect(card.getByTestId("progress-text")).toHaveText("58 % van de weg naar het doel");

  // The choice survives a reload and a new visit: the server reads the cookie.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welkom bij Cairn");
  const cookie = (await page.context().cookies()).find((c) => c.name === "cairn_lang");
  expect(cookie?.value).toBe("nl");
  expect(cookie?.expires ?? 0).toBeGreaterThan(Date.now() / 1000 + 300 * 24 * 3600);

  await interactiveKeyResult(page);
  await page.screenshot({ path: `${shots}/home-nl-desktop.png`, fullPage: true });

  await page.getByRole("link", { name: "EN" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome to Cairn");
  expect(errors).toEqual([]);
});

test("a Dutch browser gets Dutch from the first byte", async ({ browser }) => {
  const context = await browser.newContext({ locale: "nl-NL", viewport: { width: 375, height: 812 } });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "nl");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welkom bij Cairn");
  await interactiveKeyResult(page);
  await page.screenshot({ path: `${shots}/home-nl-phone.png`, fullPage: true });
  await context.close();
});

test("an unknown address shows a translated not-found page with status 404", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
});
