#!/usr/bin/env node
// Executable entry. The CLI is bundled into dist/bundle (one chunk per command, loaded on demand)
// by `npm ci` through `prepare`; `--version` answers without loading any of it.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  import('../dist/bundle/main.js')
    .then((m) => m.main(process.argv))
    .catch((err) => {
      process.stderr.write(`assetloss: cannot start (${err && err.message}); run "npm ci" or "npm run build" first\n`);
      process.exitCode = 2;
    });
}
