import { writeFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { expectAccessible, shots, watchForErrors } from "./helpers";

// The accounts at the test provider (tools/oidc/provider.mjs), by login.
function atProvider(accounts: Record<string, { email: string; name: string; groups: string[] }>) {
  const verified = Object.fromEntries(
    Object.entries(accounts).map(([login, a]) => [login, { ...a, email_verified: true }]),
  );
  writeFileSync(process.env.CAIRN_OIDC_CONTROL!, JSON.stringify({ accounts: verified }));
}

test.use({ storageState: { cookies: [], origins: [] } });

// A team's page, reached as anyone reaches it: from the organisation's page down
// through its department; its members.
async function teamMembers(page: Page, department: string, name: string) {
  await page.goto("/units/1");
  await page.getByRole("link", { name: department, exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(department);
  await page.getByRole("link", { name, exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  return page.locator("section[aria-labelledby=members]");
}

test("a new employee signs in with the organisation's provider, lands in their team, and follows their group", async ({
  page,
}) => {
  const errors = watchForErrors(page);
  atProvider({ sanne: { email: "sanne.sso@waterland.example", name: "Sanne de Vries", groups: ["platform"] } });

  await page.goto("/my");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await expectAccessible(page);
  await page.screenshot({ path: `${shots}/sign-in-sso-en-1280.png` });
  await page.getByRole("link", { name: "Sign in with Waterland ID" }).click();

  // The provider's own page.
  await expect(page.getByRole("heading", { name: "Test identity provider" })).toBeVisible();
  await page.getByLabel("Account").fill("sanne");
  await page.getByRole("button", { name: "Sign in" }).click();

  // Back in Cairn, where they were going, as a new person in the mapped team.
  await expect(page).toHaveURL(/\/my$/);
  await expect(page.locator("header")).toContainText("Sanne de Vries");
  // Their team's page lists them, with the team's OKRs.
  await expect(await teamMembers(page, "Engineering", "Platform")).toContainText("Sanne de Vries");
  await expect(page.locator("article.objective-card").first()).toBeVisible();
  await page.screenshot({ path: `${shots}/sso-team-en-1280.png`, fullPage: true });
  await page.goto("/account");
  await expect(page.locator(".account-email")).toHaveText("sanne.sso@waterland.example");

  // Signing out ends the session here and at the provider, and comes back.
  await page.getByRole("link", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in\?notice=signed_out/);
  await expect(page.getByRole("status")).toHaveText("You are signed out.");
  await page.goto("/my");
  await expect(page).toHaveURL(/\/sign-in/);

  // Their group changes at the provider: the next sign-in moves them.
  atProvider({ sanne: { email: "sanne.sso@waterland.example", name: "Sanne de Vries", groups: ["brand"] } });
  await page.getByRole("link", { name: "Sign in with Waterland ID" }).click();
  await page.getByLabel("Account").fill("sanne");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/my$/);
  await expect(await teamMembers(page, "Marketing", "Brand")).toContainText("Sanne de Vries");
  await expect(await teamMembers(page, "Engineering", "Platform")).not.toContainText("Sanne de Vries");
  expect(errors).toEqual([]);
});

test("a refused provider sign-in says why in one sentence, in Dutch too", async ({ page }) => {
  atProvider({ gast: { email: "gast@elders.example", name: "Gast", groups: [] } });
  await page.goto("/language/nl");
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Inloggen met Waterland ID" }).click();
  await page.getByLabel("Account").fill("gast");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sign-in\?notice=sso&why=domain/);
  await expect(page.getByRole("alert")).toHaveText(
    "Mensen met een e-mailadres op jouw domein kunnen zich hier niet zelf aanmelden. Vraag een beheerder je toe te voegen.",
  );
  await expectAccessible(page);
  await page.screenshot({ path: `${shots}/sign-in-refused-nl-1280.png` });
});
