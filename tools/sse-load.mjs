// Live-update figures: opens N server-sent event streams on a running Cairn,
// makes check-ins through its API, and measures when each event reaches each
// stream. Also reads the server's memory before and after the streams open.
//
//   node tools/sse-load.mjs <base-url> <server-pid> [clients] [check-ins]
//
// The streams are read by worker threads (SSE_WORKERS, by default one per core),
// so one reader's event loop is not what the figures measure. Bounded in time:
// it gives up after 300 s whatever happens.

import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

const now = () => performance.timeOrigin + performance.now();

if (isMainThread) {
  await main();
} else {
  await reader(workerData);
}

function agentFor() {
  return new http.Agent({ keepAlive: false, maxSockets: Infinity });
}

// A worker: opens its share of the streams, 100 at a time, and keeps the arrival
// latency of every check-in event it reads. Says how many it opened, then how many
// events it has read every 200 ms, and its latencies when asked.
async function reader({ base, cookie, count }) {
  const url = new URL(base);
  const agent = agentFor();
  const samples = []; // [value, latency] pairs
  let connected = 0;
  let failed = 0;
  function openStream() {
    return new Promise((resolve) => {
      const req = http.get({ host: url.hostname, port: url.port, path: "/events", agent, headers: { cookie } }, (res) => {
        if (res.statusCode !== 200) {
          failed += 1;
          res.resume();
          return resolve();
        }
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
            samples.push(event.change.value, arrived - event.at);
          }
        });
      });
      req.on("error", () => {
        failed += 1;
        resolve();
      });
    });
  }
  for (let i = 0; i < count; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, count - i) }, openStream));
  }
  parentPort.postMessage({ type: "opened", connected, failed });
  const ticker = setInterval(() => parentPort.postMessage({ type: "read", events: samples.length / 2 }), 200);
  parentPort.on("message", (message) => {
    if (message.type !== "report") return;
    clearInterval(ticker);
    const wanted = new Set(message.values);
    const latencies = [];
    for (let i = 0; i < samples.length; i += 2) {
      if (wanted.has(samples[i])) latencies.push(samples[i + 1]);
    }
    parentPort.postMessage({ type: "latencies", latencies: Float64Array.from(latencies) });
    setImmediate(() => process.exit(0));
  });
}

async function main() {
  const [base, pid, clientsArg = "1000", checkInsArg = "40"] = process.argv.slice(2);
  if (!base || !pid) {
    console.error("usage: node tools/sse-load.mjs <base-url> <server-pid> [clients] [check-ins]");
    process.exit(2);
  }
  const CLIENTS = Number(clientsArg);
  const CHECK_INS = Number(checkInsArg);
  const WORKERS = Math.max(1, Number(process.env.SSE_WORKERS ?? os.availableParallelism()));
  const url = new URL(base);
  setTimeout(() => {
    console.error("sse-load: gave up after 300 s");
    process.exit(1);
  }, 300_000).unref();

  const rssKiB = () => {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  };
  const agent = agentFor();
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

  const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  const keyResult = await findKeyResult();
  const before = rssKiB();
  const opening = now();
  const workers = [];
  const read = new Array(WORKERS).fill(0);
  let connected = 0;
  let failed = 0;
  const opened = Array.from({ length: WORKERS }, (_, w) => {
    const count = Math.floor(CLIENTS / WORKERS) + (w < CLIENTS % WORKERS ? 1 : 0);
    const worker = new Worker(new URL(import.meta.url), { workerData: { base, cookie, count } });
    workers.push(worker);
    return new Promise((resolve, reject) => {
      worker.on("error", reject);
      worker.on("message", (message) => {
        if (message.type === "opened") {
          connected += message.connected;
          failed += message.failed;
          resolve();
        } else if (message.type === "read") {
          read[w] = message.events;
        }
      });
    });
  });
  await Promise.all(opened);
  const openTime = now() - opening;
  await sleep(1000);
  const after = rssKiB();

  const values = [];
  for (let i = 0; i < CHECK_INS; i++) {
    const value = 1000 + i + Math.random() / 10;
    values.push(value);
    await post("/api/check_in", { key_result: keyResult, value, confidence: 7, note: "load" });
    await sleep(100);
  }
  // Let the last events arrive.
  const expected = connected * CHECK_INS;
  const deadline = now() + 15_000;
  while (read.reduce((a, b) => a + b, 0) < expected && now() < deadline) {
    await sleep(100);
  }
  const reports = workers.map(
    (worker) =>
      new Promise((resolve) => {
        worker.on("message", (message) => message.type === "latencies" && resolve(message.latencies));
        worker.postMessage({ type: "report", values });
      }),
  );
  const latencies = (await Promise.all(reports)).flatMap((array) => Array.from(array));
  latencies.sort((a, b) => a - b);
  const delivered = latencies.length;
  console.log(`streams open:             ${connected} of ${CLIENTS} (in ${(openTime / 1000).toFixed(1)} s, ${WORKERS} reader threads, ${failed} refused)`);
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
}
