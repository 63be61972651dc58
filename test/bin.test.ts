// The built binary (bin/assetloss.js on the dist bundle) as a user runs it: one child process per
// command, exiting 0, 1 or 2 with stdout and stderr kept apart, and printing byte for byte what
// the sources print in process, where most tests run them. A bundling fault (a chunk not loaded,
// a path read from the wrong folder, the prebuilt dataset) shows here.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers/files.js';
import { runInProcess } from './helpers/run.js';
import { minimalEnv, spawnCli } from './helpers/spawn.js';

const ANSWER = 'fixtures/builtin/mod-devices-2024-07-05-to-2025-02-27.csv';

const CASES: { args: string[]; code: number; env?: Record<string, string> }[] = [
  { args: ['records', '-f', 'csv'], code: 0 },
  { args: ['validate', '-i', ANSWER, '-f', 'json'], code: 0 },
  { args: ['compare', '2025-01-01..2025-02-27', '2023..2024', '--category', 'phone', '-f', 'table'], code: 0 },
  { args: ['summary', '--by', 'year', '-f', 'markdown'], code: 0 },
  { args: ['trend', '--category', 'phone', '-f', 'table'], code: 0, env: { LANG: 'C.UTF-8', COLUMNS: '100' } },
  { args: ['check', 'test/check/mixed.yaml', '-f', 'junit'], code: 1 },
  { args: ['schema', 'claims'], code: 0 },
  { args: ['pq', 'fetch', '--help'], code: 0 },
  { args: ['--version'], code: 0 },
  // Errors: exit 2, nothing on stdout, the one line on stderr (and its code under --debug).
  { args: ['records', '-i', 'test/check/bad-count.csv'], code: 2 },
  { args: ['records', '-i', 'no-such-file.csv', '--debug'], code: 2 },
  { args: ['compare', '2024-13', '2024'], code: 2 },
];

describe('the built binary', () => {
  it.each(CASES)('assetloss $args: exit $code, what the sources print', async ({ args, code, env }) => {
    const real = spawnCli(args, { env });
    expect(real.code, real.stderr).toBe(code);
    if (code === 2) expect(real.stdout).toBe('');
    const sources = await runInProcess(args, { env });
    // --debug adds a stack trace, whose frames name the files run: compare the lines before it.
    const lines = (text: string) => (args.includes('--debug') ? text.split('\n').filter((l) => !/^\s+at |^\w*Error: /.test(l)).join('\n') : text);
    expect({ code: real.code, stdout: real.stdout, stderr: lines(real.stderr) }).toEqual({ code: sources.code, stdout: sources.stdout, stderr: lines(sources.stderr) });
  });

  it('--debug ends an input error with its code', () => {
    const r = spawnCli(['records', '-i', 'no-such-file.csv', '--debug']);
    expect(r.stderr.split('\n')[0]).toBe('assetloss: no-such-file.csv: no such file (ENOENT) [CANNOT_OPEN]');
    expect(spawnCli(['records', '-i', 'no-such-file.csv']).stderr).toBe('assetloss: no-such-file.csv: no such file (ENOENT)\n');
  });
});

describe('the code cache', () => {
  it('is accepted by this Node for the bundle beside it, wrapped as bin/assetloss.js wraps it', () => {
    const file = join(ROOT, 'dist/bundle/main.cjs');
    const bin = readFileSync(join(ROOT, 'bin/assetloss.js'), 'utf8');
    const wrapper = /`(\(function \([^`]*)\$\{source\}([^`]*)`/.exec(bin);
    expect(wrapper, 'bin/assetloss.js wraps the source in a template').not.toBeNull();
    const source = `${wrapper![1]}${readFileSync(file, 'utf8')}${wrapper![2]!.replace('\\n', '\n')}`;
    // After its 48-byte stamp (the bundle's size, time and SHA-256).
    const cache = readFileSync(join(ROOT, 'dist/bundle/main.cache'));
    expect(cache.readDoubleLE(0)).toBe(statSync(file).size);
    const script = new Script(source, { filename: file, cachedData: cache.subarray(48) });
    expect(script.cachedDataRejected).toBe(false);
  });

  it('is used for the bundle it was made from, never for another of the same length (which V8 would run)', () => {
    const t = tempDir();
    try {
      const entry = entryIn(t.dir);
      const says = (word: string) => `exports.main = function () { process.stdout.write("${word}\\n"); return Promise.resolve(); };`;
      entry.bundle(says('old'));
      expect(entry.run({ ASSETLOSS_WRITE_CODE_CACHE: '1' }).stdout).toBe('old\n');
      expect(statSync(join(t.dir, 'dist/bundle/main.cache')).size).toBeGreaterThan(48);
      expect(entry.run().stdout).toBe('old\n');
      entry.bundle(says('new'));
      expect(entry.run().stdout).toBe('new\n');
    } finally {
      t.cleanup();
    }
  });
});

/** bin/assetloss.js copied into `dir` (with bin/package.json): a bundle written beside it, and `records` run through it. */
function entryIn(dir: string): { bundle: (text: string) => void; run: (env?: Record<string, string>) => ReturnType<typeof spawnSync<string>> } {
  mkdirSync(join(dir, 'bin'));
  copyFileSync(join(ROOT, 'bin/assetloss.js'), join(dir, 'bin/assetloss.js'));
  copyFileSync(join(ROOT, 'bin/package.json'), join(dir, 'bin/package.json'));
  return {
    bundle: (text) => {
      mkdirSync(join(dir, 'dist/bundle'), { recursive: true });
      writeFileSync(join(dir, 'dist/bundle/main.cjs'), text);
    },
    run: (env = {}) => spawnSync(process.execPath, [join(dir, 'bin/assetloss.js'), 'records'], { encoding: 'utf8', env: minimalEnv(env) }),
  };
}

describe('a build that is missing or broken', () => {
  it.each([['missing', undefined], ['broken', 'throw new Error("half written");'], ['cut short', 'exports.main = function half written']])('%s: one line naming the way out, exit 2, no stack trace', (_, bundle) => {
    const t = tempDir();
    try {
      const entry = entryIn(t.dir);
      if (bundle !== undefined) entry.bundle(bundle);
      const r = entry.run();
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^assetloss: cannot start \(.+\); run "npm ci" or "npm run build" first\n$/);
      if (bundle === undefined) expect(r.stderr).toContain('no ');
      else if (bundle.startsWith('throw')) expect(r.stderr).toContain('half written');
    } finally {
      t.cleanup();
    }
  });
});
