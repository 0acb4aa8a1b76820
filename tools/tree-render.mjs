// Time to first render of the cascade tree in Chromium: loads /tree for a period
// and reports when the first row is painted (server-rendered HTML) and when the
// island is interactive (hydrated), from the start of navigation.
//
//   node tools/tree-render.mjs <base-url> <period-id> [runs]

import { createRequire } from "node:module";
const require = createRequire(new URL("../end2end/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const [base, period, runsArg = "5"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const results = [];
for (let i = 0; i < Number(runsArg); i++) {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    // Signed in: the session cookie ./x live got for the first admin.
    extraHTTPHeaders: { cookie: process.env.CAIRN_COOKIE ?? "" },
  });
  await page.goto(`${base}/tree?period=${period}`, { waitUntil: "commit" });
  await page.waitForSelector(".cascade[data-ready] .tree-row", { timeout: 60_000 });
  const figures = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const paint = performance.getEntriesByType("paint").find((p) => p.name === "first-contentful-paint");
    return {
      response: nav.responseEnd,
      bytes: nav.transferSize,
      firstPaint: paint ? paint.startTime : NaN,
      interactive: performance.now(),
      rows: document.querySelectorAll(".tree-row").length,
    };
  });
  results.push(figures);
  await page.close();
}
await browser.close();
const median = (key) => {
  const sorted = results.map((r) => r[key]).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
console.log(`runs:                      ${results.length}`);
console.log(`HTML received (median):    ${median("response").toFixed(0)} ms, ${(median("bytes") / 1024).toFixed(0)} KiB on the wire`);
console.log(`first rows painted:        ${median("firstPaint").toFixed(0)} ms`);
console.log(`tree interactive:          ${median("interactive").toFixed(0)} ms`);
console.log(`rows in the document:      ${median("rows")}`);
