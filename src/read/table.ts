// What every table reader shares (the input row, the read context, row accounting, the result of
// a table, a record made from a cell), and the long (tidy) layout: one record per row, streamed.
// Answer tables are read by the pipeline in src/read/. Pure: rows with positions in, results out.
import type { AssetRecord, Count, Period, Series } from '../model/model.js';
import type { AliasTables, Resolved } from '../engine/aliases.js';
import { resolveCategory, resolveDepartment, resolveHeader, resolveStatus, splitNote } from '../engine/aliases.js';
import { parseCount } from '../engine/count.js';
import type { Diagnostic, DiagnosticCode } from '../model/diagnostics.js';
import type { RowStats, TotalCheck } from '../model/dataset.js';

export type { RowStats, TotalCheck } from '../model/dataset.js';
import { type LabelContext, parsePeriodLabel, splitMarkers } from '../engine/period.js';
import { dayOf, parseIsoDay } from '../engine/dates.js';
import { unescapeTsv, unneutralise } from '../model/record-row.js';

/** A row as the tokenizer gives it: fields with the 1-based line and column each starts at. */
export interface InputRow {
  fields: string[];
  line: number;
  columns: number[];
  /** The line each field starts on, when a quoted line break puts one below `line`. */
  lines?: number[];
  /** An empty line: one empty, unquoted field. */
  blank: boolean;
}

export interface ReadContext {
  sourceId: string;
  file: string;
  metadata: Record<string, string>;
  aliases: AliasTables;
  /** --year: overrides `# year:`. */
  year?: number;
  /** --department: used when neither a column nor metadata names one. */
  department?: string;
  /** Line of each `#` metadata key, so a bad metadata value can be positioned. */
  metadataLines?: Record<string, number>;
  /** The line of the header (--header-row, or the input's own `header-row`). */
  headerRow?: number;
}

export interface TableResult {
  layout: 'wide' | 'transposed' | 'long' | 'text';
  records: AssetRecord[];
  rejects: Diagnostic[];
  warnings: Diagnostic[];
  notes: Diagnostic[];
  totalChecks: TotalCheck[];
  stats: RowStats;
  headerMapping: Record<string, string>;
  /** The table cannot be read at all (no header, no period, nothing but costs): the reason. */
  fatal?: Diagnostic;
}

export function emptyStats(): RowStats {
  return { rows_read: 0, rows_accepted: 0, rows_rejected: 0, rows_skipped: 0, skipped_blank: 0, skipped_notes: 0, skipped_total: 0, skipped_title: 0, skipped_not_counts: 0, records: 0 };
}

/** Series values that do not depend on the row or column. */
export interface SeriesDefaults {
  department: string;
  status: string;
  unit: string | null;
  category?: string;
}

/**
 * `departmentColumn`: the rows name their own department (long layout), so a missing default is
 * not worth a file-level warning; an empty cell is warned about on its row instead.
 */
export function seriesDefaults(ctx: ReadContext, warn: (code: DiagnosticCode, message: string) => void, { departmentColumn = false } = {}): SeriesDefaults {
  const deptText = ctx.metadata.department ?? ctx.department;
  let department = 'unknown';
  if (deptText) {
    const d = resolveDepartment(ctx.aliases, deptText);
    department = d.value;
    if (!d.known) warn('UNKNOWN_DEPARTMENT', `department "${d.value}" is not in the alias table; kept as written`);
  } else if (!departmentColumn) {
    warn('NO_DEPARTMENT', 'no department: add "# department:" metadata, a department column or --department');
  }
  let status = 'lost-or-stolen';
  if (ctx.metadata.status) {
    const s = resolveStatus(ctx.aliases, ctx.metadata.status);
    status = s.value;
    if (!s.known) warn('UNKNOWN_STATUS', `status "${ctx.metadata.status}" is not in the alias table; kept as "${s.value}"`);
  }
  const unit = ctx.metadata.unit ? splitNote(ctx.metadata.unit).text : null;
  const category = ctx.metadata.category ? resolveCategory(ctx.aliases, ctx.metadata.category).value : undefined;
  return { department, status, unit, category };
}

