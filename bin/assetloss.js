#!/usr/bin/env node
// Executable entry, CommonJS (bin/package.json): Node starts it sooner than an ES module.
// `--version` answers without loading the CLI. Otherwise it runs dist/bundle/main.cjs (made by
// `npm ci` through `prepare`: scripts/bundle.mjs) with the V8 code cache the build made beside it,
// main.cache, so the functions a start needs come compiled. The cache is used only for the bundle
// it was made from: the same size and modification time, or failing that the same SHA-256 (V8
// itself checks no more than the length). Any other cache, or none, and the code is compiled as
// usual: the cache changes speed, never behaviour.
'use strict';
const { readFileSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')).version}\n`);
} else {
  run(join(__dirname, '../dist/bundle/main.cjs'));
}

function run(file) {
  const cacheFile = file.replace(/\.cjs$/, '.cache');
  let source;
  let stat;
  try {
    source = readFileSync(file, 'utf8');
    stat = statSync(file);
  } catch (err) {
    cannotStart(err.code === 'ENOENT' ? { message: `no ${file}` } : err);
    return;
  }
  const { Script } = require('node:vm');
  const module = { exports: {} };
  let script;
  let done;
  try {
    // A CommonJS module's wrapper, and this file's import() for the ES module packages the
    // bundle loads by name: a vm script has no import() of its own (on Node 20 the option that
    // gives it one is experimental, warns, and fails with a code cache).
    script = new Script(`(function (exports, require, module, __filename, __dirname, __importPackage) {${source}\n})`, { filename: file, cachedData: cacheFor(cacheFile, source, stat) });
    script.runInThisContext()(module.exports, require('node:module').createRequire(file), module, file, join(file, '..'), (name) => import(name));
    done = Promise.resolve(module.exports.main(process.argv));
  } catch (err) {
    cannotStart(err);
    return;
  }
  done.then(() => {
    // The build's one run that makes the cache (scripts/bundle.mjs checks that it did).
    if (process.env.ASSETLOSS_WRITE_CODE_CACHE === '1') writeFileSync(cacheFile, Buffer.concat([stamp(source, stat), script.createCachedData()]));
    // Done and written: end now, not once V8 has taken down a heap of a million records (some
    // 50 ms). After the events already due (a write that failed says so first); output still
    // queued (a pipe where writes are not synchronous) drains first.
    setImmediate(() => {
      if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
    });
  }).catch(cannotStart);
}

/** What a cache starts with: the bundle's size and modification time (16 bytes), then its SHA-256 (32). */
function stamp(source, stat) {
  const head = Buffer.alloc(16);
  head.writeDoubleLE(stat.size, 0);
  head.writeDoubleLE(stat.mtimeMs, 8);
  return Buffer.concat([head, require('node:crypto').createHash('sha256').update(source).digest()]);
}

/** The V8 data of a cache made from this bundle; undefined for none, or one made from another. */
function cacheFor(cacheFile, source, stat) {
  let cache;
  try {
    cache = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  if (cache.length <= 48 || cache.readDoubleLE(0) !== stat.size) return undefined;
  // The same time: the same file (as Python checks its .pyc). Else hashed (a copy, an unpacked archive).
  if (cache.readDoubleLE(8) !== stat.mtimeMs && !stamp(source, stat).subarray(16).equals(cache.subarray(16, 48))) return undefined;
  return cache.subarray(48);
}

/** A bundle that does not load or run (a broken build): one line, exit 2, no stack trace. */
function cannotStart(err) {
  process.stderr.write(`assetloss: cannot start (${err && err.message}); run "npm ci" or "npm run build" first\n`);
  process.exitCode = 2;
}
