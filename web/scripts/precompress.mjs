// Writes a gzip file beside every text asset in dist/ (foo.js -> foo.js.gz);
// the server sends these to clients that accept gzip.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const compressible = /\.(js|css|html|svg)$/;

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (compressible.test(entry.name)) yield path;
  }
}

let count = 0;
let before = 0;
let after = 0;
for await (const path of walk(dist)) {
  const data = await readFile(path);
  const gz = gzipSync(data, { level: constants.Z_BEST_COMPRESSION });
  await writeFile(`${path}.gz`, gz);
  count += 1;
  before += data.length;
  after += gz.length;
}
console.log(`precompress: ${count} files, ${(before / 1024).toFixed(0)} KiB -> ${(after / 1024).toFixed(0)} KiB gzip`);
