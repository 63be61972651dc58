// The process boundary shared by commands: loading the inputs named by the global options,
// printing notices and rejects, choosing colour and format, writing output safely to a pipe.
import { fstatSync, readSync } from 'node:fs';
import type { Dataset } from '../model/dataset.js';
import { readPrebuiltBuiltin } from '../io/builtin-read.js';
import { fileProblem, readSmallText } from '../io/fs-errors.js';
import { render } from '../format/index.js';
import { type AliasTables, defaultAliases, extendAliases } from '../engine/aliases.js';
import { type Diagnostic, describeDiagnostic, escapeControls, InputError } from '../model/diagnostics.js';
import { CATEGORIES, type OutputFormat, STATUSES } from '../model/vocab.js';
import { canonicalFilters, filterRecords, unknownFilters } from '../engine/filter.js';
import type { AssetRecord } from '../model/model.js';
import type { Report } from '../format/report.js';
import type { GlobalOptions } from './options.js';

/** Largest --aliases file read (a few hundred aliases are a few kilobytes). */
const MAX_ALIASES_BYTES = 1 << 20;

/** A failure that has already been explained; carries the exit code. */
export class ExitError extends Error {
  constructor(readonly exitCode: number, message = '') {
    super(message);
  }
}

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  stdin?: NodeJS.ReadableStream;
  /**
   * The descriptor behind `stdin` when it is the process's own (0): its first bytes are then read
   * from it directly, so that a command on the built-in data never sets up the stream.
   */
  stdinFd?: number;
}

/** A diagnostic as one stderr line; under --debug it ends with its code (` [BAD_NUMBER]`), for scripts and tests. */
export function diagnosticLine(d: Diagnostic, debug: boolean | undefined): string {
  return `${describeDiagnostic(d)}${debug ? ` [${d.code}]` : ''}`;
}

export function notice(io: Io, opts: GlobalOptions, text: string): void {
  if (!opts.quiet) io.stderr.write(`assetloss: ${escapeControls(text)}\n`);
}

/** Colour only on a terminal, never with NO_COLOR (non-empty), TERM=dumb or --no-color; FORCE_COLOR forces it. */
export function useColor(opts: GlobalOptions, io: Io): boolean {
  if (!opts.color) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.TERM === 'dumb') return false;
  return !!io.stdout.isTTY;
}

/** The format an output file's name asks for (`-o sheet.csv`), when -f is not given. */
const EXTENSION_FORMATS: Record<string, OutputFormat> = { csv: 'csv', tsv: 'tsv', tab: 'tsv', json: 'json', ndjson: 'ndjson', jsonl: 'ndjson', md: 'markdown', markdown: 'markdown', txt: 'table' };

/** -f, else the -o file's extension, else table on a terminal and csv otherwise. */
export function outputFormat(opts: GlobalOptions, io: Io): OutputFormat {
  if (opts.format) return opts.format;
  if (opts.output) return EXTENSION_FORMATS[/\.([^.]+)$/.exec(opts.output)?.[1]?.toLowerCase() ?? ''] ?? 'csv';
  return io.stdout.isTTY ? 'table' : 'csv';
}

/**
 * --bom and --crlf shape CSV and TSV for Excel; with any other format they are a usage error
 * rather than ignored (a BOM before JSON breaks most JSON parsers, and RFC 8259 forbids it).
 * Checked before any input is read.
 */
export function checkOutputOptions(opts: GlobalOptions, format: string, io: Io): void {
  for (const flag of ['bom', 'crlf'] as const) {
    if (opts[flag] && format !== 'csv' && format !== 'tsv') {
      io.stderr.write(`assetloss: error: --${flag} applies to -f csv and -f tsv only (the output is ${format})\n`);
      throw new ExitError(2);
    }
  }
}

