// Files to a dataset: opens each input (file, stdin or the built-in answers), detects its format
// and layout, decodes strictly, streams rows through the core readers and keeps the row accounting.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AssetRecord, Source } from '../model/model.js';
import type { Dataset, InputReport } from '../model/dataset.js';

export type { Dataset, InputReport } from '../model/dataset.js';
import type { AliasTables } from '../engine/aliases.js';
import type { Layout } from '../model/vocab.js';
import { InputError } from '../model/diagnostics.js';
import {
  duplicateChecker, emptyStats, type InputRow, type LongHeader, longRowReader, looksLong, mapLongHeader, type ReadContext, type RowStats,
} from '../read/table.js';
import { readAnswerTable } from '../read/answer-table.js';
import { looksLikeData } from '../read/header.js';
import { parseIsoDay } from '../engine/dates.js';
import { CsvTokenizer, type RowSink } from './csv.js';
import { type BlankLines, type IncidentColumns, IncidentSink, incidentColumns, lineTaker, looksLikeIncidents, MAX_KEPT_REJECTS, readNdjsonIncidents, type RejectList } from './incidents.js';
import { dateFormatNamed, IncidentAggregator } from '../read/incidents.js';
import { dayRecordCount, expandDaily, isDaily } from '../engine/daily.js';
import { type ByteTap, decodeChunks, type DecodeInfo, type Encoding } from './decode.js';
import { type HalfResult, planSplit, readRange, SPLIT_MIN_BYTES, type SplitPlan, splitBytes, splitUse, startHalf } from './incident-split.js';
import { readJsonInput } from './json-input.js';
import { looksLikeWrittenAnswers, readWrittenAnswers } from './pq-input.js';
import type { InputEntry } from './inputs-file.js';
import type { PqCacheOptions } from './pq-cache.js';
import { isInputsFile, isPqRef, parsePqRef, sidecarOf } from './input-refs.js';
import { append } from '../engine/arrays.js';
import { fileProblem } from './fs-errors.js';

export interface LoadOptions {
  aliases: AliasTables;
  encoding?: Encoding;
  delimiter?: string;
  layout?: Layout;
  headerRow?: number;
  year?: number;
  department?: string;
  lenient?: boolean;
  /** Where standard input comes from (tests pass their own). */
  stdin?: NodeJS.ReadableStream;
  /**
   * Incident logs at least this big are read on two threads (see incident-split.ts); tests make
   * it small to exercise the cut on small files. Default SPLIT_MIN_BYTES; Infinity: never.
   */
  splitBytes?: number;
  /** The input's own values from an inputs file entry: they win over its metadata. */
  metadata?: Record<string, string>;
  /** Answers cited as pq:<id>: the cache, --offline, --refresh (see pq-cache.ts). */
  pq?: Omit<PqCacheOptions, 'env'> & { env?: NodeJS.ProcessEnv };
  /** Read figures from an answer's sentences when it has no table (marked as read from text). */
  textFigures?: boolean;
  /** Called as bytes are read (the CLI shows progress on a terminal for long inputs). */
  progress?: (file: string, bytes: number, lines: number, done: boolean) => void;
}

/** One input read: its report, its sources and its records. */
type Loaded = { report: InputReport; sources: Source[]; records: AssetRecord[] };

const BUILTIN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/builtin');

export async function builtinFiles(): Promise<string[]> {
  const names = (await readdir(BUILTIN_DIR)).filter((n) => n.endsWith('.csv')).sort();
  return names.map((n) => join(BUILTIN_DIR, n));
}

