import { join } from "node:path";
import { defineConfig } from "@playwright/test";

// Debian's Chromium, headless, with everything that would phone home switched off.
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: "./tests",
  globalSetup: "./global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    // Set by global-setup.ts, which starts the real server on a free port.
    baseURL: process.env.CAIRN_URL,
    browserName: "chromium",
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: chromiumArgs,
    },
    locale: "en-GB",
    // Signed in as the first admin (global-setup.ts writes it).
    storageState: join(__dirname, ".state", "admin.json"),
    trace: "off",
  },
});