async function loadAliases(file: string | undefined): Promise<AliasTables> {
  const base = defaultAliases();
  if (!file) return base;
  let read: Awaited<ReturnType<typeof readSmallText>>;
  try {
    read = await readSmallText(file, MAX_ALIASES_BYTES);
  } catch (err) {
    throw new InputError('CANNOT_OPEN', `cannot read the aliases file: ${fileProblem(err) ?? 'cannot read it'}`, { file });
  }
  if ('tooLarge' in read) throw new InputError('ALIASES_TOO_LARGE', `the aliases file is larger than ${MAX_ALIASES_BYTES} bytes`, { file }, `at most ${MAX_ALIASES_BYTES} bytes`);
  const text = read.text;
  const { parseJsonText } = await import('../io/json-text.js');
  const { parseAliasFile, ALIAS_FILE_SHAPE } = await import('../model/aliases-file.js');
  let doc: unknown;
  try {
    doc = parseJsonText(text).value;
  } catch (err) {
    throw err instanceof InputError ? err.at(file) : err;
  }
  const parsed = parseAliasFile(doc);
  if (!parsed.ok) throw new InputError('BAD_ALIASES', parsed.problem, { file }, ALIAS_FILE_SHAPE);
  return extendAliases(base, parsed.value);
}

export interface Loaded {
  dataset: Dataset;
  aliases: AliasTables;
  /** Rows rejected in all (more than are listed when a log had over 1,000). */
  rejected: number;
}

/**
 * Loads the inputs. Rejected rows fail the run (exit 2, every one listed) unless --lenient;
 * warnings are printed, and fail the run under --strict.
 */
export async function loadData(opts: GlobalOptions, io: Io, { failOnRejects = true } = {}): Promise<Loaded> {
  const aliases = await loadAliases(opts.aliases);
  let files = opts.input;
  let stdin = io.stdin;
  if (!files || files.length === 0) {
    // As xsv and csvkit do: with no -i, standard input when it is a pipe or a file with something
    // in it; the built-in dataset when it is a terminal, closed or empty (CI runs with /dev/null).
    const piped = await peekStdin(io);
    if (piped) {
      files = ['-'];
      stdin = piped;
      notice(io, opts, 'no --input: reading standard input');
    }
  }
  let dataset: Dataset | undefined;
  if (!files || files.length === 0) {
    // The answers as read at build time, unless an option would read them differently.
    const asBuilt = !opts.aliases && !opts.encoding && !opts.delimiter && !opts.layout && !opts.headerRow && opts.year === undefined;
    if (asBuilt) dataset = readPrebuiltBuiltin();
    dataset ??= await (async () => {
      const { loadInputs, builtinFiles } = await import('../io/load.js');
      return loadInputs(await builtinFiles(), { aliases, encoding: opts.encoding, delimiter: opts.delimiter, layout: opts.layout, headerRow: opts.headerRow, year: opts.year });
    })();
    notice(io, opts, `no --input and nothing on standard input: using the built-in dataset (${dataset.inputs.length} MoD written answers, fixtures/builtin/SOURCES.md)`);
  } else {
    const { loadInputs } = await import('../io/load.js');
    dataset = await loadInputs(files, {
      aliases, encoding: opts.encoding, delimiter: opts.delimiter, layout: opts.layout, headerRow: opts.headerRow,
      year: opts.year, department: opts.department?.[0], lenient: opts.lenient, stdin, textFigures: opts.textFigures,
      pq: { env: io.env, offline: opts.offline, refresh: opts.refresh, client: pqClient(io) },
      progress: io.stderr.isTTY && !opts.quiet ? progressLine(io) : undefined,
    });
  }
  const rejects = dataset.inputs.flatMap((i) => i.rejects);
  // All rejected rows: an incident log lists the first 1,000 and counts the rest.
  const rejected = dataset.inputs.reduce((n, i) => n + i.stats.rows_rejected, 0);
  const warnings = dataset.inputs.flatMap((i) => i.warnings);
  if (failOnRejects) {
    if (rejected > 0 && !opts.lenient) {
      for (const r of rejects) io.stderr.write(`assetloss: ${diagnosticLine(r, opts.debug)}\n`);
      const read = dataset.inputs.reduce((n, i) => n + i.stats.rows_read, 0);
      io.stderr.write(`assetloss: ${rejected} row${rejected === 1 ? '' : 's'} rejected of ${read} read; nothing written (use --lenient to keep going, or validate for the full report)\n`);
      throw new ExitError(2);
    }
    for (const w of warnings) {
      if (opts.strict) io.stderr.write(`assetloss: ${diagnosticLine(w, opts.debug)}\n`);
      else notice(io, opts, `warning: ${diagnosticLine(w, opts.debug)}`);
    }
    if (opts.strict && warnings.length > 0) {
      io.stderr.write(`assetloss: --strict: ${warnings.length} warning${warnings.length === 1 ? '' : 's'} treated as errors; nothing written\n`);
      throw new ExitError(2);
    }
    if (rejected > 0) {
      for (const r of rejects) io.stderr.write(`assetloss: rejected: ${diagnosticLine(r, opts.debug)}\n`);
      io.stderr.write(`assetloss: --lenient: ${rejected} row${rejected === 1 ? '' : 's'} rejected; the output is incomplete\n`);
    }
  }
  return { dataset, aliases, rejected };
}

