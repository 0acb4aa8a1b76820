import { expect, type Locator, type Page } from "@playwright/test";
import { mkdirSync, readFileSync } from "node:fs";

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
