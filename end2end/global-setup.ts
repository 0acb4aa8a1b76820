// Starts the real `cairn` binary on a free port with a fresh database, and stops it
// when the run ends. The binary and the built site come from ./x (CAIRN_BIN,
// CAIRN_SITE_ROOT).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const bin = required("CAIRN_BIN");
  const siteRoot = required("CAIRN_SITE_ROOT");
  const dataDir = mkdtempSync(join(tmpdir(), "cairn-e2e-"));

  const server = spawn(
    bin,
    // The demo organisation (fixed seed) gives the journeys something to browse.
    ["serve", "--bind", "127.0.0.1:0", "--site-root", siteRoot, "--data-dir", dataDir, "--demo-if-empty"],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", CAIRN_LOG: "info" } },
  );

  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    server.stdout.on("data", onData);
    server.stderr.on("data", onData);
    server.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  process.env.CAIRN_URL = url;

  return async () => {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run the browser tests through ./x test`);
  return value;
}
