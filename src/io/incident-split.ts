// Big incident logs are read on two threads. The file is cut at a line break near its middle; a
// worker sums the second half while this thread reads the first. The cut is checked, never
// trusted: the worker's sums are used only when this thread's tokenizer ends its half exactly
// between rows (so the line break was not inside a quoted field), both halves used the same date
// format, and the worker met no error of any kind. Otherwise the second half is read here, as if
// the file had never been cut. Either way the records, rejects, warnings, positions and errors are
// those of one sequential read (a property test compares the two).
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../model/diagnostics.js';
import { type DateFormat, IncidentAggregator, type IncidentContext, type IncidentPart } from '../read/incidents.js';
import { emptyStats, type RowStats } from '../read/table.js';
import { CsvTokenizer } from './csv.js';
import { type ByteTap, decodeChunks } from './decode.js';
import { IncidentSink, type IncidentColumns, lineTaker } from './incidents.js';

/** Files smaller than this are read on one thread: a worker costs more than it saves. */
export const SPLIT_MIN_BYTES = 16 << 20;

/** Where the file is cut, as a share of its size (measured: see the README's Performance section). */
const CUT_AT = 0.55;

/** The worker's young generation, in MB. */
const YOUNG_MB = 6;

/** Bytes per read: big enough for few round trips, small enough to keep memory flat. */
export const CHUNK_BYTES = 1 << 16;

// Beside this file: the bundle's is CommonJS (dist/bundle/*.cjs), tsc's an ES module (dist/io/*.js).
const WORKER = new URL(import.meta.url.endsWith('.cjs') ? './incident-worker.cjs' : './incident-worker.js', import.meta.url);

/** Workers started, how often their half was used, and how often the cut did not check out (for tests). */
export const splitUse = { started: 0, used: 0, fellBack: 0 };

/** Where a file may be cut: `at` is the offset of the line feed that ends the first half. */
export interface SplitPlan {
  path: string;
  at: number;
  /** Set by the reader once it knows the file is an incident log; asked at the cut. */
  accept?: () => Promise<boolean>;
  /** Set when progress is shown: the worker's bytes and lines read so far. */
  progress?: (bytes: number, lines: number) => void;
  /** Set once this thread reads on past the cut (it did not check out, or no worker was asked for): the worker's count is void, and none is started after. */
  declined?: boolean;
}

/**
 * A cut near the middle of a regular file of at least `minBytes`, at a line feed followed by an
 * ASCII byte (so never inside a UTF-8 sequence nor before a byte-order mark). Undefined when the
 * file is small, not a regular file, has no such line feed near its middle, or the worker script
 * is not there (running from sources).
 */
export function planSplit(path: string, minBytes: number): SplitPlan | undefined {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return undefined;
    size = st.size;
  } catch {
    return undefined;
  }
  if (size < Math.max(minBytes, 2) || !existsSync(WORKER)) return undefined;
  // A little past the middle: the worker starts later (a new thread loads its code), so this
  // thread, already running, takes the larger part and the two finish together.
  const from = Math.floor(size * CUT_AT);
  const buf = Buffer.alloc(1 << 16);
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, buf, 0, buf.length, from);
    for (let k = buf.indexOf(10); k !== -1 && k + 1 < n; k = buf.indexOf(10, k + 1)) {
      if (buf[k + 1]! < 0x80) return { path, at: from + k };
    }
  } finally {
    closeSync(fd);
  }
  return undefined;
}

/**
 * A file's bytes from `start` to `end` (inclusive), read synchronously in chunks into one reused
 * buffer: each chunk is valid until the next is asked for (the decoder copies what it keeps).
 * No read-ahead queue, no buffer per chunk: the fastest way through a big file, in flat memory.
 * From offset 0 it reads sequentially (so pipes and named files such as /dev/stdin work too).
 */
export function* readRange(path: string, start = 0, end = Number.POSITIVE_INFINITY): Generator<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let pos = start; pos <= end;) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK_BYTES, end + 1 - pos), start === 0 ? null : pos);
      if (n === 0) break;
      pos += n;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** The file's bytes; at the cut, the rest is read here only if the reader does not accept the worker's part. */