/** `files`: paths (an inputs file among them is read for its entries), or entries themselves (a claims file's `input:`). */
export async function loadInputs(files: readonly (string | InputEntry)[], options: LoadOptions): Promise<Dataset> {
  const dataset: Dataset = { inputs: [], sources: [], records: [] };
  const ids = new Set<string>();
  // An inputs file names the inputs and what each does not say itself (see inputs-file.ts); an
  // answer cited as pq:<id> is read from its cached versions, oldest first (see pq-cache.ts).
  const entries: { file: string; options: LoadOptions; id?: string; display?: string }[] = [];
  const add = async (file: string, own: LoadOptions, depth = 0): Promise<void> => {
    // An inputs file may list others (a folder's answers in one, gathered in another).
    if (file !== '-' && isInputsFile(file)) {
      if (depth > 8) throw new InputError('BAD_INPUTS_FILE', 'inputs files list one another more than 8 deep (a loop?)', { file });
      const { readInputsFile } = await import('./inputs-file.js');
      for (const e of await readInputsFile(file)) await add(e.file, entryOptions(own, await withSidecar(e)), depth + 1);
      return;
    }
    if (!isPqRef(file)) {
      entries.push({ file, options: own });
      return;
    }
    if (options.pq?.offline && options.pq.refresh) throw new InputError('USAGE', '--offline and --refresh cannot go together: --refresh fetches', { file });
    const { cachedAnswer } = await import('./pq-cache.js');
    const answer = await cachedAnswer(parsePqRef(file), { env: process.env, ...options.pq });
    answer.files.forEach((f, k) => {
      const latest = k === answer.files.length - 1;
      const vintage = answer.vintages[k];
      const versionOptions = vintage ? { ...own, metadata: { ...own.metadata, vintage } } : own;
      entries.push({ file: f, options: versionOptions, id: latest ? `pq-${answer.id}` : `pq-${answer.id}-v${k + 1}`, display: `${file}${answer.files.length > 1 ? `#v${k + 1}` : ''}` });
    });
  };
  for (const file of files) {
    if (typeof file !== 'string') {
      await add(file.file, entryOptions(options, await withSidecar(file)));
    } else if (file !== '-' && isInputsFile(file)) {
      await add(file, options);
    } else {
      const sidecar = file === '-' || isPqRef(file) ? undefined : await sidecarEntry(file);
      await add(file, sidecar ? entryOptions(options, sidecar) : options);
    }
  }
  for (const [position, { file, options: own, id: given, display }] of entries.entries()) {
    let id = given ?? (file === '-' ? 'stdin' : basename(file, extname(file)));
    for (let n = 2; ids.has(id); n++) id = `${given ?? basename(file, extname(file))}-${n}`;
    ids.add(id);
    const loaded = await loadOne(file, id, position, own, display);
    dataset.inputs.push(loaded.report);
    append(dataset.sources, loaded.sources);
    append(dataset.records, loaded.records);
  }
  reportRevisedAnswers(dataset);
  reportRepeatedInputs(dataset);
  return dataset;
}

/**
 * Versions of one cited answer (pq:<id> fetched again after a correction): every figure that
 * changed between them is said, with both values; the newer version wins in totals (its vintage).
 */
function reportRevisedAnswers(dataset: Dataset): void {
  const versions = new Map<string, string[]>();
  for (const i of dataset.inputs) {
    const m = /^pq-(\d+)(?:-v\d+)?$/.exec(i.id);
    if (m) versions.set(m[1]!, [...(versions.get(m[1]!) ?? []), i.id]);
  }
  for (const [, ids] of versions) {
    if (ids.length < 2) continue;
    const key = (r: AssetRecord) => [r.series.department, r.series.category, r.series.status, r.series.unit ?? '', r.series.item ?? '', r.period.start, r.period.end].join('|');
    const value = (r: AssetRecord) => (r.count.kind === 'exact' ? String(r.count.value) : r.count.kind === 'suppressed' ? `${r.count.min}–${r.count.max ?? '?'}` : 'not available');
    const byVersion = ids.map((id) => new Map(dataset.records.filter((r) => r.provenance.source_id === id).map((r) => [key(r), r])));
    const newest = dataset.inputs.find((i) => i.id === ids[ids.length - 1])!;
    for (let k = 1; k < ids.length; k++) {
      const [older, newer] = [byVersion[k - 1]!, byVersion[k]!];
      for (const [kk, r] of newer) {
        const o = older.get(kk);
        if (o && value(o) !== value(r)) newest.warnings.push({ file: newest.file, line: r.provenance.line, code: 'ANSWER_REVISED', message: `${r.series.category} (${r.series.status}) ${r.period.start}..${r.period.end}: ${value(o)} in ${ids[k - 1]} → ${value(r)} in ${ids[k]}` });
      }
      for (const [kk, o] of older) if (!newer.has(kk)) newest.warnings.push({ file: newest.file, code: 'ANSWER_REVISED', message: `${o.series.category} (${o.series.status}) ${o.period.start}..${o.period.end}: ${value(o)} in ${ids[k - 1]}, no longer in ${ids[k]}` });
    }
  }
}

/**
 * Two inputs with the same figures for the same series and days (one answer saved twice, or one
 * table given as the answer of two bodies): warned of, and counted once by the totals as any
 * figure two answers agree on.
 */
function reportRepeatedInputs(dataset: Dataset): void {
  if (dataset.inputs.length < 2) return;
  // Only answers with as many figures as another can repeat it: the rest are not fingerprinted.
  // Counted by runs of one source (an input's records come together).
  const sizes = new Map<string, number>();
  let id: string | undefined;
  let n = 0;
  const records = dataset.records;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.provenance.source_id !== id) {
      if (id !== undefined) sizes.set(id, (sizes.get(id) ?? 0) + n);
      id = r.provenance.source_id;
      n = 0;
    }
    n += isDaily(r) ? r.daily.end - r.daily.start + 1 : 1;
  }
  if (id !== undefined) sizes.set(id, (sizes.get(id) ?? 0) + n);
  const counts = new Map<number, number>();
  for (const n of sizes.values()) counts.set(n, (counts.get(n) ?? 0) + 1);
  const candidates = new Set([...sizes].filter(([, n]) => counts.get(n)! > 1).map(([id]) => id));
  if (candidates.size === 0) return;
  const bySource = new Map<string, string[]>();
  for (const r of expandDaily(dataset.records.filter((r) => candidates.has(r.provenance.source_id)))) {
    const s = r.series;
    const c = r.count;
    const key = [s.department, s.category, s.status, s.unit ?? '', s.item ?? '', r.period.start, r.period.end, c.kind === 'exact' ? c.value : c.kind === 'suppressed' ? `${c.min}-${c.max}` : 'missing'].join('|');
    const list = bySource.get(r.provenance.source_id);
    if (list) list.push(key);
    else bySource.set(r.provenance.source_id, [key]);
  }
  const seen = new Map<string, string>();
  for (const [id, keys] of bySource) {
    const fingerprint = keys.sort().join('\n');
    const first = seen.get(fingerprint);
    if (first === undefined) { seen.set(fingerprint, id); continue; }
    const input = dataset.inputs.find((i) => i.id === id || id.startsWith(`${i.id}-`));
    input?.warnings.push({ file: input.file, code: 'DUPLICATE_INPUT', message: `the same ${keys.length} figure${keys.length === 1 ? '' : 's'} as ${first}: a repeated answer, counted once` });
  }
}

/**
 * The input's sidecar as an entry, if it has one. Its reader (YAML and zod, a good part of a
 * start-up) is loaded only when there is a sidecar to read.
 */
