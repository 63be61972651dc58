#!/usr/bin/env node
// npm run fuzz -- [--runs N] [--seed S]: the CLI fuzz of test/fuzz.test.ts, longer. A failure
// prints the broken rule, stderr and a shell reproducer; the seed repeats the run exactly.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const v = args[i + 1];
  if (!v || !/^\d+$/.test(v)) {
    process.stderr.write(`fuzz: ${name} needs a whole number\n`);
    process.exit(2);
  }
  return v;
};
const runs = value('--runs', '20000');
const seed = value('--seed', String(Date.now() % 2 ** 31));
process.stderr.write(`fuzz: ${runs} cases, seed ${seed} (repeat with --seed ${seed})\n`);
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const r = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/fuzz.test.ts', '--reporter', 'default'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed },
});
process.exit(r.status ?? 2);
