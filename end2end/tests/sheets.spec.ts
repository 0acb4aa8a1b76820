import { expect, test, type Page } from "@playwright/test";
import { join } from "node:path";
import { expectAccessible, settled, shots, watchForErrors } from "./helpers";

// The example sheets shipped with Cairn, imported as a new admin would import them.
const examples = join(__dirname, "..", "..", "docs", "examples");
const admin = join(__dirname, "..", ".state", "admin.json");

/** The running quarter's name ("2026 Q4"), from the day the server runs on. */
function runningQuarter(): string {
  const today = process.env.CAIRN_TODAY ? new Date(`${process.env.CAIRN_TODAY}T12:00:00Z`) : new Date();
  return `${today.getUTCFullYear()} Q${Math.floor(today.getUTCMonth() / 3) + 1}`;
}

/** Chooses, for a period the sheet names that Cairn does not have, the running quarter. */
async function periodToRunningQuarter(page: Page, label: string) {
  const period = page.getByLabel(label, { exact: true });
  if (await period.count()) await period.selectOption({ label: runningQuarter() });
}

test("a Dutch team sheet: columns read, a mistake in the mapping shown and corrected, owners added, the period chosen, the tree previewed, all stored", async ({
  browser,
}) => {
  const context = await browser.newContext({ locale: "nl-NL", storageState: admin });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await page.goto("/admin/people");
  await page.getByRole("link", { name: "OKR's importeren uit een spreadsheet" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("OKR's importeren uit een spreadsheet");
  await expect(page.locator("#sheet-language")).toHaveValue("nl");
  await expectAccessible(page);
  await page.locator("#sheet-file").setInputFiles(join(examples, "okr-team-nl.csv"));
  await page.getByRole("button", { name: "Spreadsheet inlezen" }).click();

  // Every column with a few of its values and how it is read, guessed from the headers.
  await expect(page.locator(".sheet-file")).toHaveText("okr-team-nl.csv: 7 regels ingelezen.");
  const readAs = ["objective", "key_result", "owner", "unit", "period", "start", "target", "current", "measure", "weight", "commitment", "due"];
  for (const [at, column] of readAs.entries()) await expect(page.locator(`#column-${at}`)).toHaveValue(column);
  await expect(page.locator("table.sheet-columns tbody tr").nth(5)).toContainText("32 · 4:30 · 62%");
  const importButton = page.locator("#sheet-import");
  await expect(importButton).toBeDisabled();

  // A mistake in the mapping: two columns read as the target. Listed, import held back.
  await page.locator("#column-4").selectOption({ label: "Streefwaarde" });
  await page.getByRole("button", { name: "Voorbeeld opnieuw tonen" }).click();
  await expect(page.locator("#sheet-problems")).toContainText("Meer dan één kolom wordt zo gelezen.");
  await expect(page.locator("#sheet-problems")).toContainText("Periode, Streefwaarde");
  await expect(importButton).toBeDisabled();
  await page.locator("#column-4").selectOption("period");
  await page.getByRole("button", { name: "Voorbeeld opnieuw tonen" }).click();
  await expect(page.locator("#sheet-problems")).toHaveCount(0);

  // The owners are new here: each added as a person, their name suggested from the address.
  for (const owner of ["anna.devries@voorbeeld.nl", "bram.jansen@voorbeeld.nl", "carla.smit@voorbeeld.nl"]) {
    const row = page.locator("tr.sheet-unmatched", { hasText: owner });
    await row.getByRole("combobox").selectOption("new");
  }
  await expect(page.locator("tr.sheet-unmatched", { hasText: "anna.devries" }).getByLabel("Naam")).toHaveValue("Anna Devries");
  await periodToRunningQuarter(page, "Periode: 2027 Q1");
  await page.getByRole("button", { name: "Voorbeeld opnieuw tonen" }).click();
  await expect(page.locator("#sheet-problems")).toHaveCount(0);

  // The tree: three objectives with their seven key results, numbers as written in Dutch.
  const tree = page.locator("ul.import-tree");
  await expect(tree.locator("li.import-objective")).toHaveCount(3);
  await expect(tree.locator("li.import-key-result")).toHaveCount(7);
  await expect(tree.locator("li.import-objective").first()).toContainText("Klanten zijn fan van onze service");
  await expect(tree.locator("li.import-key-result", { hasText: "Klachten binnen 24 uur" })).toContainText("62 → 95 % (70)");
  await expect(tree.locator("li.import-key-result", { hasText: "Wachttijd" })).toContainText("270 → 120 s (225)");
  await expect(tree.locator("li.import-key-result", { hasText: "Omzet uit upsell" })).toContainText("1.200.000 → 2.000.000 EUR");
  await expect(importButton).toBeEnabled();
  await expect(importButton).toHaveText("3 doelstellingen met 7 kernresultaten importeren");
  await expectAccessible(page);
  await settled(page);
  await page.screenshot({ path: `${shots}/sheet-import-nl-1280.png`, fullPage: true });

  await importButton.click();
  await expect(page.locator("#sheet-outcome")).toHaveText(
    "3 doelstellingen, 7 kernresultaten en 6 huidige waarden geïmporteerd. Bekijk de eerste doelstelling",
  );
  await expect(page.locator("#sheet-file")).toBeVisible();
  await page.getByRole("link", { name: "Bekijk de eerste doelstelling" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Klanten zijn fan van onze service");
  await expect(page.locator("main")).toContainText("Klantenservice");
  expect(errors).toEqual([]);
  await context.close();
});

test("a Viva Goals explorer export: typed rows, a project left out, new units made for Sales and Customer Success, aligned objectives stored", async ({
  page,
}) => {
  const errors = watchForErrors(page);
  await page.goto("/admin/sheets");
  // A sheet left half-imported in this session is set aside first.
  if (await page.locator("form.sheet-discard").count()) {
    await page.getByRole("button", { name: "Start over with another file" }).click();
  }
  await page.locator("#sheet-language").selectOption("en");
  await page.locator("#sheet-file").setInputFiles(join(examples, "viva-goals-explorer-export.csv"));
  await page.getByRole("button", { name: "Read the sheet" }).click();
  await expect(page.locator(".sheet-file")).toHaveText("viva-goals-explorer-export.csv: 7 rows read.");
  for (const [at, column] of ["title", "row_type", "parent", "owner", "unit", "period", "start", "target", "current", "measure", "description"].entries())
    await expect(page.locator(`#column-${at}`)).toHaveValue(column);
  await expect(page.locator("#column-11")).toHaveValue("");

  for (const owner of ["dana.lee@example.com", "eli.park@example.com", "fay.chen@example.com"]) {
    await page.locator("tr.sheet-unmatched", { hasText: owner }).getByRole("combobox").selectOption("new");
  }
  // Neither unit is here yet: Sales is made as a department of the organisation (the
  // first unit offered), Customer Success as a team under Klantenservice.
  const underOf = (label: string, parent: string | null) =>
    page
      .getByLabel(label, { exact: true })
      .locator('option[value^="under:"]')
      .evaluateAll(
        (options, parent) => (options as HTMLOptionElement[]).find((o) => parent === null || o.textContent!.trim() === parent)!.value,
        parent,
      );
  await page.getByLabel("Unit: Sales", { exact: true }).selectOption(await underOf("Unit: Sales", null));
  await page.getByLabel("Unit: Customer Success", { exact: true }).selectOption(await underOf("Unit: Customer Success", "Klantenservice"));
  await periodToRunningQuarter(page, "Period: FY27 Q1");
  await page.getByRole("button", { name: "Show the preview again" }).click();

  const tree = page.locator("ul.import-tree");
  await expect(tree.locator("li.import-objective")).toHaveCount(2);
  await expect(tree.locator("li.import-key-result")).toHaveCount(4);
  await expect(tree).not.toContainText("Launch the partner program");
  await expect(tree.locator("li.import-objective").nth(1)).toContainText("aligns to “Grow recurring revenue”");
  await expect(tree.locator("li.import-key-result", { hasText: "Annual recurring revenue" })).toContainText("12,000,000 → 15,000,000 USD (13,100,000)");
  await expect(page.locator("#sheet-problems")).toHaveCount(0);
  await page.locator("#sheet-import").click();
  await expect(page.locator("#sheet-outcome")).toContainText("Imported 2 objectives, 4 key results and 4 current values.");

  // The new units are there, the team holding its objective aligned to Sales' one.
  await page.goto("/admin/units");
  await expect(page.locator("main")).toContainText("Customer Success");
  await expect(page.locator("main")).toContainText("Sales");
  await page.goto("/search?q=Make+onboarding+effortless");
  await page.getByRole("link", { name: "Make onboarding effortless" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Make onboarding effortless");
  await expect(page.locator("main")).toContainText("Grow recurring revenue");
  expect(errors).toEqual([]);
});
