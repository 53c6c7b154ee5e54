// Trunk post-build hook (Trunk.toml): in release builds, makes the page's
// download smaller in two ways, and updates the subresource-integrity hashes
// of what it changed in index.html.
//
// 1. Minifies the page's wasm-bindgen glue. Trunk 0.21's own JS minifier
//    (minify-js) stops at the glue's last line,
//    `export { initSync, __wbg_init as default }`, warns "Failed to minify JS"
//    and ships the glue as written: 57 KB, 9.7 KB gzipped, of the page's
//    300 KB budget. Terser gives 7.4 KB.
// 2. Shortens the names of the functions the wasm imports from the glue.
//    wasm-bindgen names each after its Rust binding with a 16-digit hash
//    (`__wbg_clientWidth_269ea87f17b863bf`), and both files carry each of
//    the 200-odd names once; hashes do not compress. Renamed `_0`, `_1`, …
//    in the wasm's import section and in the glue's import object alike,
//    the two files are 6.7 KB smaller gzipped (measured on this build).
//    Every name must occur exactly once in the glue, or the build fails.
//
// 3. Drops the stream adapters that server_fn (the Leptos dependency for
//    server functions, of which the page has none) exports through
//    wasm-streams: three JavaScript classes (`IntoUnderlyingSource`, …) in
//    the glue, and the wasm functions only they call, which wasm-opt then
//    removes with all the code only they reached (−2.3 KB gzipped). The
//    build fails unless each class is found once and nothing else in the
//    glue calls the functions dropped.
//
// The worker's glue (a classic script) is minified by Trunk already, and
// the worker is left as it is.
//
// Runs with Trunk's environment: TRUNK_PROFILE, TRUNK_STAGING_DIR (the build
// before it is moved to dist/). Terser comes from the browser tests' npm
// packages, where `make` installs it beside binaryen's wasm-opt.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const fail = (message) => {
  console.error(`minify-bundle: ${message}`);
  process.exit(1);
};

if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);
const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
let minify;
try {
  ({ minify } = require('terser'));
} catch {
  fail('Terser is not installed in tests/browser/node_modules: run `make setup-node` (or `make build`)');
}
const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) fail('TRUNK_STAGING_DIR is not set (run by Trunk as a post_build hook)');

/** The unsigned LEB128 number at `at` in `bytes`, and where it ends. */
const readLeb = (bytes, at) => {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
};

/** `value` as unsigned LEB128. */
const leb = (value) => {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
};

/** Where the description of an import of `kind` that starts at `at` ends. */
const importEnd = (bytes, kind, at) => {
  const limitsEnd = (from) => {
    const hasMaximum = bytes[from] & 1;
    const afterMinimum = readLeb(bytes, from + 1)[1];
    return hasMaximum ? readLeb(bytes, afterMinimum)[1] : afterMinimum;
  };
  switch (kind) {
    case 0: return readLeb(bytes, at)[1]; // function: its type index
    case 1: return limitsEnd(at + 1); // table: element type, limits
    case 2: return limitsEnd(at); // memory: limits
    case 3: return at + 2; // global: value type, mutability
    default: return fail(`the wasm imports something of kind ${kind}, which this hook does not know`);
  }
};

/**
 * The wasm `bytes` with its section `id` replaced: `entries` gets the
 * section's entry count and where its first entry starts, and gives the new
 * entries (their count is taken from their number) and where the old ones
 * ended, which must be where the section's size says; `what` names the
 * section in the failure.
 */
const rewriteSection = (bytes, id, what, entries) => {
  const parts = [bytes.subarray(0, 8)];
  let at = 8;
  while (at < bytes.length) {
    const [size, body] = readLeb(bytes, at + 1);
    const end = body + size;
    if (bytes[at] !== id) {
      parts.push(bytes.subarray(at, end));
      at = end;
      continue;
    }
    const [count, first] = readLeb(bytes, body);
    const [kept, entriesEnd] = entries(count, first);
    if (entriesEnd !== end) fail(`the wasm ${what} section did not end where its size says`);
    const sectionBytes = Buffer.concat([leb(kept.length), ...kept]);
    parts.push(Buffer.from([id]), leb(sectionBytes.length), sectionBytes);
    at = end;
  }
  return Buffer.concat(parts);
};

