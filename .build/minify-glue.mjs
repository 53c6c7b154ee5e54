// Trunk post-build hook (Trunk.toml): minifies the page's wasm-bindgen glue in
// release builds and updates its subresource-integrity hash in index.html.
//
// Why: Trunk 0.21's own JS minifier (minify-js) stops at the glue's last line,
// `export { initSync, __wbg_init as default }`, warns "Failed to minify JS"
// and ships the glue as written: 57 KB, 9.7 KB gzipped, of the page's 300 KB
// budget. Terser gives 7.4 KB. The worker's glue (a classic script) is
// minified by Trunk already and left alone.
//
// Runs with Trunk's environment: TRUNK_PROFILE, TRUNK_STAGING_DIR (the build
// before it is moved to dist/). Terser comes from the browser tests' npm
// packages, where `make` installs it beside binaryen's wasm-opt.

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const fail = (message) => {
  console.error(`minify-glue: ${message}`);
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

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const htmlPath = join(staging, 'index.html');
const html = readFileSync(htmlPath, 'utf8');

// The page's glue is the ES module that index.html preloads; the worker's
// files start with the worker's binary name.
const glues = readdirSync(staging).filter(
  (file) => /^focal-entropy-explorer-[0-9a-f]+\.js$/.test(file),
);
if (glues.length !== 1) fail(`expected one page glue file in ${staging}, found ${glues.length}`);
const [name] = glues;
const path = join(staging, name);
const source = readFileSync(path);
const oldHash = sri(source);
if (!html.includes(oldHash)) fail(`index.html does not carry the integrity hash of ${name}`);
const result = await minify(source.toString('utf8'), {
  module: true,
  compress: { passes: 2 },
  mangle: true,
  format: { comments: false },
});
if (typeof result.code !== 'string' || result.code.length === 0) fail(`terser returned nothing for ${name}`);
const minified = Buffer.from(result.code, 'utf8');
writeFileSync(path, minified);
writeFileSync(htmlPath, html.replaceAll(oldHash, sri(minified)));
console.log(`minify-glue: ${name} ${source.length} -> ${minified.length} bytes`);
