// The one spawn helper: the built CLI (bin/assetloss.js on dist/, rebuilt first when a source is
// newer: see fresh-build.ts) as a user runs it, a child process with a minimal environment (PATH,
// NO_COLOR=1 unless a test overrides it) and optional stdin. For what only a real process shows:
// exit codes, stdout and stderr kept apart, pipes, terminals, signals, the bundle and its start-up.
// Everything else runs in process (run.ts), which costs milliseconds instead of a Node start-up.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './files.js';

/** ASSETLOSS_TEST_BIN runs the spawn tests against another build (e.g. an older commit's, to see a test fail). */
export const BIN = process.env.ASSETLOSS_TEST_BIN ?? join(ROOT, 'bin/assetloss.js');

export interface SpawnResult {
  /** null when a signal ended the process. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
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

/** `assetloss ARGS` in a child process, from the project root unless `cwd` says otherwise. */
export function spawnCli(args: string[], options: SpawnOptions = {}): SpawnResult {
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

/** A shell pipeline (for `| head -1`) with `$ASSETLOSS` the CLI, in the same minimal environment. */
export function runShell(script: string, options: SpawnOptions = {}): SpawnResult {
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