/**
 * Standard input when it has data: a stream that gives the first chunk read and then the rest.
 * Undefined for a terminal, a missing stream, or one that ends with nothing in it.
 */
async function peekStdin(io: Io): Promise<NodeJS.ReadableStream | undefined> {
  let head: Uint8Array | undefined;
  // A pipe, a socket or a file: its first bytes read from the descriptor itself. A terminal or
  // another device (/dev/null) goes the stream's way, which knows a terminal.
  if (io.stdinFd !== undefined && readsDirectly(io.stdinFd)) {
    const buf = Buffer.allocUnsafe(1 << 16);
    try {
      const n = readSync(io.stdinFd, buf, 0, buf.length, null);
      // End of input (an empty pipe or file): nothing piped.
      if (n === 0) return undefined;
      head = buf.subarray(0, n);
    } catch (err) {
      // A pipe that has nothing yet and does not block: wait for it as a stream.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return undefined;
    }
  }
  const stdin = io.stdin;
  if (!stdin || (!head && (stdin as { isTTY?: boolean }).isTTY)) return undefined;
  const it = (stdin as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  if (!head) {
    let first: IteratorResult<Uint8Array>;
    try {
      do first = await it.next();
      while (!first.done && first.value.length === 0);
    } catch {
      // A stdin that cannot be read (closed descriptor): nothing piped.
      return undefined;
    }
    if (first.done) return undefined;
    head = first.value;
  }
  const first = head;
  const { Readable } = await import('node:stream');
  return Readable.from((async function* () {
    yield first;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  })(), { objectMode: false });
}

function readsDirectly(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    return st.isFIFO() || st.isSocket() || st.isFile();
  } catch {
    return false;
  }
}

/**
 * The records the filters select. A filter value that names nothing known (not an alias, not in
 * the data) is a usage error with the nearest names; a known one that selects nothing is said on
 * stderr, whatever the format (the output's NO_DATA caveat says it too).
 */
