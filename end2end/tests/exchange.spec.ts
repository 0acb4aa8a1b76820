import { expect, test, type Download } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expectAccessible, shots, watchForErrors } from "./helpers";

const admin = join(__dirname, "..", ".state", "admin.json");

/** The running quarter's name ("2026 Q4"), from the day the server runs on. */
function runningQuarter(): string {
  const today = process.env.CAIRN_TODAY ? new Date(`${process.env.CAIRN_TODAY}T12:00:00Z`) : new Date();
  return `${today.getUTCFullYear()} Q${Math.floor(today.getUTCMonth() / 3) + 1}`;
}

/** A downloaded document's lines, each parsed; every line must be JSON. */
async function lines(download: Download): Promise<Record<string, unknown>[]> {
  const path = await download.path();
  const text = readFileSync(path, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line));
}

test("an admin downloads one department's quarter, and everything, from the export page", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-GB", storageState: admin });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await page.goto("/admin/people");
  await page.getByRole("link", { name: "Export", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Export");
  await expect(page.getByRole("link", { name: "The JSON Schema of the format" })).toHaveAttribute(
    "href",
    "/exchange/v1.schema.json",
  );
  // The running quarter is chosen first.
  const quarter = runningQuarter();
  await expect(page.locator("#export-period option:checked")).toHaveText(quarter);
  await expectAccessible(page);
  await page.screenshot({ path: `${shots}/export-en.png`, fullPage: true });

  // One department and the running quarter.
  const option = page.locator("#export-unit option", { hasText: "Klantenservice" });
  const unit = Number(await option.getAttribute("value"));
  await page.locator("#export-unit").selectOption(String(unit));
  const slice = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download", exact: true }).click();
  const part = await slice;
  const slug = quarter.toLowerCase().replace(" ", "-");
  expect(part.suggestedFilename()).toMatch(new RegExp(`^cairn-klantenservice-${slug}-\\d{4}-\\d{2}-\\d{2}\\.jsonl$`));
  const records = await lines(part);
  const [header, end] = [records[0], records[records.length - 1]];
  expect(header.format).toBe("cairn-exchange");
  expect(header.slice).toEqual({ unit_id: unit, period_id: expect.any(Number) });
  expect(end).toEqual({ type: "end", records: records.length - 2 });
  const objectives = records.filter((r) => r.type === "objective");
  // The department's own objectives of the quarter are in it.
  const period = (header.slice as { period_id: number }).period_id;
  expect(objectives.some((o) => o.owner_unit_id === unit && o.period_id === period)).toBe(true);
  expect(records.some((r) => r.type === "unit" && r.name === "Klantenservice")).toBe(true);
  expect(JSON.stringify(records)).not.toContain("password_hash");

  // Everything: more than the department, and no slice in its header.
  const whole = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download everything" }).click();
  const everything = await lines(await whole);
  expect(everything[0].slice).toBeUndefined();
  expect(everything.length).toBeGreaterThan(records.length);
  expect(errors).toEqual([]);
  await context.close();
});

test("in Dutch, a unit that is not there is said so on the page", async ({ browser }) => {
  const context = await browser.newContext({ locale: "nl-NL", storageState: admin });
  const page = await context.newPage();
  await page.goto("/admin/export/download?unit=987654&period=1");
  await expect(page).toHaveURL(/\/admin\/export\?refused=unit$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Exporteren");
  await expect(page.getByRole("alert")).toHaveText("Die eenheid bestaat niet (meer). Kies een andere.");
  await expect(page.getByRole("button", { name: "Downloaden" })).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: `${shots}/export-nl.png`, fullPage: true });
  await context.close();
});
