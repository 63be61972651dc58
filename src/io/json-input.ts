// JSON and NDJSON inputs: the tool's own record documents (`records --format json|ndjson`, so
// they round-trip) and plain arrays of long-layout objects. Each object becomes a long row.
import type { AssetRecord, Source } from '../model/model.js';
import type { AliasTables } from '../engine/aliases.js';
import { aliasKey, resolveHeader } from '../engine/aliases.js';
import { type Diagnostic, InputError } from '../model/diagnostics.js';
import { duplicateChecker, emptyStats, LONG_FIELDS, longRowReader, OWN_FIELDS, type ReadContext } from '../read/table.js';
import { parseIsoDay } from '../engine/dates.js';
import { type DuplicateKey, duplicateKeyWarning, parseJsonText, parseNdjsonLine } from './json-text.js';
import type { InputReport } from '../model/dataset.js';

const OWN = OWN_FIELDS;
/** Keys of record objects that carry nothing to read back (derived on output). */
const DERIVED = new Set(['days', 'vintage_basis']);
const FIELDS = [...LONG_FIELDS, ...OWN];

/** What a whole-document reader (JSON here, written answers in pq-read) knows of its input. */
export interface DocumentContext {
  /** The input as shown in messages. */
  file: string;
  /** The input's id (file name without extension). */
  id: string;
  position: number;
  aliases: AliasTables;
  year?: number;
  department?: string;
  /** The input's own values from an inputs file entry: they win over what the input says. */
  metadata?: Record<string, string>;
  headerRow?: number;
  textFigures?: boolean;
}
type JsonContext = DocumentContext;

function fieldOf(key: string, aliases: AliasTables): string | undefined {
  if ((OWN as readonly string[]).includes(key)) return key;
  if ((LONG_FIELDS as readonly string[]).includes(key)) return key;
  return resolveHeader(aliases, key);
}

function cellText(value: unknown, path: string, line: number): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    // 1e400 parses as Infinity, 9007199254740993 as ...992: neither is the number written.
    if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
      throw new InputError('BAD_NUMBER', `${path}: number too large to read exactly (at most ${Number.MAX_SAFE_INTEGER})`, { line }, 'a number no larger than 2^53 - 1', Number.isFinite(value) ? String(value) : undefined);
    }
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(';');
  throw new InputError('BAD_JSON_SHAPE', `${path}: expected a string, number or null`, { line }, 'a string, number or null', JSON.stringify(value).slice(0, 40));
}

/** One object of the input, with where it is: its line, and its path in messages (`$.records[3]`, `line 4`). */
interface Item { value: unknown; line: number; path: string }

