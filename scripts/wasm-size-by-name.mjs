#!/usr/bin/env node
// Where the wasm bytes go, by function name (size work, not a test): code bytes per function,
// grouped by path with generic arguments folded (`<…>`), biggest first.
//
//   node scripts/wasm-size-by-name.mjs FILE.wasm [--re REGEX] [--top N] [--each]
//
// FILE must keep its name section. Build one without touching the normal target dir:
//   sed 's/data-wasm-opt-params="/data-wasm-opt-params="-g /' index.html > index-prof.html
//   CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -C symbol-mangling-version=v0" \
//   CARGO_PROFILE_WASM_RELEASE_STRIP=false CARGO_TARGET_DIR=target/prof \
//     trunk build --release --dist target/site-prof index-prof.html; rm index-prof.html
// (v0 mangling puts the generic arguments in every name, so --each --re 'sort' tells which
// element types each sort instance is for.)
import { readFileSync } from 'node:fs';
import { args, opt } from './options.mjs';

const file = args[0];
if (!file) {
  console.error('usage: wasm-size-by-name.mjs FILE.wasm [--re REGEX] [--top N] [--each]');
  process.exit(2);
}
const buf = readFileSync(file);
let p = 8;
const leb = () => {
  let r = 0;
  let s = 0;
  let b;
  do {
    b = buf[p++];
    r |= (b & 0x7f) << s;
    s += 7;
  } while (b & 0x80);
  return r >>> 0;
};
const str = () => {
  const n = leb();
  const s = buf.toString('utf8', p, p + n);
  p += n;
  return s;
};
let imports = 0;
const bodies = [];
const names = new Map();
let data = 0;
while (p < buf.length) {
  const id = buf[p++];
  const size = leb();
  const end = p + size;
  if (id === 2) {
    const n = leb();
    for (let i = 0; i < n; i++) {
      str();
      str();
      const kind = buf[p++];
      if (kind === 0) {
        leb();
        imports++;
      } else if (kind === 1) {
        p++;
        const f = buf[p++];
        leb();
        if (f & 1) leb();
      } else if (kind === 2) {
        const f = buf[p++];
        leb();
        if (f & 1) leb();
      } else if (kind === 3) {
        p += 2;
      }
    }
  } else if (id === 10) {
    const n = leb();
    for (let i = 0; i < n; i++) {
      const s = leb();
      bodies.push(s);
      p += s;
    }
  } else if (id === 11) {
    data += size;
  } else if (id === 0 && str() === 'name') {
    while (p < end) {
      const sub = buf[p++];
      const len = leb();
      const next = p + len;
      if (sub === 1) {
        const n = leb();
        for (let i = 0; i < n; i++) {
          const idx = leb();
          names.set(idx, str());
        }
      }
      p = next;
    }
  }
  p = end;
}
const fold = (n) => {
  n = n.replace(/\[[0-9a-f]{16}\]/g, '');
  let out = '';
  let depth = 0;
  for (const ch of n) {
    if (ch === '<') {
      if (depth === 0) out += '<…>';
      depth++;
    } else if (ch === '>') {
      depth = Math.max(0, depth - 1);
    } else if (depth === 0) {
      out += ch;
    }
  }
  return out;
};
const each = args.includes('--each');
const re = new RegExp(opt('re', '.'));
const groups = new Map();
let code = 0;
bodies.forEach((size, i) => {
  code += size;
  const raw = (names.get(i + imports) ?? '?').replace(/\[[0-9a-f]{16}\]/g, '');
  const key = each ? raw : fold(raw);
  const g = groups.get(key) ?? [0, 0];
  g[0]++;
  g[1] += size;
  groups.set(key, g);
});
console.log(`${bodies.length} functions, code ${code} B, data ${data} B${names.size ? '' : ' (no name section!)'}`);
console.log('   bytes    n  function');
[...groups]
  .filter(([k]) => re.test(k))
  .sort((a, b) => b[1][1] - a[1][1])
  .slice(0, Number(opt('top', '50')))
  .forEach(([k, [n, s]]) => console.log(`${String(s).padStart(8)} ${String(n).padStart(4)}  ${k.slice(0, 300)}`));