function yearFrom(ctx: ReadContext): number | undefined {
  if (ctx.year !== undefined) return ctx.year;
  const y = ctx.metadata.year;
  return y && /^\d{4}$/.test(y.trim()) ? Number(y.trim()) : undefined;
}

interface Where { line: number; column: number; raw: string; rowLabel: string; columnLabel: string }

export function makeRecord(ctx: ReadContext, defaults: SeriesDefaults, series: Partial<Series>, period: Period, count: Count, where: Where): AssetRecord {
  return {
    series: {
      department: series.department ?? defaults.department,
      category: series.category ?? defaults.category ?? 'other',
      status: series.status ?? defaults.status,
      unit: series.unit ?? defaults.unit,
      ...(series.item ? { item: series.item } : {}),
    },
    period,
    count,
    provenance: {
      source_id: ctx.sourceId,
      file: ctx.file,
      line: where.line,
      column: where.column,
      raw: where.raw,
      row_label: where.rowLabel,
      column_label: where.columnLabel,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Long (tidy) layout: one record per row, streamed.

export const LONG_FIELDS = ['period', 'month', 'year', 'financial_year', 'date', 'start', 'end', 'category', 'count', 'department', 'status', 'unit'] as const;
/** The tool's own record columns (records --format csv/json), read back for the round trip. */
export const OWN_FIELDS = [
  'source_id', 'period_kind', 'count_min', 'count_max', 'count_kind', 'flags', 'file', 'line', 'column', 'row_label', 'column_label', 'raw', 'vintage',
  'item', 'period_approximate', 'period_from', 'uin', 'answered',
] as const;

export interface LongHeader {
  index: Partial<Record<string, number>>;
  mapping: Record<string, string>;
  ignored: string[];
  /** From `# period:` metadata: the period of rows whose own period cells are empty. */
  fixedPeriod?: Period;
  /** The tool's own records CSV/TSV: text cells carry the formula guard (`'=…`), removed on reading. */
  guarded?: boolean;
  /** ...and, in TSV, the writer's backslash escapes (set by the loader, which knows the format). */
  tsvEscapes?: boolean;
}

/** Maps a long file's header through the alias table; problems are returned, not thrown. */
export function mapLongHeader(header: InputRow, ctx: ReadContext): { header?: LongHeader; problems: Diagnostic[]; ignored: string[] } {
  const index: Partial<Record<string, number>> = {};
  const mapping: Record<string, string> = {};
  const problems: Diagnostic[] = [];
  const ignored: string[] = [];
  header.fields.forEach((raw, i) => {
    const name = raw.trim();
    const own = (OWN_FIELDS as readonly string[]).includes(name) ? name : undefined;
    const field = own ?? resolveHeader(ctx.aliases, name);
    if (!field) { ignored.push(name); return; }
    const twin = index[field];
    if (twin !== undefined) {
      problems.push({ file: ctx.file, line: header.line, column: header.columns[i], code: 'DUPLICATE_HEADER', message: `duplicate column: "${header.fields[twin]}" (column ${twin + 1}) and "${name}" (column ${i + 1}) both mean ${field}`, got: name });
      return;
    }
    index[field] = i;
    mapping[name] = field;
  });
  // `# period:` metadata stands in for a period column (a table "in the last 12 months").
  const hasPeriod = ['period', 'month', 'year', 'financial_year', 'date'].some((f) => index[f] !== undefined) || (index.start !== undefined && index.end !== undefined)
    || ctx.metadata.period !== undefined;
  const missing = [hasPeriod ? '' : 'period (or month, year, financial_year, date, start+end)', index.category === undefined ? 'category' : '', index.count === undefined && index.count_kind === undefined ? 'count' : ''].filter(Boolean);
  if (missing.length) {
    problems.push({
      file: ctx.file, line: header.line, column: 1, code: 'MISSING_COLUMN',
      message: `missing required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
      expected: 'period, category, count [, department, status, unit]', got: header.fields.join(','),
    });
  }
  let fixedPeriod: Period | undefined;
  if (ctx.metadata.period !== undefined && problems.length === 0) {
    const p = parsePeriodLabel(ctx.metadata.period, { year: yearFrom(ctx) });
    if (p.ok) fixedPeriod = p.period;
    else {
      problems.push({
        file: ctx.file, line: ctx.metadataLines?.period ?? header.line, column: 1, code: 'BAD_METADATA_PERIOD', message: `metadata period: ${p.reason}`,
        expected: 'a period such as "2024-01-01..2024-12-31" or "2023-24"', got: ctx.metadata.period,
      });
    }
  }
  const guarded = index.source_id !== undefined && index.count_kind !== undefined;
  return { header: problems.length ? undefined : { index, mapping, ignored, fixedPeriod, guarded }, problems, ignored };
}

/**
 * True when a header looks like a long layout (it names a category and a count column). A table
 * with `# period:` metadata and no period column is an answer table with a fixed period (design
 * §3: rows are asset types, the period is the question's), read with its Total row checked.
 */
export function looksLong(header: InputRow, ctx: ReadContext): boolean {
  const fields = header.fields.map((f) => resolveHeader(ctx.aliases, f.trim()) ?? f.trim());
  const long = fields.includes('category') && (fields.includes('count') || fields.includes('count_kind'));
  if (!long) return false;
  const hasPeriod = ['period', 'month', 'year', 'financial_year', 'date'].some((f) => fields.includes(f)) || (fields.includes('start') && fields.includes('end'));
  // Without a period column, a header of long columns only is a long file missing one; any other
  // ("Type, Number, Replacement Cost") is an answer table whose period is in its caption, its words or "# period:".
  const allLong = ctx.metadata.period === undefined && header.fields.every((f) => (LONG_FIELDS as readonly string[]).includes(resolveHeader(ctx.aliases, f.trim()) ?? ''));
  return hasPeriod || fields.includes('source_id') || allLong;
}

/**
 * The same series and period twice in one input is an error citing both lines (bad-inputs 39).
 * The key includes the source id: the tool's own records files hold several answers whose months
 * overlap (July 2024 in the December 2024 and March 2025 answers), and those are not duplicates.
 */
export function duplicateChecker(file: string): (record: AssetRecord, line: number, column: number, got: string | (() => string)) => Diagnostic | undefined {
  // Keyed by integers: a series (by its content, looked up once per series object) and a source
  // get a small map from the period's id (one per first and last day) to the line that gave it first.
  const periodKey = periodKeyer();
  const bySeries = new Map<string, FirstLines>();
  const ofSeries = new WeakMap<Series, { key: string; source: string; seen: FirstLines }>();
  let lastSeries: Series | undefined;
  let last: { key: string; source: string; seen: FirstLines } | undefined;
  return (r, line, column, got) => {
    const s = r.series;
    const source = r.provenance.source_id;
    // A file's rows come in runs of one series: the last row's entry first.
    let entry = s === lastSeries && last!.source === source ? last : ofSeries.get(s);
    if (entry === undefined || entry.source !== source) {
      const key = [source, s.department, s.category, s.status, s.unit ?? '', s.item ?? ''].join('\u0000');
      let seen = bySeries.get(key);
      if (!seen) bySeries.set(key, (seen = new FirstLines()));
      entry = { key, source, seen };
      ofSeries.set(s, entry);
    }
    lastSeries = s;
    last = entry;
    const first = entry.seen.firstOr(periodKey(r.period), line);
    if (first === undefined) return undefined;
    return {
      file, line, column, code: 'DUPLICATE_ROW',
      message: `duplicate of line ${first}: ${s.category} (${s.department}, ${s.status}) for ${r.period.start}..${r.period.end} appears twice`,
      expected: 'each series and period once', got: typeof got === 'string' ? got : got(),
    };
  };
}

/**
 * The line that first gave each period (by its id) of one series and source. In an array, off
 * V8's heap, while the ids stay within a few times the series' figures (a series of a million-row
 * file has a figure for most of its periods: a map of them was a million entries for the
 * collector to copy); in a map for the ids beyond.
 */
class FirstLines {
  /** Line + 1 by period id; 0: not seen. */
  private dense = new Int32Array(16);
  private sparse: Map<number, number> | undefined;
  private figures = 0;

  /** The line that gave `period` first; undefined when none did, and `line` is kept as its. */
  firstOr(period: number, line: number): number | undefined {
    this.figures++;
    if (period >= this.dense.length && period < 4 * this.figures + 64) {
      const grown = new Int32Array(Math.max(period + 1, 2 * this.dense.length));
      grown.set(this.dense);
      this.dense = grown;
      // The ids kept in the map that the array now covers move into it: an id is in one of them.
      if (this.sparse) {
        for (const [id, first] of this.sparse) {
          if (id < grown.length) {
            grown[id] = first + 1;
            this.sparse.delete(id);
          }
        }
      }
    }
    if (period < this.dense.length) {
      const first = this.dense[period]!;
      if (first === 0) this.dense[period] = line + 1;
      return first === 0 ? undefined : first - 1;
    }
    const first = (this.sparse ??= new Map()).get(period);
    if (first === undefined) this.sparse.set(period, line);
    return first;
  }
}

/**
 * A small integer (a cheap map key) for a period's first and last day: the same for any two
 * periods of the same days. One per checker, so that the ids go with it.
 */
function periodKeyer(): (p: Period) => number {
  const ofPeriod = new WeakMap<Period, number>();
  const ids = new Map<number, number>();
  return (p) => {
    let k = ofPeriod.get(p);
    if (k === undefined) {
      // Both days as one number (exact for days within ±2 million of 1970), then its id.
      const days = (dayOf(p.start) + 2_000_000) * 4_000_001 + (dayOf(p.end) + 2_000_000);
      k = ids.get(days);
      if (k === undefined) ids.set(days, (k = ids.size));
      ofPeriod.set(p, k);
    }
    return k;
  };
}

/**
 * Remembers a pure function's results by text, up to a bound (beyond it, computes each time).
 * The last text first: a column's text often repeats row after row (a department's rows).
 */
function memo<R>(f: (text: string) => R, limit = 50_000): (text: string) => R {
  const cache = new Map<string, R>();
  let lastText: string | undefined;
  let last: R | undefined;
  return (text) => {
    if (text === lastText) return last!;
    let r = cache.get(text);
    if (r === undefined) {
      r = f(text);
      if (cache.size < limit) cache.set(text, r);
    }
    lastText = text;
    last = r;
    return r;
  };
}

export type RowOutcome =
  | { kind: 'record'; record: AssetRecord; warnings: readonly Diagnostic[] }
  | { kind: 'reject'; reject: Diagnostic }
  | { kind: 'skip'; reason: 'blank' }
  | { kind: 'skip'; reason: 'total'; warning: Diagnostic };

/** A category that is a total of the others: "Total", "Totals", "Grand total", "Total devices". */
const TOTAL_CATEGORY_RE = /^(grand\s+)?totals?\b/i;

/** Builds the per-row reader of a long file: cheap per row, no table held in memory. */
export function longRowReader(header: LongHeader, width: number, ctx: ReadContext, sourceWarn: (code: DiagnosticCode, message: string) => void): (row: InputRow) => RowOutcome {
  const reader = new LongRowReader(header, width, ctx, sourceWarn);
  return (row) => reader.read(row);
}

type Reject = Extract<RowOutcome, { kind: 'reject' }>;
const isReject = (x: object): x is Reject => 'reject' in x;

/**
 * The columns a long file's row is read from, a number each: a row's cells are found by index
 * (one typed-array read), not by name.
 */
const CELL = { start: 0, end: 1, year: 2, period: 3, month: 4, date: 5, financial_year: 6, category: 7, count_kind: 8, count: 9, count_min: 10, count_max: 11, flags: 12, period_approximate: 13, department: 14, status: 15, unit: 16, item: 17, line: 18, file: 19, column: 20, source_id: 21, period_from: 22, period_kind: 23 } as const;

/** The period-like columns, in the order they are read, with what each says its labels are. */
const PERIOD_FIELDS = [['period', undefined], ['month', 'month'], ['date', 'day'], ['financial_year', 'financial-year'], ['year', 'year']] as const;

/** The warnings of a row that has none: shared, never added to. */
const NO_WARNINGS: readonly Diagnostic[] = Object.freeze([]);

/**
 * A long file's rows to records. A long file repeats a few labels, departments and periods on
 * every row: each is read once (the readers are pure), and every record of one series shares one
 * series object.
 */
class LongRowReader {
  private readonly ix: LongHeader['index'];
  private readonly defaults: SeriesDefaults;
  private readonly year: number | undefined;
  private readonly department: (text: string) => ReturnType<typeof resolveDepartment>;
  private readonly statusOf: (text: string) => ReturnType<typeof resolveStatus>;
  /** A count cell's text, shared by every record that keeps it, and the count it reads as: one lookup a row. */
  private readonly countCellOf = memo((t) => ({ text: t, parsed: parseCount(t) }));
  /** The same for the whole numbers 0 to 9999 as written plainly ("7", "120"), by their value. */
  private readonly plainCounts = new Array<{ text: string; parsed: ReturnType<typeof parseCount> } | undefined>(10_000);
  private readonly periodReaders = new Map<string, Map<number | undefined, (text: string) => ReturnType<typeof parsePeriodLabel>>>();
  private readonly approximateOf = new WeakMap<Period, Period>();
  /** The period-like columns this header has. */
  private readonly periodFields: { field: (typeof PERIOD_FIELDS)[number][0]; hint: (typeof PERIOD_FIELDS)[number][1]; at: number }[];
  /** Each CELL's column in the header, -1 when it has none. */
  private readonly cols: Int32Array;
  // Nested maps on the resolved names (the same string objects row after row: cheap to look up).
  private readonly seriesObjects = new Map<string, Map<string, Map<string, Map<string | null, Map<string, Series>>>>>();
  private seriesCount = 0;
  /** The last row's series: the next row's, most often. */
  private lastSeries: Series | undefined;
  /**
   * A category label's text, shared by every record that keeps it; whether it is a total's
   * ("Total", "Grand total[a]"); and the category it names: once per label, one lookup a row.
   */
  private readonly label: (text: string) => { text: string; total: boolean; category: Resolved };
  /** The period reader of the last row's field and year (most files have one of each). */
  private lastPeriodReader: { field: string; year: number | undefined; read: (text: string) => ReturnType<typeof parsePeriodLabel> } | undefined;
  private readonly warnings: Diagnostic[] = [];

  constructor(private readonly header: LongHeader, private readonly width: number, private readonly ctx: ReadContext, sourceWarn: (code: DiagnosticCode, message: string) => void) {
    this.ix = header.index;
    this.defaults = seriesDefaults(ctx, sourceWarn, { departmentColumn: this.ix.department !== undefined });
    this.year = yearFrom(ctx);
    this.label = memo((t) => ({ text: t, total: TOTAL_CATEGORY_RE.test(splitMarkers(t).text), category: resolveCategory(ctx.aliases, t) }));
    this.department = memo((t) => resolveDepartment(ctx.aliases, t));
    this.statusOf = memo((t) => resolveStatus(ctx.aliases, t));
    this.periodFields = PERIOD_FIELDS.filter(([f]) => this.ix[f] !== undefined).map(([field, hint]) => ({ field, hint, at: CELL[field] }));
    this.cols = Int32Array.from(Object.keys(CELL), (f) => this.ix[f] ?? -1);
  }

  read(input: InputRow): RowOutcome {
    if (input.blank) return { kind: 'skip', reason: 'blank' };
    const { ctx, header, ix } = this;
    const row = !header.guarded ? input
      : { ...input, fields: input.fields.map((f) => unneutralise(header.tsvEscapes ? unescapeTsv(f) : f)) };
    if (row.fields.length !== this.width) {
      return { kind: 'reject', reject: { file: ctx.file, line: row.line, column: row.columns[row.fields.length - 1] ?? 1, code: 'REJECTED_ROW', message: `expected ${this.width} fields, found ${row.fields.length}`, expected: `${this.width} fields as in the header`, got: row.fields.join(',') } };
    }
    // One list for every row's warnings, copied out only when a row has some (most have none).
    const warnings = this.warnings;
    if (warnings.length) warnings.length = 0;
    let period = this.periodOfRow(row, warnings);
    if (isReject(period)) return period;
    const catText = this.cell(row, CELL.category) ?? '';
    if (!catText) return this.reject(row, 'category', 'empty category', '', 'an asset type');
    // A "Total" category is the sum of the other rows, never data to add to them (§3).
    const label = this.label(catText);
    if (label.total) {
      return { kind: 'skip', reason: 'total', warning: { file: ctx.file, ...this.pos(row, 'category'), code: 'TOTAL_ROW_SKIPPED', message: `category "${catText}" is a total of other rows, not a category: skipped (not added, not checked)` } };
    }
    const cat = label.category;
    if (!cat.known) warnings.push({ file: ctx.file, ...this.pos(row, 'category'), code: 'UNKNOWN_CATEGORY', message: `category "${catText}" is not known; kept as "${cat.value}"` });
    const raw = ix.count !== undefined ? row.fields[ix.count] ?? '' : '';
    const rawCell = this.countCell(raw);
    const count = this.countOfRow(row, rawCell.parsed, warnings);
    if (isReject(count)) return count;
    const series = this.seriesOfRow(row, cat.value, warnings);
    if (this.cell(row, CELL.period_approximate) === 'true') {
      const p: Period = period;
      let a = this.approximateOf.get(p);
      if (!a) this.approximateOf.set(p, (a = { ...p, approximate: true }));
      period = a;
    }
    const at = ix.count ?? 0;
    const record: AssetRecord = {
      series,
      period,
      count,
      provenance: { source_id: ctx.sourceId, file: ctx.file, line: row.lines?.[at] ?? row.line, column: row.columns[at] ?? 1, raw: rawCell.text, row_label: period.label, column_label: label.text },
    };
    this.ownProvenance(row, record, raw, catText);
    return { kind: 'record', record, warnings: warnings.length ? [...warnings] : NO_WARNINGS };
  }

  /** A count cell's text and its count: a plain number of up to four digits by its value, no hashing. */
  private countCell(t: string): { text: string; parsed: ReturnType<typeof parseCount> } {
    const n = t.length;
    if (n === 0 || n > 4 || (n > 1 && t.charCodeAt(0) === 48)) return this.countCellOf(t);
    let v = 0;
    for (let i = 0; i < n; i++) {
      const c = t.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return this.countCellOf(t);
      v = v * 10 + c;
    }
    return (this.plainCounts[v] ??= { text: t, parsed: parseCount(t) });
  }

  /** A cell's text, trimmed (undefined when the header has no such column). */
  private cell(row: InputRow, f: number): string | undefined {
    const i = this.cols[f]!;
    if (i < 0) return undefined;
    const v = row.fields[i] ?? '';
    // Printable ASCII at both ends is never white space: most cells need no trim.
    const a = v.charCodeAt(0);
    const z = v.charCodeAt(v.length - 1);
    return a > 32 && a < 127 && z > 32 && z < 127 ? v : v.trim();
  }

  /** Where a field starts: its own line (below the row's first after a quoted line break) and column. */
  private pos(row: InputRow, f: string): { line: number; column: number } {
    return { line: row.lines?.[this.ix[f] ?? 0] ?? row.line, column: row.columns[this.ix[f] ?? 0] ?? 1 };
  }

  private reject(row: InputRow, field: string, message: string, got?: string, expected?: string): Reject {
    return { kind: 'reject', reject: { file: this.ctx.file, ...this.pos(row, field), code: 'REJECTED_ROW', message, expected, got } };
  }

  /** Period: explicit start/end, else the first period-like column, cross-checked with an FY column. */
  private periodOfRow(row: InputRow, warnings: Diagnostic[]): Period | Reject {
    const start = this.cell(row, CELL.start);
    const end = this.cell(row, CELL.end);
    if (start && end) return this.periodOfRange(row, start, end);
    // Tidy files often split the month and the year ("year,month,…": 2024,January): the row's
    // own year is the year of its month label, before "# year:" or --year.
    const yearCell = this.cell(row, CELL.year);
    const rowYear = yearCell && /^\d{4}$/.test(yearCell) ? Number(yearCell) : this.year;
    let period: Period | undefined;
    // Indexed: a for…of here made an iterator and a pair for every row of million-row files.
    const fields = this.periodFields;
    for (let k = 0; k < fields.length; k++) {
      const { field, hint, at } = fields[k]!;
      const text = this.cell(row, at);
      if (text === undefined || text === '') continue;
      const p = this.periodOf(field, text, rowYear, hint === 'year' ? undefined : hint);
      if (!p.ok) return this.reject(row, field, p.reason, text, 'a period label such as "2024-01", "January 2024" or "2023-24"');
      if (p.warning) warnings.push({ file: this.ctx.file, ...this.pos(row, field), code: 'GLUED_FOOTNOTE', message: p.warning });
      // A date column holds days: "45292" is an Excel serial date, not the year 4529 (bad-inputs 34).
      if (field === 'date' && p.period.kind !== 'day') {
        const serial = /^\d{5}(\.\d+)?$/.test(text) ? ' (an Excel serial date? format the column as dates before saving)' : '';
        return this.reject(row, field, `a date column needs a day, not ${p.period.kind === 'custom' ? 'a range' : `a ${p.period.kind}`}${serial}`, text, 'dd/mm/yyyy or YYYY-MM-DD');
      }
      if (!period) {
        period = p.period;
      } else if (p.period.start > period.start || p.period.end < period.end) {
        return this.reject(row, field, `period inconsistent: ${period.label} (${period.start}..${period.end}) is not inside ${field} ${text}`, text);
      }
    }
    period ??= this.header.fixedPeriod;
    return period ?? this.reject(row, 'period', 'no period in this row', '', 'a period');
  }

  private periodOfRange(row: InputRow, start: string, end: string): Period | Reject {
    const a = parseIsoDay(start);
    const b = parseIsoDay(end);
    if (a === undefined) return this.reject(row, 'start', `start is not a real YYYY-MM-DD date`, start, 'YYYY-MM-DD');
    if (b === undefined) return this.reject(row, 'end', `end is not a real YYYY-MM-DD date`, end, 'YYYY-MM-DD');
    if (b < a) return this.reject(row, 'end', 'end is before start', end);
    const label = this.cell(row, CELL.period) || `${start}..${end}`;
    const p = parsePeriodLabel(`${start}..${end}`);
    if (!p.ok) return this.reject(row, 'start', p.reason, start);
    const kind = this.cell(row, CELL.period_kind);
    return { ...p.period, label, kind: (kind as Period['kind']) || p.period.kind };
  }

  private periodOf(field: string, text: string, rowYear: number | undefined, hint: LabelContext['hint']): ReturnType<typeof parsePeriodLabel> {
    const last = this.lastPeriodReader;
    if (last !== undefined && last.field === field && last.year === rowYear) return last.read(text);
    // By field, then by the row's year (no key string built per row).
    let byYear = this.periodReaders.get(field);
    if (!byYear) this.periodReaders.set(field, (byYear = new Map()));
    let read = byYear.get(rowYear);
    if (!read) byYear.set(rowYear, (read = memo((t) => parsePeriodLabel(t, { year: rowYear, hint, financialYearContext: field === 'financial_year' }), 10_000)));
    this.lastPeriodReader = { field, year: rowYear, read };
    return read(text);
  }

  /** The count: the tool's own count columns, or the count cell as an answer writes it. */
  private countOfRow(row: InputRow, c: ReturnType<typeof parseCount>, warnings: Diagnostic[]): Count | Reject {
    const kind = this.cell(row, CELL.count_kind);
    if (kind) {
      const own = readOwnCount(kind, this.cell(row, CELL.count) ?? '', this.cell(row, CELL.count_min) ?? '', this.cell(row, CELL.count_max) ?? '', this.cell(row, CELL.flags) ?? '');
      return typeof own === 'string' ? this.reject(row, 'count_kind', own, kind) : own;
    }
    if (!c.ok) return this.reject(row, 'count', c.reason, row.fields[this.ix.count!] ?? '', c.expected);
    for (let i = 0; i < c.warnings.length; i++) warnings.push({ file: this.ctx.file, ...this.pos(row, 'count'), code: 'COUNT_WARNING', message: c.warnings[i]! });
    return c.count;
  }

  private seriesOfRow(row: InputRow, category: string, warnings: Diagnostic[]): Series {
    const { ctx, defaults } = this;
    let department = defaults.department;
    let status = defaults.status;
    const dept = this.cell(row, CELL.department);
    if (dept) {
      const d = this.department(dept);
      department = d.value;
      if (!d.known) warnings.push({ file: ctx.file, ...this.pos(row, 'department'), code: 'UNKNOWN_DEPARTMENT', message: `department "${dept}" is not in the alias table; kept as written` });
    } else if (this.ix.department !== undefined && this.defaults.department === 'unknown') {
      warnings.push({ file: ctx.file, ...this.pos(row, 'department'), code: 'NO_DEPARTMENT', message: 'empty department (no "# department:" metadata or --department to fall back on); kept as "unknown"' });
    }
    const statusText = this.cell(row, CELL.status);
    if (statusText) {
      const st = this.statusOf(statusText);
      status = st.value;
      if (!st.known) warnings.push({ file: ctx.file, ...this.pos(row, 'status'), code: 'UNKNOWN_STATUS', message: `status "${statusText}" is not in the alias table; kept as "${st.value}"` });
    }
    return this.sharedSeries(department, category, status, this.cell(row, CELL.unit) || defaults.unit, this.cell(row, CELL.item) || '');
  }

  /** The series object of these names: the same object for every row of them. `item` '': none. */
  private sharedSeries(dept: string, cat: string, status: string, unit: string | null, item: string): Series {
    const last = this.lastSeries;
    if (last !== undefined && last.department === dept && last.category === cat && last.status === status && last.unit === unit && (last.item ?? '') === item) return last;
    const byItem = level(level(level(level(this.seriesObjects, dept, () => new Map()), cat, () => new Map()), status, () => new Map()), unit, () => new Map<string, Series>());
    let series = byItem.get(item);
    if (!series) {
      series = { department: dept, category: cat, status, unit, ...(item ? { item } : {}) };
      if (this.seriesCount++ < 100_000) byItem.set(item, series);
    }
    this.lastSeries = series;
    return series;
  }

  /** The tool's own columns carry the original provenance through a round trip. */
  private ownProvenance(row: InputRow, record: AssetRecord, raw: string, catText: string): void {
    const ownLine = this.cell(row, CELL.line);
    if (!this.cell(row, CELL.file) || !ownLine || !/^\d+$/.test(ownLine)) return;
    const { ix } = this;
    const ownColumn = this.cell(row, CELL.column) ?? '';
    record.provenance = {
      source_id: this.cell(row, CELL.source_id) || this.ctx.sourceId,
      file: this.cell(row, CELL.file)!,
      line: Number(ownLine),
      column: /^\d+$/.test(ownColumn) ? Number(ownColumn) : 0,
      raw: row.fields[ix.raw ?? -1] ?? raw,
      row_label: row.fields[ix.row_label ?? -1] ?? record.period.label,
      column_label: row.fields[ix.column_label ?? -1] ?? catText,
    };
    const from = this.cell(row, CELL.period_from);
    if (from) record.provenance.period_from = from;
  }
}

function level<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
}

function readOwnCount(kind: string, value: string, min: string, max: string, flagText: string): Count | string {
  const flags = flagText ? flagText.split(';').map((f) => f.trim()).filter(Boolean) : [];
  const int = (t: string) => (/^\d+$/.test(t) ? Number(t) : undefined);
  if (kind === 'exact') {
    const v = int(value);
    return v === undefined ? `count_kind exact needs a whole number in count, got "${value}"` : { kind: 'exact', value: v, flags };
  }
  if (kind === 'suppressed') {
    const lo = int(min);
    if (lo === undefined) return `count_kind suppressed needs count_min, got "${min}"`;
    const hi = max === '' ? null : int(max);
    if (hi === undefined) return `count_max must be a whole number or empty, got "${max}"`;
    return { kind: 'suppressed', min: lo, max: hi, flags };
  }
  if (kind === 'missing') return { kind: 'missing', flags };
  return `count_kind must be exact, suppressed or missing, got "${kind}"`;
}