export function readJsonInput(text: string, format: 'json' | 'ndjson', ctx: JsonContext): { report: InputReport; sources: Source[]; records: AssetRecord[] } {
  const report: InputReport = {
    id: ctx.id, file: ctx.file, format, layout: 'long', encoding: 'utf-8', bom: false, stats: emptyStats(),
    rejects: [], warnings: [], notes: [], totalChecks: [], headerMapping: {},
  };
  const { items, declaredSources } = format === 'ndjson' ? ndjsonItems(text, ctx, report) : documentItems(text, ctx, report);
  const { index, read } = objectReader(ctx, report);
  const unknownKeys = new Set<string>();
  const isDuplicate = duplicateChecker(ctx.file);
  let noDepartment = 0;
  const records: AssetRecord[] = [];
  const stats = report.stats;
  const reject = (d: Diagnostic) => {
    stats.rows_rejected++;
    report.rejects.push(d);
  };
  for (const item of items) {
    stats.rows_read++;
    const fields = fieldsOf(item, ctx, index, unknownKeys);
    if (!Array.isArray(fields)) {
      reject(fields);
      continue;
    }
    const out = read({ fields, line: item.line, columns: FIELDS.map(() => 0), blank: false });
    if (out.kind === 'reject') {
      reject({ ...out.reject, column: undefined, message: `${item.path}: ${out.reject.message}` });
      continue;
    }
    if (out.kind === 'skip') {
      stats.rows_skipped++;
      if (out.reason === 'total') {
        stats.skipped_total++;
        report.warnings.push({ ...out.warning, column: undefined, message: `${item.path}: ${out.warning.message}` });
      }
      continue;
    }
    const dup = isDuplicate(out.record, item.line, 0, JSON.stringify(item.value).slice(0, 60));
    if (dup) {
      reject({ ...dup, column: undefined, message: `${item.path}: ${dup.message}` });
      continue;
    }
    stats.rows_accepted++;
    for (const w of out.warnings) {
      // Objects without a department: one warning for the file, not one per object.
      if (w.code === 'NO_DEPARTMENT' && noDepartment++ > 0) continue;
      report.warnings.push({ ...w, column: undefined, message: w.code === 'NO_DEPARTMENT' ? `${item.path}: no department (nor --department); kept as "unknown"` : w.message });
    }
    records.push(out.record);
  }
  if (noDepartment > 1) report.warnings.push({ file: ctx.file, code: 'NO_DEPARTMENT', message: `${noDepartment} objects have no department; kept as "unknown"` });
  for (const key of unknownKeys) report.warnings.push({ file: ctx.file, code: 'IGNORED_KEY', message: `unknown key "${key}" ignored` });
  stats.records = records.length;
  return { report, sources: sourcesOf(records, declaredSources, items, ctx), records };
}

/** The long-row reader of an object's cells: a row of every field (FIELDS, in order). */
function objectReader(ctx: JsonContext, report: InputReport): { index: Partial<Record<string, number>>; read: ReturnType<typeof longRowReader> } {
  const index: Partial<Record<string, number>> = {};
  FIELDS.forEach((f, i) => { index[f] = i; });
  const readCtx: ReadContext = { sourceId: ctx.id, file: ctx.file, metadata: {}, aliases: ctx.aliases, year: ctx.year, department: ctx.department };
  const read = longRowReader({ index, mapping: {}, ignored: [] }, FIELDS.length, readCtx, (code, message) => {
    // Department and status default per record; a missing one is reported once per file.
    if (!report.warnings.some((w) => w.code === code)) report.warnings.push({ file: ctx.file, code, message });
  });
  return { index, read };
}

/** NDJSON: one object a line (blank lines skipped); keys given twice are warned of. */
function ndjsonItems(text: string, ctx: JsonContext, report: InputReport): { items: Item[]; declaredSources: unknown[] } {
  const items: Item[] = [];
  const duplicates: DuplicateKey[] = [];
  text.split('\n').forEach((lineText, i) => {
    if (lineText.trim() === '') return;
    items.push({ value: parseNdjsonLine(lineText.replace(/\r$/, ''), i + 1, duplicates), line: i + 1, path: `line ${i + 1}` });
  });
  for (const d of duplicates) report.warnings.push(duplicateKeyWarning(ctx.file, d));
  return { items, declaredSources: [] };
}