export async function* splitBytes(plan: SplitPlan): AsyncGenerator<Uint8Array> {
  yield* readRange(plan.path, 0, plan.at);
  if (plan.accept && (await plan.accept())) return;
  // Past the cut: a reader that had not asked for a worker by now must not start one.
  plan.declined = true;
  yield* readRange(plan.path, plan.at + 1);
}

/** What the worker needs to read the second half exactly as this thread would. */
export interface HalfJob {
  path: string;
  start: number;
  delimiter: string;
  relaxQuotes: boolean;
  columns: IncidentColumns;
  width: number;
  ctx: IncidentContext;
  /** Post progress now and then (only when it is shown). */
  progress: boolean;
}

/** The second half's sums, rows and rejects, with lines counted from the cut (line 1). */
export interface HalfResult {
  part: IncidentPart;
  stats: RowStats;
  rejects: Diagnostic[];
  notListed: number;
  /** Blank lines inside the second half (a row follows them there). */
  blanks: { inside: number[]; more: number };
}

/** Reads and sums the bytes from `job.start` to the end (run in the worker). */
export async function aggregateHalf(job: HalfJob, format: DateFormat, progress?: (bytes: number, lines: number) => void): Promise<HalfResult> {
  const stats = emptyStats();
  const agg = new IncidentAggregator({ ...job.ctx, dateFormat: format });
  const sink = new IncidentSink(agg, job.columns, job.width, stats, job.ctx.file, 0, job.delimiter);
  const tokenizer = new CsvTokenizer({ delimiter: job.delimiter, relaxQuotes: job.relaxQuotes });
  const tap: ByteTap = { taker: lineTaker(sink, tokenizer) };
  let read = 0;
  let told = 0;
  const bytes = function* () {
    for (const chunk of readRange(job.path, job.start)) {
      read += chunk.length;
      yield chunk;
    }
  };
  for await (const text of decodeChunks(bytes(), 'utf-8', {}, tap)) {
    tokenizer.pushTo(text, sink);
    if (progress && read - told >= 1 << 22) progress((told = read), tokenizer.nextLine - 1);
  }
  tokenizer.endTo(sink);
  return { part: agg.part(), stats, rejects: sink.rejects.kept, notListed: sink.rejects.notListed, blanks: { inside: sink.blanks.inside, more: sink.blanks.more } };
}

export interface HalfReader {
  /** Starts the worker's reading, in this date format (the first half's). */
  start(format: DateFormat): void;
  /** The format it was started with, if started. */
  readonly format: DateFormat | undefined;
  /** The worker's result; undefined when it failed in any way (the half is then read here). */
  result(): Promise<HalfResult | undefined>;
  stop(): void;
}

/**
 * Starts a worker for the second half; it waits for the date format before reading. When no
 * worker can be started (too many threads, a permission model) the result is undefined at once.
 */
export function startHalf(job: HalfJob, progress?: (bytes: number, lines: number) => void): HalfReader {
  let worker: Worker;
  try {
    // A small young generation: the worker's sums are typed arrays, and it takes most lines from
    // their bytes, so little it makes lives long. V8's default let it grow to take some 5 MB more
    // of a wide log's peak, no faster (measured: see the README's Performance section).
    worker = new Worker(WORKER, { workerData: job, stdout: false, stderr: false, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
    splitUse.started++;
  } catch {
    return { start() {}, format: undefined, result: async () => undefined, stop() {} };
  }
  let format: DateFormat | undefined;
  let stopped = false;
  const result = new Promise<HalfResult | undefined>((resolve) => {
    worker.on('message', (msg: { progress?: [number, number]; ok?: boolean; result?: HalfResult }) => {
      if (stopped) return;
      if (msg.progress) progress?.(...msg.progress);
      else resolve(msg.ok ? msg.result : undefined);
    });
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  return {
    start(f) {
      if (format !== undefined) return;
      format = f;
      worker.postMessage({ format: f });
    },
    get format() {
      return format;
    },
    result: () => result,
    stop() {
      stopped = true;
      void worker.terminate();
    },
  };
}