/**
 * The wasm `bytes` with every function imported from `module` renamed to a
 * short name, and the names: old name → new name.
 */
const renameImports = (bytes, module) => {
  const renamed = new Map();
  const rewritten = rewriteSection(bytes, 2, 'import', (count, first) => {
    const entries = [];
    let entry = first;
    for (let i = 0; i < count; i++) {
      const [moduleLength, moduleStart] = readLeb(bytes, entry);
      const from = bytes.subarray(moduleStart, moduleStart + moduleLength);
      const [nameLength, nameStart] = readLeb(bytes, moduleStart + moduleLength);
      const name = bytes.subarray(nameStart, nameStart + nameLength).toString('utf8');
      const kindAt = nameStart + nameLength;
      const descriptionEnd = importEnd(bytes, bytes[kindAt], kindAt + 1);
      let newName = name;
      if (from.toString('utf8') === module) {
        newName = renamed.get(name) ?? `_${renamed.size.toString(36)}`;
        renamed.set(name, newName);
      }
      entries.push(Buffer.concat([
        leb(moduleLength), from, leb(Buffer.byteLength(newName)), Buffer.from(newName),
        bytes.subarray(kindAt, descriptionEnd),
      ]));
      entry = descriptionEnd;
    }
    return [entries, entry];
  });
  return [rewritten, renamed];
};

/** The wasm `bytes` without the exports named in `names`, all of which it must have. */
const dropExports = (bytes, names) => {
  const dropped = new Set();
  const rewritten = rewriteSection(bytes, 7, 'export', (count, first) => {
    const kept = [];
    let entry = first;
    for (let i = 0; i < count; i++) {
      const [nameLength, nameStart] = readLeb(bytes, entry);
      const name = bytes.subarray(nameStart, nameStart + nameLength).toString('utf8');
      // The export's kind (one byte), then the index of what it exports.
      const exportEnd = readLeb(bytes, nameStart + nameLength + 1)[1];
      if (names.has(name)) dropped.add(name);
      else kept.push(bytes.subarray(entry, exportEnd));
      entry = exportEnd;
    }
    return [kept, entry];
  });
  const missing = [...names].filter((name) => !dropped.has(name));
  if (missing.length) fail(`the wasm does not export ${missing.join(', ')}`);
  return rewritten;
};

/** The classes server_fn exports through wasm-streams, which the page never uses. */
const UNUSED_CLASSES = ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource'];

/**
 * `glue` without the UNUSED_CLASSES (each class, its dispose alias and its
 * finalization registry, as wasm-bindgen writes them), and the wasm exports
 * only they called.
 */
const dropUnusedClasses = (glue) => {
  const removed = [];
  const cut = (pattern) => {
    const matches = glue.match(new RegExp(pattern, 'gm')) ?? [];
    if (matches.length !== 1) fail(`the glue has ${matches.length} matches of /${pattern}/, not one`);
    removed.push(matches[0]);
    glue = glue.replace(matches[0], '');
  };
  for (const name of UNUSED_CLASSES) {
    cut(`^export class ${name} \\{\\n[\\s\\S]*?^\\}\\n`);
    cut(`^if \\(Symbol\\.dispose\\) ${name}\\.prototype\\[Symbol\\.dispose\\] = ${name}\\.prototype\\.free;\\n`);
    cut(`^const ${name}Finalization = [\\s\\S]*?;\\n`);
  }
  const exports = new Set(removed.join('').match(/\bwasm\.\w+/g).map((call) => call.slice(5)));
  for (const name of [...UNUSED_CLASSES, ...exports]) {
    if (new RegExp(`\\b${name}\\b`).test(glue)) fail(`the glue still uses ${name}`);
  }
  return [glue, exports];
};

