import { expect, test } from "@playwright/test";
import { findTeam, ready, shots, signIn, signedOut, watchForErrors } from "./helpers";

test("a duration is typed, checked in and shown as minutes and seconds", async ({ browser }) => {
  const { lead } = await findTeam(browser);
  const context = await browser.newContext({ storageState: signedOut });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, lead);

  const title = `Callers helped sooner ${Date.now() % 100000}`;
  await page.goto("/objectives/new");
  const editor = await ready(page.locator("form.editor"));
  await page.getByLabel("Objective", { exact: true }).fill(title);
  await editor.getByRole("button", { name: "Add a key result" }).click();
  const row = editor.locator("li.editor-kr").first();
  await row.getByLabel("Key result").fill("Average time to answer a call");
  await row.getByLabel("Measured as").selectOption("duration");
  // A duration has no unit of its own; its fields say how to type it.
  await expect(row.getByLabel("Unit")).toHaveCount(0);
  await expect(row.getByLabel("Start")).toHaveAttribute("placeholder", "m:ss");
  await row.getByLabel("Direction").selectOption("decrease");
  await row.getByLabel("Start").fill("4,5");
  await row.getByLabel("Target").fill("2:30");
  await editor.getByRole("button", { name: "Save objective" }).click();
  const start = row.getByLabel("Start");
  await expect(start).toHaveAttribute("aria-invalid", "true");
  const startError = row.locator(`#${await start.getAttribute("aria-describedby")}`);
  await expect(startError).toHaveText("Write a duration as m:ss or h:mm:ss, such as 2:37 or 1:05:00.");
  await row.getByLabel("Start").fill("4:30");
  await editor.getByRole("button", { name: "Save objective" }).click();
  await expect(page).toHaveURL(/\/objectives\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);

  // Checked in as 3:30: halfway from 4:30 to 2:30.
  const kr = page.locator("article.kr-detail").first();
  await ready(kr.locator("form.check-in-form"));
  await kr.getByText("Check in").click();
  const value = kr.getByLabel("New value (m:ss)");
  await value.fill("3.5");
  await kr.getByRole("button", { name: "Save check-in" }).click();
  await expect(kr.locator(".check-in-form .form-status")).toContainText("Write a duration as m:ss or h:mm:ss");
  await value.fill("3:30");
  await kr.getByRole("button", { name: "Save check-in" }).click();
  await expect(kr.locator(".check-in-form .form-status")).toHaveText("Saved.");
  await expect(kr.locator(".meter-bar").first()).toHaveAttribute("aria-valuenow", "50");

  // Read again: the history, the chart and the form speak in durations.
  await page.reload();
  await expect(kr.locator(".history tbody tr").first()).toContainText("3:30 (from 4:30 to 2:30)");
  await expect(kr.locator("svg title").filter({ hasText: "3:30" }).first()).toBeAttached();
  await expect(kr.locator(".check-in-last")).toContainText("3:30");
  await expect(kr.getByLabel("New value (m:ss)")).toHaveValue("3:30");
  await kr.screenshot({ path: `${shots}/duration-key-result-en.png` });

  // And the editor shows what was typed, not seconds.
  await page.getByRole("link", { name: "Edit" }).click();
  const again = await ready(page.locator("form.editor"));
  const stored = again.locator("li.editor-kr").first();
  await expect(stored.getByLabel("Start")).toHaveValue("4:30");
  await expect(stored.getByLabel("Target")).toHaveValue("2:30");
  // The refused check-in is answered 422 (the browser logs it, once); nothing else.
  expect(errors).toEqual(["Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"]);
  await context.close();
});