export function selectRecords(opts: GlobalOptions, io: Io, loaded: Pick<Loaded, 'dataset' | 'aliases'>, { all: every = false } = {}): AssetRecord[] {
  const all = loaded.dataset.records;
  const unknown = unknownFilters(opts, loaded.aliases, all);
  if (unknown.length > 0) {
    for (const u of unknown) {
      const near = u.nearest.length ? `; did you mean ${u.nearest.map((n) => `"${n}"`).join(', ')}?` : '';
      const own = [...new Set(all.map((r) => (u.flag === 'unit' ? r.series.unit : r.series[u.flag]) ?? ''))].filter(Boolean).sort();
      const inData = own.length ? `the inputs have ${own.slice(0, 8).join(', ')}${own.length > 8 ? ', …' : ''}` : `the inputs have no ${u.flag}s`;
      const list = u.flag === 'category' ? ` (known: ${CATEGORIES.join(', ')}; ${inData})` : u.flag === 'status' ? ` (known: ${STATUSES.join(', ')})` : ` (${inData})`;
      io.stderr.write(`assetloss: ${escapeControls(`error: --${u.flag} "${u.value}" matches no known ${u.flag} and nothing in the data${near}${near ? '' : list}`)}\n`);
    }
    throw new ExitError(2);
  }
  const filters = canonicalFilters(opts, loaded.aliases);
  const records = filterRecords(all, filters, { all: every });
  if (records.length === 0 && all.length > 0) {
    const asked = (['category', 'department', 'status', 'unit'] as const).filter((k) => filters[k]?.length);
    const has = asked.map((k) => {
      const values = [...new Set(all.map((r) => (k === 'unit' ? r.series.unit : r.series[k]) ?? ''))].filter(Boolean).sort();
      return `${k} ${values.length ? values.slice(0, 8).join(', ') + (values.length > 8 ? ', …' : '') : '(none)'}`;
    });
    warn(io, opts, `no data: no records match ${asked.map((k) => `--${k} ${filters[k]!.join(',')}`).join(' ')} (not zero; the inputs have ${has.join('; ')})`);
  }
  return records;
}

/**
 * A warning that qualifies the result (no data, partial coverage): on stderr in every format,
 * even with -q, which silences notices about the run, never what the output leaves out.
 */
export function warn(io: Io, _opts: GlobalOptions, text: string): void {
  io.stderr.write(`assetloss: warning: ${escapeControls(text)}\n`);
}

/** The Written Questions API client, loaded when an answer cited as pq:<id> is not in the cache. */
function pqClient(io: Io): () => Promise<import('../io/pq-client.js').PqClient> {
  return async () => {
    const { PqClient, clientOptionsFromEnv } = await import('../io/pq-client.js');
    return new PqClient(clientOptionsFromEnv(io.env));
  };
}

/** Progress of a long input on a terminal: rows and MB read and the rate, on one rewritten line. */
function progressLine(io: Io): NonNullable<import('../io/load.js').LoadOptions['progress']> {
  const started = Date.now();
  let last = 0;
  let shown = false;
  return (file, bytes, lines, done) => {
    const now = Date.now();
    if (done) {
      if (shown) io.stderr.write('\r\u001b[K');
      return;
    }
    // Only for inputs that take a while, and at most a few times a second.
    if (now - started < 500 || now - last < 200) return;
    last = now;
    shown = true;
    const mb = bytes / 1e6;
    io.stderr.write(`\r\u001b[Kassetloss: ${escapeControls(file)}: ${lines.toLocaleString('en-GB')} rows, ${mb.toFixed(1)} MB read, ${(mb / ((now - started) / 1000)).toFixed(1)} MB/s`);
  };
}

/**
 * Marks a report built from data with rejected rows (--lenient): a note in human formats and
 * `complete: false` with the count in JSON (csv/tsv/ndjson have no place for it: stderr says so).
 */
export function markIncomplete(report: Report, rejected: number): Report {
  if (rejected === 0) return report;
  const json = report.json && typeof report.json === 'object' && !Array.isArray(report.json)
    ? { ...(report.json as object), complete: false, rows_rejected: rejected }
    : report.json;
  return { ...report, json, notes: [`INCOMPLETE: ${rejected} row${rejected === 1 ? '' : 's'} rejected (--lenient); the figures leave them out`, ...report.notes] };
}

