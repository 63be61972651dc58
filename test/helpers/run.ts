// The one in-process runner: the CLI's own entry (src/cli/main.ts runCli, the sources, so no
// build can be stale) called in this process with captured stdout and stderr, neither a terminal
// unless asked. A run costs milliseconds, not a Node start-up, and a test's fake server keeps
// answering. What only a real process shows (exit status, pipes, terminals, the bundle) is
// spawn.ts's.
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/main.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** The environment the CLI sees: NO_COLOR=1 and these; `undefined` removes one (e.g. NO_COLOR). */
  env?: Record<string, string | undefined>;
  /** Standard input; none given is an empty stream (so the built-in dataset is read). */
  input?: string | Uint8Array;
  /** stderr is a terminal (progress lines are written only to one). */
  stderrTTY?: boolean;
}

/** `assetloss ARGS`, in process, from the project root (vitest's working folder). */
export async function runInProcess(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = options.stderrTTY ? Object.assign(new PassThrough(), { isTTY: true }) : new PassThrough();
  const stdin = new PassThrough();
  stdin.end(options.input ?? '');
  const env: Record<string, string> = { NO_COLOR: '1' };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (c: string) => { out += c; });
  stderr.setEncoding('utf8').on('data', (c: string) => { err += c; });
  const code = await runCli(['node', 'assetloss', ...args], { stdout, stderr, env, stdin });
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out, stderr: err };
}

/** `runInProcess(ARGS -f json -q)` parsed, failing loudly when it did not exit 0. */
export async function runJson<T = any>(args: string[], options: RunOptions = {}): Promise<T> {
  const r = await runInProcess([...args, '-f', 'json', '-q'], options);
  if (r.code !== 0) throw new Error(`assetloss ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