async function sidecarEntry(file: string): Promise<InputEntry | undefined> {
  if (!existsSync(sidecarOf(file))) return undefined;
  const { readSidecar } = await import('./inputs-file.js');
  return readSidecar(file);
}

/** An inputs file entry over the input's sidecar (answer.html.yaml), over the input's own metadata. */
async function withSidecar(e: InputEntry): Promise<InputEntry> {
  const side = await sidecarEntry(e.file);
  if (!side) return e;
  return {
    file: e.file,
    metadata: { ...side.metadata, ...e.metadata },
    headerRow: e.headerRow ?? side.headerRow,
    year: e.year ?? side.year,
    layout: e.layout ?? side.layout,
    textFigures: e.textFigures ?? side.textFigures,
  };
}

/** An entry's own values win over the command line's, which apply to every input. */
function entryOptions(options: LoadOptions, e: InputEntry): LoadOptions {
  return {
    ...options,
    metadata: { ...options.metadata, ...e.metadata },
    headerRow: e.headerRow ?? options.headerRow,
    year: e.year ?? options.year,
    layout: e.layout ?? options.layout,
    textFigures: e.textFigures ?? options.textFigures,
  };
}

function openBytes(file: string, options: LoadOptions, plan: SplitPlan | undefined): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  const bytes = file === '-' ? (options.stdin ?? process.stdin) as AsyncIterable<Uint8Array> : plan ? splitBytes(plan) : readRange(file);
  return options.progress ? counted(bytes, file, options.progress, plan) : bytes;
}

async function* counted(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, file: string, progress: NonNullable<LoadOptions['progress']>, plan?: SplitPlan): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  let lines = 0;
  // A worker reading the second half reports what it has read too (see incident-split.ts).
  let other = { bytes: 0, lines: 0 };
  if (plan) {
    plan.progress = (b, l) => {
      other = { bytes: b, lines: l };
      progress(file, bytes + other.bytes, lines + other.lines, false);
    };
  }
  let n = 0;
  for await (const chunk of chunks) {
    if (plan?.declined) other = { bytes: 0, lines: 0 };
    bytes += chunk.length;
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    for (let k = buf.indexOf(10); k !== -1; k = buf.indexOf(10, k + 1)) lines++;
    progress(file, bytes + other.bytes, lines + other.lines, false);
    // Reading here never waits on the event loop; let the worker's reports in now and then.
    if (plan && ++n % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
    yield chunk;
  }
  progress(file, bytes, lines, true);
}

function detectFormat(file: string): 'csv' | 'tsv' | 'json' | 'ndjson' | 'html' | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.json') return 'json';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.csv' || ext === '.txt') return 'csv';
  return undefined;
}