/** A JSON document: an array of objects, or the tool's records document (`records`, and its `sources`). */
function documentItems(text: string, ctx: JsonContext, report: InputReport): { items: Item[]; declaredSources: unknown[] } {
  const parsed = parseJsonText(text);
  for (const d of parsed.duplicateKeys) report.warnings.push(duplicateKeyWarning(ctx.file, d));
  const doc = parsed.value;
  let declaredSources: unknown[] = [];
  let list: unknown;
  let listPath: string;
  if (Array.isArray(doc)) {
    list = doc;
    listPath = '$';
  } else if (doc && typeof doc === 'object' && Array.isArray((doc as { records?: unknown }).records)) {
    list = (doc as { records: unknown[] }).records;
    listPath = '$.records';
    const s = (doc as { sources?: unknown }).sources;
    if (Array.isArray(s)) declaredSources = s;
    // Written with --lenient past rejected rows: what reads it back must not look complete.
    if ((doc as { complete?: unknown }).complete === false) {
      const n = Array.isArray((doc as { rejects?: unknown }).rejects) ? (doc as { rejects: unknown[] }).rejects.length : undefined;
      report.warnings.push({
        file: ctx.file, line: 1, code: 'INCOMPLETE_INPUT',
        message: `this records file says it is incomplete (complete: false${n === undefined ? '' : `, ${n} row${n === 1 ? '' : 's'} rejected`} when it was written)`,
      });
    }
  } else {
    throw new InputError('BAD_JSON_SHAPE', `expected an array of records, or an object with a "records" array, at $`, { line: 1, column: 1 }, 'an array of records or {"records": [...]}', Array.isArray(doc) ? 'array' : doc === null ? 'null' : typeof doc);
  }
  const lines = parsed.arrayElementLines.get(listPath) ?? [];
  return { items: (list as unknown[]).map((value, i) => ({ value, line: lines[i] ?? 1, path: `${listPath}[${i}]` })), declaredSources };
}

/**
 * An object as a long row: each known key's value in its field's cell (unknown keys are
 * collected); the reject when the item is no object or a value is no cell.
 */
function fieldsOf(item: Item, ctx: JsonContext, index: Partial<Record<string, number>>, unknownKeys: Set<string>): string[] | Diagnostic {
  const v = item.value;
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    return { file: ctx.file, line: item.line, code: 'BAD_JSON_SHAPE', message: `${item.path}: expected an object`, expected: 'an object', got: JSON.stringify(v)?.slice(0, 40) ?? 'undefined' };
  }
  const fields = FIELDS.map(() => '');
  for (const [key, value] of Object.entries(v)) {
    const f = fieldOf(key, ctx.aliases) ?? fieldOf(aliasKey(key), ctx.aliases);
    if (!f) {
      if (!DERIVED.has(key)) unknownKeys.add(key);
      continue;
    }
    try {
      fields[index[f]!] = cellText(value, `${item.path}.${key}`, item.line);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      return { file: ctx.file, line: item.line, code: err.code, message: err.message, expected: err.expected, got: err.got };
    }
  }
  return fields;
}

/** One source per source_id: metadata and vintage from a declared `sources` list when present. */
function sourcesOf(records: AssetRecord[], declared: unknown[], items: Item[], ctx: JsonContext): Source[] {
  const ids = [...new Set(records.map((r) => r.provenance.source_id))];
  if (ids.length === 0) ids.push(ctx.id);
  return ids.map((id) => {
    const d = declared.find((s) => (s as { id?: unknown })?.id === id) as Partial<Source> | undefined;
    const vintageText = items.map((i) => i.value as Record<string, unknown>).find((o) => o && o.source_id === id && typeof o.vintage === 'string')?.vintage as string | undefined;
    const metadata: Record<string, string> = d?.metadata && typeof d.metadata === 'object' ? Object.fromEntries(Object.entries(d.metadata).map(([a, b]) => [a, String(b)])) : {};
    // A records file without its sources list still names each record's UIN and answer date.
    const first = items.map((i) => i.value as Record<string, unknown>).find((o) => o && o.source_id === id);
    for (const key of ['uin', 'answered'] as const) if (metadata[key] === undefined && typeof first?.[key] === 'string' && first[key]) metadata[key] = first[key] as string;
    const vintage = d?.vintage ?? (vintageText && parseIsoDay(vintageText) !== undefined
      ? { date: vintageText, basis: 'reported' as const, position: ctx.position }
      : { date: null, basis: 'position' as const, position: ctx.position });
    return { id, file: d?.file ?? ctx.file, layout: d?.layout ?? 'long', encoding: d?.encoding ?? 'utf-8', metadata, vintage };
  });
}
