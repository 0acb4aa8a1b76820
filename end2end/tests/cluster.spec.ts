import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { ready } from "./helpers";

// Two nodes on one PostgreSQL behind nginx, configured by the shipped example
// (dist/nginx.conf): a browser watching the tree through the proxy sees every
// check-in while first one node and then the other is killed, its event stream
// reconnecting to the node that is left without missing an event.

const bin = process.env.CAIRN_BIN!;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function listening(child: ChildProcess, out: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      out.push(chunk.toString());
      const match = out.join("").match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (match) resolve(match[1]);
    };
    child.stdout!.on("data", seen);
    child.stderr!.on("data", seen);
    child.on("exit", (code) => reject(new Error(`exited with ${code}:\n${out.join("")}`)));
  });
}

function accepting(port: number): Promise<void> {
  return new Promise((resolve) => {
    const attempt = () => {
      const socket = connect(port, "127.0.0.1");
      socket.on("connect", () => {
        socket.destroy();
        resolve();
      });
      socket.on("error", () => setTimeout(attempt, 20));
    };
    attempt();
  });
}

test("behind nginx, a browser's live tree keeps every check-in while each node in turn is killed", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const admin = process.env.CAIRN_TEST_POSTGRES_URL;
  expect(admin, "./x test starts a throwaway PostgreSQL and names it in CAIRN_TEST_POSTGRES_URL").toBeTruthy();
  const name = `e2e_cluster_${process.pid}`;
  for (const sql of [`DROP DATABASE IF EXISTS ${name}`, `CREATE DATABASE ${name}`]) {
    const made = spawnSync("psql", [admin!, "-qc", sql], { encoding: "utf8" });
    expect(made.status, made.stderr).toBe(0);
  }
  const url = `${admin!.slice(0, admin!.lastIndexOf("/"))}/${name}`;
  const dir = mkdtempSync(join(tmpdir(), "cairn-cluster-"));
  const demo = spawnSync(bin, ["demo", "--database-url", url, "--data-dir", dir], { encoding: "utf8" });
  expect(demo.status, demo.stderr).toBe(0);

  const ports = [await freePort(), await freePort()];
  const nodes: (ChildProcess | undefined)[] = [undefined, undefined];
  const outputs: string[][] = [[], []];
  const start = async (i: number) => {
    outputs[i] = [];
    const child = spawn(
      bin,
      ["serve", "--bind", `127.0.0.1:${ports[i]}`, "--database-url", url, "--data-dir", dir],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CAIRN_TRUSTED_PROXIES: "127.0.0.1" } },
    );
    nodes[i] = child;
    await listening(child, outputs[i]);
  };
  const kill = async (i: number) => {
    const exited = new Promise((resolve) => nodes[i]!.once("exit", resolve));
    nodes[i]!.kill("SIGKILL");
    await exited;
  };
  await start(0);
  await start(1);

  const proxyPort = await freePort();
  const example = readFileSync(join(__dirname, "..", "..", "dist", "nginx.conf"), "utf8");
  const site = example
    .replace("127.0.0.1:3000", `127.0.0.1:${ports[0]}`)
    .replace("127.0.0.1:3001", `127.0.0.1:${ports[1]}`)
    .replace("listen 80;", `listen 127.0.0.1:${proxyPort};`);
  writeFileSync(join(dir, "cairn.conf"), site);
  const root = process.getuid?.() === 0 ? "user root;\n" : "";
  writeFileSync(
    join(dir, "nginx.conf"),
    `daemon off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log info;\n${root}` +
      `events { worker_connections 1024; }\nhttp {\n  access_log ${dir}/access.log;\n` +
      `  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n` +
      `  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;\n  include ${dir}/cairn.conf;\n}\n`,
  );
  const nginx = spawn("nginx", ["-p", dir, "-c", join(dir, "nginx.conf")], { stdio: "ignore" });
  await accepting(proxyPort);
  const proxy = `http://127.0.0.1:${proxyPort}`;

  try {
    // Signed in through the proxy with the first admin's link, in two browsers.
    const link = outputs[0].join("").match(/\/sign-in\/link\/([0-9a-f]+)/)!;
    const answer = await fetch(`${proxy}/sign-in/link`, {
      method: "POST",
      body: new URLSearchParams({ token: link[1] }),
      redirect: "manual",
    });
    const cookie = answer.headers.get("set-cookie")!.match(/cairn_session=([^;]+)/)![1];
    const signedIn = async () => {
      const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
      await context.addCookies([{ name: "cairn_session", value: cookie, url: proxy }]);
      return context.newPage();
    };
    const one = await signedIn();
    const two = await signedIn();
    await two.goto(`${proxy}/tree`);
    await expect(two.locator(".cascade")).toHaveAttribute("data-ready", "");
    await expect(two.locator(".live-state")).toHaveText("Live");
    await two.evaluate(() => ((window as unknown as { stay: number }).stay = 7));
    const krRow = two.locator("li.tree-row.key-result").first();
    const kr = (await krRow.getAttribute("data-key-result"))!;
    const objective = (await krRow.locator(".node-title").getAttribute("href"))!;
    const shown = () => two.locator(`li.tree-row[data-key-result="${kr}"] [role=progressbar]`).getAttribute("aria-valuenow");

    // A check-in from the first browser that moves the bar; the second must show it.
    const checkIn = async (page: Page) => {
      await page.goto(`${proxy}${objective}`);
      const article = page.locator(`#kr-${kr}`);
      const form = article.locator("details.check-in");
      await ready(form.locator("form"));
      const before = await article.locator("[role=progressbar]").first().getAttribute("aria-valuenow");
      // Open unless it already is (a key result due a check-in shows it open).
      if (!(await form.evaluate((d) => (d as HTMLDetailsElement).open))) await form.locator("summary").click();
      const value = article.locator(`#ci-value-${kr}`);
      if (await value.count()) await value.fill(Number(before) > 0 ? "0" : "1000000");
      else await article.locator('input[type="checkbox"]').first().click();
      await form.getByRole("button", { name: "Save check-in" }).click();
      await expect(form.locator(".form-status")).toHaveText("Saved.");
      const bar = await article.locator("[role=progressbar]").first().getAttribute("aria-valuenow");
      expect(bar).not.toBe(before);
      await expect.poll(shown, { timeout: 15_000 }).toBe(bar);
    };
    await checkIn(one);
    // One node dies: the proxy sends everything to the other, the stream follows.
    await kill(0);
    await checkIn(one);
    // It comes back and the other dies: the stream follows again.
    await start(0);
    // The proxy has marked it down for a while (fail_timeout): it is back once the
    // proxy sends it requests again.
    await expect
      .poll(
        async () => {
          await fetch(`${proxy}/readyz`);
          return outputs[0].join("").includes("/readyz");
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await kill(1);
    await checkIn(one);
    // Nothing reloaded the watching page.
    await expect(two.locator(".live-state")).toHaveText("Live");
    expect(await two.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(7);
  } finally {
    nginx.kill("SIGTERM");
    for (const node of nodes) node?.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});
