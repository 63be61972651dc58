// The process boundary shared by commands: loading the inputs named by the global options,
// printing notices and rejects, choosing colour and format, writing output safely to a pipe.
import { readFile } from 'node:fs/promises';
import type { Dataset } from '../io/load.js';
import { readPrebuiltBuiltin } from '../io/builtin-read.js';
import { render } from '../format/index.js';
import { type AliasTables, defaultAliases, extendAliases } from '../core/aliases.js';
import { type Diagnostic, describeDiagnostic, InputError } from '../core/diagnostics.js';
import type { OutputFormat } from '../core/vocab.js';
import type { Report } from '../format/report.js';
import type { GlobalOptions } from './options.js';

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
}

export function notice(io: Io, opts: GlobalOptions, text: string): void {
  if (!opts.quiet) io.stderr.write(`assetloss: ${text}\n`);
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

export function outputFormat(opts: GlobalOptions, io: Io): OutputFormat {
  return opts.format ?? (io.stdout.isTTY ? 'table' : 'csv');
}

async function loadAliases(file: string | undefined): Promise<AliasTables> {
  const base = defaultAliases();
  if (!file) return base;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InputError('CANNOT_OPEN', 'cannot read the aliases file', { file });
  }
  const { parseJsonText } = await import('../io/json-text.js');
  const { AliasFileSchema } = await import('../schema/aliases-file.js');
  let doc: unknown;
  try {
    doc = parseJsonText(text).value;
  } catch (err) {
    throw err instanceof InputError ? err.at(file) : err;
  }
  const parsed = AliasFileSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError('BAD_ALIASES', `${issue.path.length ? `at ${issue.path.join('.')}: ` : ''}${issue.message}`, { file }, '{"categories"|"departments"|"statuses"|"headers": {"variant": "canonical"}}');
  }
  return extendAliases(base, parsed.data);
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
  const files = opts.input;
  let dataset: Dataset | undefined;
  if (!files || files.length === 0) {
    // The answers as read at build time, unless an option would read them differently.
    const asBuilt = !opts.aliases && !opts.encoding && !opts.delimiter && !opts.layout && !opts.headerRow && opts.year === undefined;
    if (asBuilt) dataset = readPrebuiltBuiltin();
    dataset ??= await (async () => {
      const { loadInputs, builtinFiles } = await import('../io/load.js');
      return loadInputs(await builtinFiles(), { aliases, encoding: opts.encoding, delimiter: opts.delimiter, layout: opts.layout, headerRow: opts.headerRow, year: opts.year });
    })();
    notice(io, opts, `no --input: using the built-in dataset (${dataset.inputs.length} MoD written answers, fixtures/builtin/SOURCES.md)`);
  } else {
    const { loadInputs } = await import('../io/load.js');
    dataset = await loadInputs(files, {
      aliases, encoding: opts.encoding, delimiter: opts.delimiter, layout: opts.layout, headerRow: opts.headerRow,
      year: opts.year, department: opts.department?.[0], lenient: opts.lenient, stdin: io.stdin, textFigures: opts.textFigures,
      progress: io.stderr.isTTY && !opts.quiet ? progressLine(io) : undefined,
    });
  }
  const rejects = dataset.inputs.flatMap((i) => i.rejects);
  // All rejected rows: an incident log lists the first 1,000 and counts the rest.
  const rejected = dataset.inputs.reduce((n, i) => n + i.stats.rows_rejected, 0);
  const warnings = dataset.inputs.flatMap((i) => i.warnings);
  if (failOnRejects) {
    if (rejected > 0 && !opts.lenient) {
      for (const r of rejects) io.stderr.write(`assetloss: ${describeDiagnostic(r)}\n`);
      const read = dataset.inputs.reduce((n, i) => n + i.stats.rows_read, 0);
      io.stderr.write(`assetloss: ${rejected} row${rejected === 1 ? '' : 's'} rejected of ${read} read; nothing written (use --lenient to keep going, or validate for the full report)\n`);
      throw new ExitError(2);
    }
    for (const w of warnings) {
      if (opts.strict) io.stderr.write(`assetloss: ${describeDiagnostic(w)}\n`);
      else notice(io, opts, `warning: ${describeDiagnostic(w)}`);
    }
    if (opts.strict && warnings.length > 0) {
      io.stderr.write(`assetloss: --strict: ${warnings.length} warning${warnings.length === 1 ? '' : 's'} treated as errors; nothing written\n`);
      throw new ExitError(2);
    }
    if (rejected > 0) {
      for (const r of rejects) io.stderr.write(`assetloss: rejected: ${describeDiagnostic(r)}\n`);
      io.stderr.write(`assetloss: --lenient: ${rejected} row${rejected === 1 ? '' : 's'} rejected; the output is incomplete\n`);
    }
  }
  return { dataset, aliases, rejected };
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
    io.stderr.write(`\r\u001b[Kassetloss: ${file}: ${lines.toLocaleString('en-GB')} rows, ${mb.toFixed(1)} MB read, ${(mb / ((now - started) / 1000)).toFixed(1)} MB/s`);
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
  const chunks = await render(format, report, { color: useColor(opts, io), crlf: opts.crlf, bom: opts.bom });
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
