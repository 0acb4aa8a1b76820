import { expect, test } from "@playwright/test";
import { interactiveSearch, shots, watchForErrors } from "./helpers";

test("the page is server-rendered and readable without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Welcome to \S/);
  await expect(page.getByTestId("database")).toHaveText("SQLite");
  await expect(page.getByTestId("schema-version")).toHaveText(/^[1-9][0-9]*$/);
  await expect(page.locator("article.objective-card").first()).toBeVisible();
  await expect(page.locator("form.search-box")).not.toHaveAttribute("data-ready", "");

  // Even the language switch works without scripts: it is a plain link.
  await page.getByRole("link", { name: "NL", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Welkom bij \S/);
  await context.close();
});

test("the search box hydrates and answers as you type", async ({ page }) => {
  const errors = watchForErrors(page);
  await page.goto("/");
  const box = await interactiveSearch(page);
  await box.fill("a");
  await expect(page.locator("#search-suggestions")).toBeVisible();
  await expect(page.locator("#search-suggestions [role=option]").first()).toBeVisible();
  await box.press("Escape");
  await expect(page.locator("#search-suggestions")).toBeHidden();
  expect(errors).toEqual([]);
});

test("switching to Dutch translates the page and is remembered", async ({ page }) => {
  const errors = watchForErrors(page);
  await page.goto("/");
  await interactiveSearch(page);

  await page.getByRole("link", { name: "NL", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Welkom bij \S/);
  await expect(page.locator("html")).toHaveAttribute("lang", "nl");
  await expect(page.getByRole("link", { name: "NL", exact: true })).toHaveAttribute("aria-current", "true");
  await expect(page.getByRole("search").getByRole("combobox")).toHaveAttribute("placeholder", "Zoek doelstellingen en mensen");

  // The choice survives a reload and a new visit: the server reads the cookie.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Welkom bij \S/);
  const cookie = (await page.context().cookies()).find((c) => c.name === "cairn_lang");
  expect(cookie?.value).toBe("nl");
  expect(cookie?.expires ?? 0).toBeGreaterThan(Date.now() / 1000 + 300 * 24 * 3600);

  await page.getByRole("link", { name: "EN", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Welcome to \S/);
  expect(errors).toEqual([]);
});

test("a Dutch browser gets Dutch from the first byte", async ({ browser }) => {
  const context = await browser.newContext({ locale: "nl-NL", viewport: { width: 375, height: 812 } });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "nl");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Welkom bij \S/);
  await interactiveSearch(page);
  await context.close();
});

test("an unknown address shows a translated not-found page with status 404", async ({ page }) => {
  for (const path of ["/no/such/page", "/objectives/999999", "/units/abc", "/people/0"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  }
  await page.screenshot({ path: `${shots}/not-found.png` });
});
