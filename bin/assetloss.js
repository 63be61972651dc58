#!/usr/bin/env node
// Executable entry, CommonJS (bin/package.json): Node starts it sooner than an ES module.
// `--version` answers without loading the CLI. Otherwise it runs dist/bundle/main.cjs (made by
// `npm ci` through `prepare`: scripts/bundle.mjs) with the V8 code cache the build made beside it,
// so the functions a start needs come compiled. A cache V8 does not accept (another Node, a
// rebuilt bundle) is ignored and the code is compiled as usual: the cache changes speed, not
// behaviour.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
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
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    cannotStart(err.code === 'ENOENT' ? { message: `no ${file}` } : err);
    return;
  }
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache: compiled as usual.
  }
  const { Script } = require('node:vm');
  const module = { exports: {} };
  let script;
  let done;
  try {
    // A CommonJS module's wrapper, and this file's import() for the ES module packages the bundle
    // loads by name (a script run from a code cache has no import() of its own).
    script = new Script(`(function (exports, require, module, __filename, __dirname, __importPackage) {${source}\n})`, { filename: file, cachedData });
    script.runInThisContext()(module.exports, require('node:module').createRequire(file), module, file, join(file, '..'), (name) => import(name));
    done = module.exports.main(process.argv);
  } catch (err) {
    cannotStart(err);
    return;
  }
  // The build's one run that makes the cache (scripts/bundle.mjs).
  if (process.env.ASSETLOSS_WRITE_CODE_CACHE) done = done.then(() => writeFileSync(cacheFile, script.createCachedData()));
  done.catch(cannotStart);
}

/** A bundle that does not load or run (a broken build): one line, exit 2, no stack trace. */
function cannotStart(err) {
  process.stderr.write(`assetloss: cannot start (${err && err.message}); run "npm ci" or "npm run build" first\n`);
  process.exitCode = 2;
}
