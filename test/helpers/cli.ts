// Runs the built CLI (dist/, fresh under `npm test`) as a user would: a child process with a
// minimal environment (PATH, NO_COLOR=1 unless a test overrides it), optional stdin.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** ASSETLOSS_TEST_BIN runs the suite against another build (e.g. an older commit's, to see a test fail). */
export const BIN = process.env.ASSETLOSS_TEST_BIN ?? join(ROOT, 'bin/assetloss.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Bytes or text on standard input. */
  input?: string | Uint8Array;
  /** Variables added to the minimal environment; `undefined` removes one (e.g. NO_COLOR). */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export function minimalEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1' };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function runCli(args: string[], options: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: minimalEnv(options.env),
    input: options.input,
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a shell pipeline (for `| head -1`), with the same minimal environment. */
export function runShell(script: string, options: CliOptions = {}): CliResult {
  // --norc: Node's stdio pipes are sockets, and bash runs ~/.bashrc for a socket on stdin.
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
    cwd: options.cwd ?? ROOT,
    env: { ...minimalEnv(options.env), ASSETLOSS: `${process.execPath} ${BIN}` },
    input: options.input,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temporary folder for input files; `cleanup()` removes it. */
export function tempDir(prefix = 'assetloss-test-'): { dir: string; write: (name: string, content: string | Uint8Array) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