async function loadOne(file: string, id: string, position: number, options: LoadOptions, shown?: string): Promise<Loaded> {
  const display = shown ?? (file === '-' ? '<stdin>' : file.startsWith(BUILTIN_DIR) ? `fixtures/builtin/${basename(file)}` : file);
  try {
    const info: Partial<DecodeInfo> = {};
    // An incident log's sink takes whole lines from the bytes once its header is read.
    const tap: ByteTap = {};
    // A big file may be cut in two for an incident log (only UTF-8: the cut is at a line feed byte).
    const plan = file !== '-' && (options.encoding ?? 'utf-8') === 'utf-8' ? planSplit(file, options.splitBytes ?? SPLIT_MIN_BYTES) : undefined;
    const text = decodeChunks(openBytes(file, options, plan), options.encoding, info, tap);
    let format = detectFormat(file);
    if (!format) {
      // Sniff: a document starting with { or [ is JSON, else CSV.
      const first = await peekText(text);
      format = /^\s*</.test(first.text) ? 'html' : /^\s*[[{]/.test(first.text) ? (looksNdjson(first.text) ? 'ndjson' : 'json') : 'csv';
      return await loadText(first.rest, format, display, id, position, options, info, plan, tap);
    }
    return await loadText(text, format, display, id, position, options, info, plan, tap);
  } catch (err) {
    if (err instanceof InputError) throw err.at(display);
    const problem = fileProblem(err);
    if (problem) throw new InputError('CANNOT_OPEN', problem, { file: display });
    throw err;
  }
}

/**
 * NDJSON when the first line is a whole object followed by another, or a lone object that is a
 * record rather than a document: one record on stdin is NDJSON too.
 */
function looksNdjson(text: string): boolean {
  const nl = text.indexOf('\n');
  const first = (nl === -1 ? text : text.slice(0, nl)).trim();
  if (!first.startsWith('{') || !first.endsWith('}')) return false;
  if (nl !== -1 && /^\s*\{/.test(text.slice(nl + 1))) return true;
  try {
    const value = JSON.parse(first) as unknown;
    // A one-line document (records, or a saved Written Questions API response) stays JSON.
    return !!value && typeof value === 'object' && !['records', 'results', 'value', 'totalResults'].some((k) => k in value);
  } catch {
    return false;
  }
}

/** At most this much text is looked at to tell an input's format. */
const PEEK_CHARS = 1 << 20;

/**
 * The start of a text, to tell its format: up to the first character of its second line (the
 * first line whole), or PEEK_CHARS, or all of it. `text` depends only on the input, never on how
 * it was cut into chunks; `rest` gives all of the input again.
 */
async function peekText(chunks: AsyncGenerator<string>): Promise<{ text: string; rest: AsyncGenerator<string> }> {
  let read = '';
  const it = chunks[Symbol.asyncIterator]();
  // Whether a second line has begun, looking at each character once (a regex /\n\s*\S/ over
  // the whole text, chunk after chunk, was quadratic in a run of blank lines).
  let from = 0;
  let newline = -1;
  const nonSpace = /\S/g;
  const secondLine = () => {
    if (newline === -1) {
      newline = read.indexOf('\n', from);
      if (newline === -1) { from = read.length; return false; }
      from = newline + 1;
    }
    nonSpace.lastIndex = from;
    if (nonSpace.test(read)) return true;
    from = read.length;
    return false;
  };
  while (read.length < PEEK_CHARS && !secondLine()) {
    const next = await it.next();
    if (next.done) break;
    read += next.value;
  }
  async function* rest() {
    if (read) yield read;
    for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
  }
  return { text: read.slice(0, PEEK_CHARS), rest: rest() };
}

function sourceFrom(id: string, file: string, position: number, layout: string, encoding: string, metadata: Record<string, string>): Source {
  const answered = metadata.answered && parseIsoDay(metadata.answered.trim()) !== undefined ? metadata.answered.trim() : undefined;
  const reported = metadata.reported && parseIsoDay(metadata.reported.trim()) !== undefined ? metadata.reported.trim() : undefined;
  return {
    id, file, layout, encoding, metadata,
    vintage: answered ? { date: answered, basis: 'answered', position } : reported ? { date: reported, basis: 'reported', position } : { date: null, basis: 'position', position },
  };
}

async function loadText(
  text: AsyncIterable<string>, format: 'csv' | 'tsv' | 'json' | 'ndjson' | 'html', file: string, id: string, position: number,
  options: LoadOptions, info: Partial<DecodeInfo>, plan: SplitPlan | undefined, tap: ByteTap,
): Promise<Loaded> {
  if (format === 'ndjson') {
    // NDJSON incident logs stream line by line (they can be millions of lines).
    const peeked = await peekText(text[Symbol.asyncIterator]() as AsyncGenerator<string>);
    const firstLine = peeked.text.split('\n', 1)[0] ?? '';
    if (options.layout === 'incidents' || looksLikeIncidentJson(firstLine, options.aliases)) {
      return readNdjsonIncidentLog(linesOf(peeked.rest), file, id, position, options, info);
    }
    text = peeked.rest;
  }
  if (format === 'json' || format === 'ndjson' || format === 'html') return loadDocument(text, format, file, id, position, options, info);
  return loadTable({ format, file, id, position, options, info, plan, tap }, text);
}

/** A JSON, NDJSON or HTML input, read whole: records, or written answers. */
async function loadDocument(
  text: AsyncIterable<string>, format: 'json' | 'ndjson' | 'html', file: string, id: string, position: number, options: LoadOptions, info: Partial<DecodeInfo>,
): Promise<Loaded> {
  let all = '';
  for await (const part of text) all += part;
  const ctx = { file, id, position, aliases: options.aliases, year: options.year, department: options.department, metadata: options.metadata, headerRow: options.headerRow, textFigures: options.textFigures };
  // Written answers (design §3 item 5): the API's saved responses, or an answer's HTML.
  const out = format === 'html' || (format === 'json' && looksLikeWrittenAnswers(all))
    ? await readWrittenAnswers(all, format, ctx)
    : readJsonInput(all, format, ctx);
  out.report.encoding = info.encoding ?? 'utf-8';
  out.report.bom = info.bom ?? false;
  return out;
}

/** A CSV or TSV input, as opened. */
interface TableInput {
  format: 'csv' | 'tsv';
  file: string;
  id: string;
  position: number;
  options: LoadOptions;
  info: Partial<DecodeInfo>;
  plan: SplitPlan | undefined;
  /** Where the decoder looks for an incident log's LineTaker. */
  tap: ByteTap;
}

/** A CSV or TSV input read up to its header: the rest of its rows are still to come. */
interface Table extends TableInput {
  delimiter: string;
  report: InputReport;
  metadata: Record<string, string>;
  metadataLines: Record<string, number>;
  rows: CsvRows;
  it: RowBatches;
  header: InputRow;
  /** The blank and caption rows above the header. */
  before: InputRow[];
  ctx: ReadContext;
}

/** A CSV or TSV input: its header found, then read as an incident log, a long file or an answer table. */
async function loadTable(input: TableInput, text: AsyncIterable<string>): Promise<Loaded> {
  const { format, file, id, options, info } = input;
  const delimiter = options.delimiter ?? (format === 'tsv' ? '\t' : ',');
  const report: InputReport = {
    id, file, format, layout: 'wide', encoding: 'utf-8', bom: false, delimiter, stats: emptyStats(),
    rejects: [], warnings: [], notes: [], totalChecks: [], headerMapping: {},
  };
  const metadata: Record<string, string> = {};
  const metadataLines: Record<string, number> = {};
  const rows = new CsvRows(text, delimiter, !!options.lenient, metadata, metadataLines);
  const it = new RowBatches(rows.batches()[Symbol.asyncIterator]());
  const { header, before } = await readHeader(it, options, delimiter);
  report.encoding = info.encoding ?? 'utf-8';
  report.bom = info.bom ?? false;
  Object.assign(metadata, options.metadata);
  checkHeaderShape(header, delimiter);
  const ctx: ReadContext = { sourceId: id, file, metadata, metadataLines, aliases: options.aliases, year: options.year, department: options.department, headerRow: options.headerRow };
  const layout = options.layout === 'wide' || options.layout === 'transposed' ? undefined
    : options.layout ?? (looksLikeIncidents(header.fields, options.aliases) ? 'incidents' : looksLong(header, ctx) ? 'long' : undefined);
  if (layout) {
    for (const row of before) {
      report.stats.rows_read++;
      report.stats.rows_skipped++;
      if (row.blank) report.stats.skipped_blank++;
      else report.stats.skipped_title++;
    }
  }
  const table: Table = { ...input, delimiter, report, metadata, metadataLines, rows, it, header, before, ctx };
  if (layout === 'incidents') return readIncidentLog(table);
  const records: AssetRecord[] = [];
  const vintages = layout === 'long' ? await readLongRows(table, records) : await readAnswerRows(table, records);
  return { report, sources: sourcesOf(table, vintages), records };
}

/**
 * The header: the row --header-row names, or the first row of more than one field after any
 * blank rows and one-field caption rows ("Losses and thefts for period …" above the table); and
 * the rows above it.
 */
async function readHeader(it: RowBatches, options: LoadOptions, delimiter: string): Promise<{ header: InputRow; before: InputRow[] }> {
  let header: InputRow | undefined;
  const before: InputRow[] = [];
  let firstText: InputRow | undefined;
  for (let n = await it.next(); !n.done; n = await it.next()) {
    const row = n.value;
    if (options.headerRow !== undefined ? row.line < options.headerRow : row.blank || (row.fields.length === 1 && before.length < MAX_CAPTION_ROWS)) {
      if (options.headerRow !== undefined && !row.blank && looksLikeData(row)) {
        throw new InputError('DATA_ABOVE_HEADER', `line ${row.line} holds figures but is above the header row given (${options.headerRow}): that header row does not fit this input`, { line: row.line, column: 1 }, 'a header row at or above the first row of figures', row.fields.join(delimiter));
      }
      if (!row.blank) firstText ??= row;
      before.push(row);
      continue;
    }
    header = row;
    break;
  }
  // Only one-field rows: the first of them is the header, and says what is wrong with it.
  if (!header && firstText && options.headerRow === undefined) {
    header = firstText;
    before.splice(before.indexOf(firstText));
  }
  if (!header) throw new InputError('NO_HEADER', options.headerRow ? `no header at line ${options.headerRow}` : 'empty file: no header row', { line: 1 }, 'a header row');
  return { header, before };
}

/**
 * An incident log: one row per incident, summed while streaming. The rows already cut into
 * objects are replayed into the sink, the rest of the file goes to it field by field.
 */
async function readIncidentLog(t: Table): Promise<Loaded> {
  const { report, header, metadata, rows, file, options } = t;
  report.layout = 'incidents';
  const declared = metadata['date-format'];
  if (declared !== undefined && !dateFormatNamed(declared)) {
    throw new InputError('BAD_METADATA', `metadata date-format: "${declared}" is not a format incident logs are read in`, { line: t.metadataLines['date-format'] ?? header.line, column: 1 }, 'YYYY-MM-DD or dd/mm/yyyy', declared);
  }
  const agg = new IncidentAggregator({ sourceId: t.id, file, aliases: options.aliases, metadata, department: options.department });
  const { columns, ignored } = incidentColumns(header.fields, options.aliases, file, header.line, !!metadata.category);
  for (const c of ignored) report.warnings.push({ file, line: header.line, column: header.columns[c.index] ?? c.index + 1, code: 'IGNORED_COLUMN', message: c.message });
  const sink = new IncidentSink(agg, columns, header.fields.length, report.stats, file, rows.offset, t.delimiter);
  const half = startSecondHalf(t, agg, columns);
  rows.divert(sink, half?.startWhenDated);
  t.tap.taker = lineTaker(sink, rows.tokenizer);
  half?.startWhenDated();
  try {
    for (let n = await t.it.next(); !n.done; n = await t.it.next()) {
      const row = n.value;
      // Lines as the tokenizer counts them (below the metadata), as the sink takes them.
      row.fields.forEach((v, i) => { if (sink.wants(i)) sink.field(i, v, (row.lines?.[i] ?? row.line) - rows.offset, row.columns[i] ?? 1); });
      sink.row(row.line - rows.offset, row.fields.length, row.blank);
      half?.startWhenDated();
    }
  } finally {
    half?.stop();
  }
  if (half?.taken) {
    const { result, shift } = half.taken;
    for (const k of ['rows_read', 'rows_accepted', 'rows_rejected', 'rows_skipped', 'skipped_blank'] as const) report.stats[k] += result.stats[k];
    sink.rejects.absorb(result.rejects, result.notListed, shift);
    // Blank lines just before the cut were inside the log if the second half has a row.
    if (result.stats.rows_read > result.stats.skipped_blank && sink.blanks.pending) sink.blanks.flush();
    sink.blanks.absorb(result.blanks, shift);
    agg.merge(result.part, shift);
  }
  return finishIncidents(report, agg, sink.rejects, sink.blanks, sourceFrom(t.id, file, t.position, 'incidents', report.encoding, metadata));
}

/** A worker summing the second half of a big incident log, and what it gave if taken at the cut. */
interface SecondHalf {
  /** Starts the worker once the date format is known (declared, or from the first dates). */
  startWhenDated: () => void;
  stop(): void;
  /** The worker's result, and the lines before the cut to move its lines down by. */
  readonly taken: { result: HalfResult; shift: number } | undefined;
}

/**
 * A big UTF-8 file: a worker sums the second half meanwhile, used only if the cut checks out (see
 * incident-split.ts). None when this thread is already past the cut (a header far down the file).
 */
function startSecondHalf(t: Table, agg: IncidentAggregator, columns: IncidentColumns): SecondHalf | undefined {
  const { plan, options, rows, file, metadata } = t;
  if (!plan || plan.declined || t.info.encoding !== 'utf-8') return undefined;
  const ctx = { sourceId: t.id, file, aliases: options.aliases, metadata, department: options.department };
  const half = startHalf({ path: plan.path, start: plan.at + 1, delimiter: t.delimiter, relaxQuotes: !!options.lenient, columns, width: t.header.fields.length, ctx, progress: !!plan.progress }, plan.progress);
  let taken: SecondHalf['taken'];
  // Asked at the cut: the worker's sums are taken when this thread's half ends between rows and
  // both read dates alike; else the worker is stopped and the rest of the file is read here.
  plan.accept = async () => {
    const tokenizer = rows.tokenizer;
    const result = tokenizer.atRowStart() && agg.format !== undefined && half.format === agg.format ? await half.result() : undefined;
    if (result) taken = { result, shift: tokenizer.nextLine - 1 + rows.offset };
    else {
      half.stop();
      plan.declined = true;
    }
    splitUse[result ? 'used' : 'fellBack']++;
    return result !== undefined;
  };
  return {
    startWhenDated: () => { if (agg.format) half.start(agg.format); },
    stop: () => half.stop(),
    get taken() { return taken; },
  };
}

/** A long file: one record per row, streamed; the vintages its own records name, per source (the tool's records files). */
async function readLongRows(t: Table, records: AssetRecord[]): Promise<Map<string, OwnVintage>> {
  const { report, header, ctx, file, delimiter, it } = t;
  const vintages = new Map<string, OwnVintage>();
  report.layout = 'long';
  const long = longHeader(t);
  const read = longRowReader(long, header.fields.length, ctx, (code, message) => report.warnings.push({ file, code, message }));
  const stats = report.stats;
  const isDuplicate = duplicateChecker(file);
  // The row a duplicate's text comes from: one function for every row, not one made per row.
  let current: InputRow | undefined;
  const currentText = () => current!.fields.join(delimiter);
  // The tool's own records files name each record's source and vintage: keep them per source.
  const vintageIndex = long.index.source_id !== undefined ? long.index.vintage : undefined;
  let pendingBlanks: InputRow[] = [];
  for (;;) {
    // Rows are taken from the batch at hand; only a new batch is waited for.
    const row = it.take();
    if (row === undefined) {
      if (await it.fill()) continue;
      break;
    }
    stats.rows_read++;
    const out = read(row);
    if (out.kind === 'skip' && out.reason === 'total') {
      stats.rows_skipped++;
      stats.skipped_total++;
      report.warnings.push(out.warning);
      continue;
    }
    if (out.kind === 'skip') {
      stats.rows_skipped++;
      stats.skipped_blank++;
      pendingBlanks.push(row);
      continue;
    }
    if (pendingBlanks.length) {
      for (const b of pendingBlanks) report.warnings.push({ file, line: b.line, code: 'BLANK_LINE', message: 'blank line inside the data (skipped)' });
      pendingBlanks = [];
    }
    if (out.kind === 'reject') {
      stats.rows_rejected++;
      report.rejects.push(out.reject);
      continue;
    }
    current = row;
    const dup = isDuplicate(out.record, row.line, row.columns[0] ?? 1, currentText);
    if (dup) {
      stats.rows_rejected++;
      report.rejects.push(dup);
      continue;
    }
    stats.rows_accepted++;
    if (out.warnings.length > 0) append(report.warnings, out.warnings);
    records.push(out.record);
    if (vintageIndex !== undefined && !vintages.has(out.record.provenance.source_id)) vintages.set(out.record.provenance.source_id, ownVintage(long, row));
  }
  stats.records = records.length;
  return vintages;
}

/** The vintage a row of the tool's own records file gives its source. */
function ownVintage(long: LongHeader, row: InputRow): OwnVintage {
  const at = (key: string) => { const i = long.index[key]; return i === undefined ? '' : (row.fields[i] ?? '').trim(); };
  return { vintage: at('vintage'), uin: at('uin'), answered: at('answered') };
}

/** A long file's header mapped to the fields (or its first problem thrown), its unknown columns warned of. */
function longHeader({ header, ctx, report, file, delimiter }: Table): LongHeader {
  const mapped = mapLongHeader(header, ctx);
  if (!mapped.header) {
    const p = mapped.problems[0]!;
    throw new InputError(p.code, p.message, { line: p.line, column: p.column }, p.expected, p.got);
  }
  report.headerMapping = mapped.header.mapping;
  // The records TSV writer's escapes go with the tab, whatever the file is called (stdin).
  if (delimiter === '\t' && mapped.header.guarded) mapped.header.tsvEscapes = true;
  for (const name of mapped.ignored) {
    report.warnings.push({ file, line: header.line, code: 'IGNORED_COLUMN', message: `unknown column "${name}" ignored` });
  }
  return mapped.header;
}

/** The vintage, UIN and answer date a row of the tool's own records file gives its source. */
interface OwnVintage { vintage: string; uin: string; answered: string }

/** An answer table: read whole by the answer-table pipeline (src/read/). Its records name no vintages of their own. */
async function readAnswerRows(t: Table, records: AssetRecord[]): Promise<Map<string, OwnVintage>> {
  const { report, options, it } = t;
  const all: InputRow[] = [...t.before, t.header];
  for (let n = await it.next(); !n.done; n = await it.next()) all.push(n.value);
  const table = readAnswerTable({ rows: all }, t.ctx);
  if (table.fatal) {
    const p = table.fatal;
    if (!(options.lenient && p.code === 'NO_COUNTS')) throw new InputError(p.code, p.message, { line: p.line, column: p.column }, p.expected, p.got);
    report.warnings.push(p);
  }
  report.layout = options.layout ?? table.layout;
  for (const key of Object.keys(table.stats) as (keyof RowStats)[]) report.stats[key] += table.stats[key];
  for (const r of table.rejects) report.rejects.push(r);
  for (const w of table.warnings) report.warnings.push(w);
  for (const n of table.notes) report.notes.push(n);
  report.totalChecks = table.totalChecks;
  report.headerMapping = table.headerMapping;
  for (const r of table.records) records.push(r);
  return new Map();
}

/** The input's source, and one more for each other source its own records name (the tool's records files). */
function sourcesOf(t: Table, vintages: Map<string, OwnVintage>): Source[] {
  const { id, position, report } = t;
  const source = sourceFrom(id, t.file, position, report.layout, report.encoding, t.metadata);
  const sources = [source];
  for (const [sourceId, own] of vintages) {
    const date = parseIsoDay(own.vintage) !== undefined ? own.vintage : null;
    const cited: Record<string, string> = {};
    if (own.uin) cited.uin = own.uin;
    if (own.answered && parseIsoDay(own.answered) !== undefined) cited.answered = own.answered;
    if (sourceId === id) {
      if (date && source.vintage.date === null) source.vintage = { date, basis: 'reported', position };
      for (const [k, v] of Object.entries(cited)) source.metadata[k] ??= v;
      continue;
    }
    sources.push({ ...source, id: sourceId, metadata: cited, vintage: date ? { date, basis: 'reported', position } : { date: null, basis: 'position', position } });
  }
  return sources;
}

/** An NDJSON first line with a date and a category but no count: an incident log. */
function looksLikeIncidentJson(line: string, aliases: LoadOptions['aliases']): boolean {
  try {
    const obj = JSON.parse(line) as unknown;
    return !!obj && typeof obj === 'object' && !Array.isArray(obj) && looksLikeIncidents(Object.keys(obj), aliases);
  } catch {
    return false;
  }
}

async function* linesOf(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of chunks) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const p of parts) yield p.endsWith('\r') ? p.slice(0, -1) : p;
  }
  if (rest) yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

async function readNdjsonIncidentLog(
  lines: AsyncIterable<string>, file: string, id: string, position: number, options: LoadOptions, info: Partial<DecodeInfo>,
): Promise<Loaded> {
  const report: InputReport = {
    id, file, format: 'ndjson', layout: 'incidents', encoding: info.encoding ?? 'utf-8', bom: info.bom ?? false, stats: emptyStats(),
    rejects: [], warnings: [], notes: [], totalChecks: [], headerMapping: {},
  };
  const agg = new IncidentAggregator({ sourceId: id, file, aliases: options.aliases, metadata: {}, department: options.department });
  const { rejects, blanks, warnings } = await readNdjsonIncidents(lines, agg, options.aliases, report.stats, file);
  append(report.warnings, warnings);
  return finishIncidents(report, agg, rejects, blanks, sourceFrom(id, file, position, 'incidents', report.encoding, {}));
}

/** An incident log read: its day records, its rejects (and how many were not listed), its warnings. */
function finishIncidents(report: InputReport, agg: IncidentAggregator, rejects: RejectList, blanks: BlankLines, source: Source): Loaded {
  const records = agg.dailyRecords();
  report.stats.records = dayRecordCount(records);
  append(report.rejects, rejects.kept);
  if (rejects.notListed) report.warnings.push({ file: report.file, code: 'REJECTS_NOT_LISTED', message: `${rejects.notListed} more rejected rows not listed (the first ${MAX_KEPT_REJECTS} are)` });
  append(report.warnings, agg.warnings);
  append(report.warnings, blanks.warnings(report.file));
  return { report, sources: [source], records };
}

/** A header of one column fails: with `,`, `;`, a tab or `|` in it, naming that delimiter. */
function checkHeaderShape(header: InputRow, delimiter: string): void {
  if (header.fields.length !== 1) return;
  const only = header.fields[0]!;
  for (const [d, name] of [[',', "','"], [';', "';'"], ['\t', "'\\t'"], ['|', "'|'"]] as const) {
    if (d !== delimiter && only.includes(d)) {
      throw new InputError('WRONG_DELIMITER', `1 column found; the file looks ${name}-delimited, use --delimiter ${name}`, { line: header.line, column: 1 }, `"${delimiter === '\t' ? '\\t' : delimiter}"-separated columns`, only);
    }
  }
  throw new InputError('ONE_COLUMN', 'the header has only one column (is this a title row? use --header-row N)', { line: header.line, column: 1 }, 'a header with at least two columns', only);
}

/**
 * Rows as the tokenizer cuts them, a batch (a piece of text) at a time: `take` gives the next row
 * of the batch at hand with no wait, `fill` waits for the next batch — one await a batch, not one
 * a row, for the long files of a million rows. `next` is both, for the readers' own loops.
 */
class RowBatches {
  private batch: InputRow[] = [];
  private i = 0;
  constructor(private readonly source: AsyncIterator<InputRow[]>) {}
  take(): InputRow | undefined {
    return this.i < this.batch.length ? this.batch[this.i++] : undefined;
  }
  async fill(): Promise<boolean> {
    for (;;) {
      const n = await this.source.next();
      if (n.done) return false;
      this.batch = n.value;
      this.i = 0;
      if (this.batch.length) return true;
    }
  }
  async next(): Promise<IteratorResult<InputRow, undefined>> {
    for (;;) {
      const row = this.take();
      if (row !== undefined) return { done: false, value: row };
      if (!(await this.fill())) return { done: true, value: undefined };
    }
  }
}

const ROW_PIECE = 1 << 14;
/** One-field rows above a header read as captions, at most: past them the file is one column. */
const MAX_CAPTION_ROWS = 20;

/**
 * A CSV input's rows: leading `# key: value` lines go into `metadata`, the rest is tokenized into
 * rows, a batch at a time — until `divert` sends the rest of the text to a sink field by field
 * (an incident log, once its header has been read), and no more rows are yielded.
 */
class CsvRows {
  readonly tokenizer: CsvTokenizer;
  private sink: RowSink | undefined;
  private afterFeed: (() => void) | undefined;
  private firstLine = true;
  private metadataLineCount = 0;

  constructor(
    private readonly text: AsyncIterable<string>, delimiter: string, lenient: boolean,
    private readonly metadata: Record<string, string>, private readonly metadataLines: Record<string, number>,
  ) {
    this.tokenizer = new CsvTokenizer({ delimiter, relaxQuotes: lenient });
  }

  /** Metadata lines above the table: tokenizer line numbers are shifted by this. */
  get offset(): number {
    return this.metadataLineCount;
  }

  /** From now on the text goes to `sink`, field by field; `afterFeed` is called after each piece of it. */
  divert(sink: RowSink, afterFeed?: () => void): void {
    this.sink = sink;
    this.afterFeed = afterFeed;
  }

  async *batches(): AsyncGenerator<InputRow[]> {
    let inMeta = true;
    let buf = '';
    for await (const chunk of this.text) {
      if (!inMeta) {
        yield* this.feed(chunk);
        continue;
      }
      buf = this.readMetadata(buf + chunk);
      // A metadata line that ended with the chunk: the next line is in the next chunk.
      inMeta = buf === '' || buf.startsWith('#');
      if (inMeta) continue;
      yield* this.feed(buf);
      buf = '';
    }
    if (inMeta && buf.startsWith('#')) {
      readMetaLine(buf.slice(1).replace(/\r$/, ''), this.metadata, this.metadataLines, this.metadataLineCount + 1);
      this.metadataLineCount++;
      buf = '';
    }
    if (buf) yield* this.feed(buf);
    if (this.sink) this.guarded(() => this.tokenizer.endTo(this.sink!));
    else yield* this.rowsOf('', true);
  }

  /** Reads the whole `#` lines at the start of `text`; what follows them. */
  private readMetadata(text: string): string {
    for (;;) {
      if (!text.startsWith('#')) return text;
      const nl = text.indexOf('\n');
      if (nl === -1) return text;
      readMetaLine(text.slice(1, nl).replace(/\r$/, ''), this.metadata, this.metadataLines, this.metadataLineCount + 1);
      text = text.slice(nl + 1);
      this.metadataLineCount++;
    }
  }

  private *feed(part: string): Generator<InputRow[]> {
    if (this.sink) {
      this.toSink(part);
      return;
    }
    // Until a sink takes over, rows are cut into objects: in small pieces (the first line on its
    // own, being the header), so that once the header says "incident log" the rest of the text
    // goes to the sink — small files included.
    for (let k = 0; k < part.length;) {
      const cut = this.firstLine ? part.indexOf('\n', k) + 1 || part.length : Math.min(part.length, k + ROW_PIECE);
      this.firstLine = false;
      const piece = k === 0 && cut === part.length ? part : part.slice(k, cut);
      k = cut;
      if (this.sink) this.toSink(piece);
      else yield* this.rowsOf(piece, false);
    }
  }

  private toSink(text: string): void {
    this.guarded(() => this.tokenizer.pushTo(text, this.sink!));
    this.afterFeed?.();
  }

  // The rows before an error are yielded before it is thrown (see rowsUntilError).
  private *rowsOf(text: string, final: boolean): Generator<InputRow[]> {
    const { rows, error } = this.tokenizer.rowsUntilError(text, final);
    if (rows.length) yield this.shift(rows);
    if (error) throw this.shiftError(error);
  }

  private shift(rows: InputRow[]): InputRow[] {
    const offset = this.metadataLineCount;
    if (offset) {
      for (const r of rows) {
        r.line += offset;
        if (r.lines) r.lines = r.lines.map((l) => l + offset);
      }
    }
    return rows;
  }

  /** Tokenizer lines are counted below the metadata: errors are moved down by it. */
  private shiftError(err: unknown): unknown {
    const offset = this.metadataLineCount;
    return err instanceof InputError && err.position.line !== undefined
      ? new InputError(err.code, err.message.replace(/line (\d+)/, (_, n) => `line ${Number(n) + offset}`), { ...err.position, line: err.position.line + offset }, err.expected, err.got)
      : err;
  }

  private guarded(f: () => void): void {
    try {
      f();
    } catch (err) {
      throw this.shiftError(err);
    }
  }
}

function readMetaLine(line: string, metadata: Record<string, string>, lines: Record<string, number>, lineNo: number): void {
  // `key: value`, read by hand: /^\s*([A-Za-z][\w -]*?)\s*:\s*(.*)$/ was quadratic in a run of spaces.
  const colon = line.indexOf(':');
  if (colon === -1) return;
  const name = line.slice(0, colon).trim();
  const value = line.slice(colon + 1);
  if (!/^[A-Za-z][\w -]*$/.test(name) || /[\n\r\u2028\u2029]/.test(value)) return;
  const key = name.toLowerCase().replace(/\s+/g, '-');
  metadata[key] = value.trim();
  lines[key] = lineNo;
}
