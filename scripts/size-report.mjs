#!/usr/bin/env node
// Size report of a built site: the gzip size (level 9, as a static host would serve it) of every
// file, as a table, and the size budget. Exits 1 when wasm + js + css together exceed the budget.
//
//   node scripts/size-report.mjs [DIR]      (default: dist)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

// THE size budget: gzipped bytes of everything the browser must fetch to run the app (wasm + js +
// css). Tighten it here, and only here.
// TARGET_GZIP_BYTES is the product's target (issue "Foundation": 400 KB). The app does not meet it
// yet (~705 KB: one wasm module for the page and the incident worker; see ARCHITECTURE.md "Known
// gaps" for where the bytes are), so the test command fails only above BUDGET_GZIP_BYTES, the
// current ceiling, which stops any further growth. Raised 680 → 720 KB for the verdicts, error
// summary, summary strip and the EN/ZH glossary (8 KB of text); the first-load budget that
// replaces this whole-app figure is set by the "First load and offline" issue.
export const TARGET_GZIP_BYTES = 400 * 1024;
export const BUDGET_GZIP_BYTES = 720 * 1024;
const BUDGETED = new Set(['.wasm', '.js', '.css']);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const dir = process.argv[2] ?? 'dist';
let files;
try {
  files = walk(dir);
} catch (err) {
  console.error(`size-report: cannot read ${dir}: ${err.message}`);
  process.exit(2);
}
if (!files.some((f) => extname(f) === '.wasm')) {
  console.error(`size-report: no .wasm file in ${dir}: not a built site`);
  process.exit(2);
}

const rows = files
  .map((path) => {
    const raw = readFileSync(path);
    return { file: relative(dir, path), raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
  })
  .sort((a, b) => b.gzip - a.gzip || a.file.localeCompare(b.file));

const width = Math.max(4, ...rows.map((r) => r.file.length));
const line = (file, raw, gzip, counted) =>
  `| ${file.padEnd(width)} | ${raw.padStart(10)} | ${gzip.padStart(10)} | ${counted.padEnd(6)} |`;
console.log(`Size report of ${dir} (gzip -9)`);
console.log(line('file', 'raw', 'gzip', 'budget'));
console.log(`|${'-'.repeat(width + 2)}|${'-'.repeat(12)}|${'-'.repeat(12)}|${'-'.repeat(8)}|`);
for (const r of rows) {
  console.log(line(r.file, kb(r.raw), kb(r.gzip), BUDGETED.has(extname(r.file)) ? 'yes' : ''));
}
const total = rows.reduce((s, r) => s + r.gzip, 0);
const counted = rows.filter((r) => BUDGETED.has(extname(r.file))).reduce((s, r) => s + r.gzip, 0);
const pct = ((100 * counted) / BUDGET_GZIP_BYTES).toFixed(1);
console.log(`all files: ${kb(total)} gzip; wasm+js+css: ${kb(counted)} gzip (${counted} B)`);
if (counted > BUDGET_GZIP_BYTES) {
  console.log(`size budget EXCEEDED: wasm+js+css ${kb(counted)} > ${kb(BUDGET_GZIP_BYTES)} (${pct}%)`);
  process.exit(1);
}
console.log(`size budget ok: wasm+js+css ${kb(counted)} of ${kb(BUDGET_GZIP_BYTES)} (${pct}%)`);
if (counted > TARGET_GZIP_BYTES) {
  const over = ((100 * counted) / TARGET_GZIP_BYTES).toFixed(1);
  console.log(`size TARGET NOT MET: wasm+js+css ${kb(counted)} > target ${kb(TARGET_GZIP_BYTES)} (${over}%)`);
}
