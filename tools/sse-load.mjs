// Live-update figures: opens N server-sent event streams on a running Cairn,
// makes check-ins through its API, and measures when each event reaches each
// stream. Also reads the server's memory before and after the streams open.
//
//   node tools/sse-load.mjs <base-url> <server-pid> [clients] [check-ins]
//
// Bounded in time: it gives up after 120 s whatever happens.

import http from "node:http";
import fs from "node:fs";

const [base, pid, clientsArg = "1000", checkInsArg = "40"] = process.argv.slice(2);
if (!base || !pid) {
  console.error("usage: node tools/sse-load.mjs <base-url> <server-pid> [clients] [check-ins]");
  process.exit(2);
}
const CLIENTS = Number(clientsArg);
const CHECK_INS = Number(checkInsArg);
const url = new URL(base);
setTimeout(() => {
  console.error("sse-load: gave up after 120 s");
  process.exit(1);
}, 120_000).unref();

const now = () => performance.timeOrigin + performance.now();
const rssKiB = () => {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
};
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
// Everyone reads signed in: the session cookie ./x live got for the first admin.
const cookie = process.env.CAIRN_COOKIE ?? "";

function get(path) {
  return new Promise((resolve, reject) => {
    http.get({ host: url.hostname, port: url.port, path, agent, headers: { cookie } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve(body));
    }).on("error", reject);
  });
}

function post(path, form) {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams(form).toString();
    const req = http.request(
      {
        host: url.hostname, port: url.port, path, method: "POST", agent,
        headers: { cookie, "content-type": "application/x-www-form-urlencoded", accept: "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${res.statusCode} ${text}`))));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

// A metric key result of the current period: the first check-in form with a
// value field on the first objective page the front page links to.
async function findKeyResult() {
  const front = await get("/");
  for (const [, id] of front.matchAll(/href="\/objectives\/(\d+)"/g)) {
    const page = await get(`/objectives/${id}`);
    const match = /id="ci-value-(\d+)"/.exec(page);
    if (match) return Number(match[1]);
  }
  throw new Error("no metric key result with a check-in form found");
}

// value -> { at: server change time (ms), arrivals: [] }
const pending = new Map();
const latencies = [];
let connected = 0;

function openStream() {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: url.hostname, port: url.port, path: "/events", agent, headers: { cookie } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream: ${res.statusCode}`));
      connected += 1;
      resolve();
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        const arrived = now();
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("");
          if (!data) continue;
          const event = JSON.parse(data);
          if (event.kind !== "check_in") continue;
          const sample = pending.get(event.change.value);
          if (sample) {
            latencies.push(arrived - event.at);
            sample.count += 1;
          }
        }
      });
    });
    req.on("error", reject);
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const keyResult = await findKeyResult();
const before = rssKiB();
const opening = now();
for (let i = 0; i < CLIENTS; i += 100) {
  await Promise.all(Array.from({ length: Math.min(100, CLIENTS - i) }, openStream));
}
const opened = now() - opening;
await new Promise((r) => setTimeout(r, 1000));
const after = rssKiB();

for (let i = 0; i < CHECK_INS; i++) {
  const value = 1000 + i + Math.random() / 10;
  pending.set(value, { count: 0 });
  await post("/api/check_in", { key_result: keyResult, value, confidence: 7, note: "load" });
  await new Promise((r) => setTimeout(r, 100));
}
// Let the last events arrive.
const deadline = now() + 10_000;
while (latencies.length < CLIENTS * CHECK_INS && now() < deadline) {
  await new Promise((r) => setTimeout(r, 50));
}

latencies.sort((a, b) => a - b);
const delivered = latencies.length;
console.log(`streams open:             ${connected} of ${CLIENTS} (in ${(opened / 1000).toFixed(1)} s)`);
console.log(`check-ins:                ${CHECK_INS}, one every 100 ms, on key result ${keyResult}`);
console.log(`events delivered:         ${delivered} of ${CLIENTS * CHECK_INS}`);
if (delivered === 0) {
  console.error("sse-load: no check-in event reached any stream");
  process.exit(1);
}
console.log(`change to client, p50:    ${percentile(latencies, 50).toFixed(1)} ms`);
console.log(`change to client, p99:    ${percentile(latencies, 99).toFixed(1)} ms`);
console.log(`change to client, max:    ${latencies[latencies.length - 1].toFixed(1)} ms`);
console.log(`server memory:            ${(before / 1024).toFixed(1)} MiB before, ${(after / 1024).toFixed(1)} MiB with the streams open`);
console.log(`memory per open stream:   ${(((after - before) * 1024) / CLIENTS / 1024).toFixed(1)} KiB`);
process.exit(delivered === CLIENTS * CHECK_INS ? 0 : 1);