/** Whether the wasm `bytes` carry a name section (a build kept for profiling), which wasm-opt then keeps. */
const hasNames = (bytes) => {
  for (let at = 8; at < bytes.length;) {
    const [size, body] = readLeb(bytes, at + 1);
    if (bytes[at] === 0) {
      const [nameLength, nameStart] = readLeb(bytes, body);
      if (bytes.subarray(nameStart, nameStart + nameLength).toString('utf8') === 'name') return true;
    }
    at = body + size;
  }
  return false;
};

/**
 * Runs binaryen's wasm-opt (installed beside Terser) on `bytes` with the
 * wasm features Rust emits, as Trunk ran it, so that it removes what only
 * the dropped exports reached.
 */
const optimise = (bytes) => {
  const wasmOpt = new URL('../tests/browser/node_modules/.bin/wasm-opt', import.meta.url).pathname;
  const input = join(staging, 'minify-bundle-in.wasm');
  const output = join(staging, 'minify-bundle-out.wasm');
  writeFileSync(input, bytes);
  const run = spawnSync(wasmOpt, [
    input, '-o', output, ...(hasNames(bytes) ? ['-g'] : []),
    // Constants propagated through locals first: −0.1 KB gzipped (stop 35).
    '--precompute-propagate', '-Os', '--converge', '--low-memory-unused',
    '--strip-producers', '--strip-target-features',
    '--enable-bulk-memory', '--enable-bulk-memory-opt', '--enable-multivalue',
    '--enable-mutable-globals', '--enable-nontrapping-float-to-int',
    '--enable-reference-types', '--enable-sign-ext',
  ], { encoding: 'utf8' });
  if (run.status !== 0) fail(`wasm-opt failed: ${run.error ?? run.stderr}`);
  const optimised = readFileSync(output);
  rmSync(input);
  rmSync(output);
  return optimised;
};

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const htmlPath = join(staging, 'index.html');
let html = readFileSync(htmlPath, 'utf8');
/** Writes `bytes` to the staged file `name`, whose integrity hash index.html carries. */
const replaceFile = (name, before, bytes) => {
  if (!html.includes(sri(before))) fail(`index.html does not carry the integrity hash of ${name}`);
  writeFileSync(join(staging, name), bytes);
  html = html.replaceAll(sri(before), sri(bytes));
};

// The page's glue is the ES module that index.html preloads, beside its
// wasm; the worker's files start with the worker's binary name.
const glues = readdirSync(staging).filter(
  (file) => /^focal-entropy-explorer-[0-9a-f]+\.js$/.test(file),
);
if (glues.length !== 1) fail(`expected one page glue file in ${staging}, found ${glues.length}`);
const [glueName] = glues;
const wasmName = glueName.replace(/\.js$/, '_bg.wasm');
const glueSource = readFileSync(join(staging, glueName));
const wasmSource = readFileSync(join(staging, wasmName));

const [usedGlue, unusedExports] = dropUnusedClasses(glueSource.toString('utf8'));
// The glue names the module the wasm imports from after the crate.
const [renamedWasm, renamed] = renameImports(wasmSource, './focal-entropy-explorer_bg.js');
if (renamed.size === 0) fail(`${wasmName} imports nothing from the glue: has wasm-bindgen renamed its module?`);
const wasm = optimise(dropExports(renamedWasm, unusedExports));
let glue = usedGlue;
for (const [name, short] of renamed) {
  const occurrences = glue.split(name).length - 1;
  if (occurrences !== 1) fail(`${glueName} names the import ${name} ${occurrences} times, not once`);
  glue = glue.replace(name, short);
}

const result = await minify(glue, {
  module: true,
  compress: { passes: 2 },
  mangle: true,
  format: { comments: false },
});
if (typeof result.code !== 'string' || result.code.length === 0) fail(`terser returned nothing for ${glueName}`);
const minified = Buffer.from(result.code, 'utf8');
replaceFile(glueName, glueSource, minified);
replaceFile(wasmName, wasmSource, wasm);
writeFileSync(htmlPath, html);
console.log(
  `minify-bundle: ${glueName} ${glueSource.length} -> ${minified.length} bytes; ` +
    `${renamed.size} imports renamed, ${unusedExports.size} unused exports dropped, ` +
    `${wasmName} ${wasmSource.length} -> ${wasm.length} bytes`,
);
