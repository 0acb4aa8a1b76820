// Writes .br and .gz beside every compressible file of the built site, so the
// server sends the smallest encoding the browser accepts without compressing per
// request. Prints what it wrote.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const root = process.argv[2];
if (!root) {
  console.error("usage: precompress.mjs <site-dir>");
  process.exit(2);
}
const compressible = /\.(js|wasm|css|svg|html|json|txt)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (compressible.test(name)) yield path;
  }
}

for (const path of files(root)) {
  const raw = readFileSync(path);
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  const gz = gzipSync(raw, { level: 9 });
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gz);
  console.log(`${relative(root, path).padEnd(28)} ${String(raw.length).padStart(9)} B  gzip ${String(gz.length).padStart(8)} B  br ${String(br.length).padStart(8)} B`);
}
