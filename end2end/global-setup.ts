// Starts the real `cairn` binary on a free port with a fresh database, and stops it
// when the run ends. The binary comes from ./x (CAIRN_BIN) with the site built into
// it; CAIRN_SITE_ROOT, when set, serves the site from that directory instead.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

// Where the admin's signed-in browser state is kept for the journeys.
export const ADMIN_STATE = join(__dirname, ".state", "admin.json");

export default async function globalSetup(): Promise<() => Promise<void>> {
  const bin = required("CAIRN_BIN");
  const siteRoot = process.env.CAIRN_SITE_ROOT ? ["--site-root", process.env.CAIRN_SITE_ROOT] : [];
  const dataDir = mkdtempSync(join(tmpdir(), "cairn-e2e-"));

  // A real OpenID provider (tools/oidc) for the sign-in journeys; the journeys
  // change its accounts through the control file.
  const control = join(dataDir, "oidc-control.json");
  writeFileSync(control, JSON.stringify({ accounts: {} }));
  process.env.CAIRN_OIDC_CONTROL = control;
  const provider = spawn(
    "node",
    [join(__dirname, "..", "tools", "oidc", "provider.mjs"), "--control", control, "--client-secret", OIDC_SECRET],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  const issuer = await listening(provider, "the OpenID provider");

  // A real SMTP server (tools/smtp) that keeps what Cairn sends in a mailbox the
  // journeys read (CAIRN_MAILBOX: one JSON file per message, decoded).
  const mailbox = join(dataDir, "mailbox");
  const smtp = spawn(
    "/usr/bin/python3",
    [join(__dirname, "..", "tools", "smtp", "server.py"), "--dir", mailbox, "--control", join(dataDir, "smtp.json")],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  const smtpPort = await listening(smtp, "the SMTP server", /listening on smtp:\/\/127\.0\.0\.1:(\d+)/);
  process.env.CAIRN_MAILBOX = mailbox;

  const server = spawn(
    bin,
    // The demo organisation (fixed seed) gives the journeys something to browse.
    [
      "serve",
      "--bind",
      "127.0.0.1:0",
      ...siteRoot,
      "--data-dir",
      dataDir,
      "--demo-if-empty",
      ...["--oidc-id", "waterland", "--oidc-label", "Waterland ID", "--oidc-issuer", issuer],
      ...["--oidc-client-id", "cairn", "--oidc-client-secret", OIDC_SECRET],
      ...["--oidc-scopes", "openid,email,profile,groups", "--oidc-allowed-domains", "waterland.example"],
      ...["--oidc-group-map", "platform=Platform;brand=Brand"],
      ...["--smtp-host", "127.0.0.1", "--smtp-port", smtpPort, "--smtp-security", "none"],
      ...["--mail-from", "Cairn <okr@waterland.example>", "--mail-retry-seconds", "1"],
    ],
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
  process.env.CAIRN_LOG_TEXT = output;

  // Every journey runs as the first admin, signed in through the one-time link
  // the first start printed; journeys about signing in start from an empty state.
  const link = output.match(/\/sign-in\/link\/([0-9a-f]+)/);
  if (!link) throw new Error(`no sign-in link printed:\n${output}`);
  const answer = await fetch(`${url}/sign-in/link`, {
    method: "POST",
    body: new URLSearchParams({ token: link[1] }),
    redirect: "manual",
  });
  const cookie = (answer.headers.get("set-cookie") ?? "").match(/cairn_session=([^;]+)/);
  if (!cookie) throw new Error(`the sign-in link gave no session (${answer.status})`);
  mkdirSync(dirname(ADMIN_STATE), { recursive: true });
  writeFileSync(
    ADMIN_STATE,
    JSON.stringify({
      cookies: [
        {
          name: "cairn_session",
          value: cookie[1],
          domain: new URL(url).hostname,
          path: "/",
          expires: -1,
          httpOnly: true,
          secure: false,
          sameSite: "Lax",
        },
      ],
      origins: [],
    }),
  );

  return async () => {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
    provider.kill("SIGTERM");
    smtp.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  };
}

// The OpenID provider's secret for Cairn, on loopback only.
const OIDC_SECRET = "cairn-e2e-secret";

// The address a process prints as `listening on <url>` when it is ready (or what
// `pattern` picks out of that line).
function listening(
  child: ChildProcess,
  what: string,
  pattern: RegExp = /listening on (http:\/\/[\d.]+:\d+)/,
): Promise<string> {
  let output = "";
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 30 s:\n${output}`)), 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${output}`));
    });
  });
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run the browser tests through ./x test`);
  return value;
}
