#!/usr/bin/env node
// Executable entry: the compiled CLI lives in dist/ (built by `npm ci` through `prepare`).
import('../dist/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  process.stderr.write(`assetloss: cannot start (${err && err.message}); run "npm ci" or "npm run build" first\n`);
  process.exitCode = 2;
});