/** Writes a report in the chosen format; a closed pipe (`| head`) ends quietly. */
export async function writeReport(report: Report, opts: GlobalOptions, io: Io): Promise<void> {
  // (static: the registry itself loads the human formats on demand)
  const format = outputFormat(opts, io);
  if (opts.fields?.length) report = selectFields(report, opts.fields, format, io);
  // A file is never a terminal: no colour, and a table as wide as a terminal's default.
  const chunks = await render(format, report, {
    color: !opts.output && useColor(opts, io), crlf: opts.crlf, bom: opts.bom,
    width: opts.output ? 80 : terminalWidth(io),
  });
  await writeOutput(chunks, opts, io);
}

/**
 * --fields: the rows cut to the named columns, in that order. A name that is not a column is a
 * usage error listing the columns; a range left without its bounds is said on stderr.
 */
function selectFields(report: Report, fields: string[], format: OutputFormat, io: Io): Report {
  if (format !== 'csv' && format !== 'tsv' && format !== 'ndjson') {
    io.stderr.write(`assetloss: error: --fields applies to -f csv, tsv and ndjson (the output is ${format})\n`);
    throw new ExitError(2);
  }
  const byKey = new Map(report.columns.map((c) => [c.key, c]));
  const unknown = fields.filter((f) => !byKey.has(f));
  if (unknown.length) {
    io.stderr.write(`assetloss: ${escapeControls(`error: --fields: no column ${unknown.map((u) => `"${u}"`).join(', ')} (the columns: ${report.columns.map((c) => c.key).join(', ')})`)}\n`);
    throw new ExitError(2);
  }
  const chosen = new Set(fields);
  // A figure left empty because it is a range, with neither bound chosen, must not pass for "no data".
  const bare = fields.filter((f) => byKey.has(`${f}_min`) && !chosen.has(`${f}_min`) && !chosen.has(`${f}_max`)
    && report.rows.some((r) => (r[f] === null || r[f] === undefined) && r[`${f}_min`] !== null && r[`${f}_min`] !== undefined));
  if (bare.length) {
    io.stderr.write(`assetloss: warning: some ${bare.join(', ')} figures are ranges (suppressed cells), empty without their bounds: add ${bare.map((b) => `${b}_min,${b}_max`).join(',')} to --fields\n`);
  }
  return { ...report, columns: [...new Set(fields)].map((f) => byKey.get(f)!) };
}

/** The width human tables fit: the terminal's, else $COLUMNS, else 80. */
export function terminalWidth(io: Io): number {
  const tty = (io.stdout as { columns?: number }).columns;
  if (io.stdout.isTTY && tty && tty > 0) return tty;
  const env = Number(io.env.COLUMNS);
  return Number.isInteger(env) && env >= 20 ? env : 80;
}

/** Writes a file whole or not at all (see io/write-file.ts): --chart files. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const { writeWhole } = await import('../io/write-file.js');
  try {
    await writeWhole(target, [data]);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code) throw new InputError('CANNOT_WRITE', `cannot write the chart (${e.code})`, { file: target });
    throw err;
  }
}

/**
 * Writes the text to stdout, or with -o to the file, whole or not at all: into a temporary file
 * beside it, renamed over it at the end (a failed run leaves the old file as it was).
 */
export async function writeOutput(chunks: Iterable<string>, opts: { output?: string }, io: Io): Promise<void> {
  if (opts.output) {
    const target = opts.output;
    // Loaded only for -o: it brings node:fs/promises, which a start-up does not need.
    const { writeWhole } = await import('../io/write-file.js');
    try {
      await writeWhole(target, chunks);
    } catch (err) {
      const problem = fileProblem(err, 'write');
      if (problem) throw new InputError('CANNOT_WRITE', `cannot write the output: ${problem}`, { file: target });
      throw err;
    }
    return;
  }
  let buffer = '';
  for (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length > 1 << 16) {
      if (!io.stdout.write(buffer)) await new Promise((r) => io.stdout.once('drain', r));
      buffer = '';
    }
  }
  if (buffer) io.stdout.write(buffer);
}
