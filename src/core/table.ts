// Answer tables to records: which axis holds periods (wide or transposed), which columns are
// series, Total rows and columns checked but never summed, notes rows skipped and counted, every
// rejected row kept with its position and reason. Pure: rows with positions in, results out.
import type { AssetRecord, Count, Period, Series } from '../schema/model.js';
import type { AliasTables } from './aliases.js';
import { resolveCategory, resolveDepartment, resolveHeader, resolveStatus, splitNote } from './aliases.js';
import { countBounds, parseCount } from './count.js';
import type { Diagnostic } from './diagnostics.js';
import { type LabelContext, normaliseLabel, parsePeriodLabel, splitMarkers } from './period.js';
import { parseIsoDay } from './dates.js';
import { unescapeTsv, unneutralise } from './record-row.js';

/** A row as the tokenizer gives it: fields with the line and column each starts at. */
export interface InputRow {
  fields: string[];
  line: number;
  columns: number[];
  /** The line each field starts on, when a quoted line break puts one below `line`. */
  lines?: number[];
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
}

export interface RowStats {
  rows_read: number;
  rows_accepted: number;
  rows_rejected: number;
  rows_skipped: number;
  skipped_blank: number;
  skipped_notes: number;
  skipped_total: number;
  skipped_title: number;
  records: number;
}

export interface TotalCheck {
  file: string;
  line: number;
  column: number;
  /** The series (wide) or period (transposed) the Total covers. */
  label: string;
  stated: string;
  sum_min: number | null;
  sum_max: number | null;
  status: 'match' | 'mismatch' | 'unchecked';
  reason?: string;
}

export interface TableResult {
  layout: 'wide' | 'transposed' | 'long';
  records: AssetRecord[];
  rejects: Diagnostic[];
  warnings: Diagnostic[];
  notes: Diagnostic[];
  totalChecks: TotalCheck[];
  stats: RowStats;
  headerMapping: Record<string, string>;
}

export function emptyStats(): RowStats {
  return { rows_read: 0, rows_accepted: 0, rows_rejected: 0, rows_skipped: 0, skipped_blank: 0, skipped_notes: 0, skipped_total: 0, skipped_title: 0, records: 0 };
}

const TOTAL_RE = /^(grand\s+)?totals?\b/i;
/** Columns that are not counts of devices: costs, rates, notes. Ignored with a note. */
const IGNORED_RE = /(cost|£|\$|€|value|price|%|percent|rate|notes?\b|comments?|remarks|reference|\bref\b)/i;
const COUNT_HEADER_RE = /^(count|number|n|value|quantity|number (lost|stolen|lost or stolen|of (items|devices|assets)))$/i;
const NOTE_OPENING_RE = /^((notes?|sources?|footnotes?)\s*[:.\-–—]|(\(\d{1,2}\)|\d{1,2}[.)]|\[note \d+\]|[*†‡])\s)/i;
const NOTE_RE = /^(notes?|source|sources|\*|†|\(?\d+\)?[.:)]|footnote|figures|data|please|this|these|the )/i;

function isTotalLabel(label: string): boolean {
  return TOTAL_RE.test(splitMarkers(label).text.trim());
}

/** Series values that do not depend on the row or column. */
interface SeriesDefaults {
  department: string;
  status: string;
  unit: string | null;
  category?: string;
}

/**
 * `departmentColumn`: the rows name their own department (long layout), so a missing default is
 * not worth a file-level warning; an empty cell is warned about on its row instead.
 */
export function seriesDefaults(ctx: ReadContext, warn: (code: string, message: string) => void, { departmentColumn = false } = {}): SeriesDefaults {
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

type Axis = 'period' | 'series';

interface SeriesColumn {
  index: number;
  label: string;
  kind: 'series' | 'total' | 'ignored' | 'count';
  series?: Partial<Series>;
}

/** Reads a wide or transposed answer table (the whole table is small: answers are). */
export function readAnswerTable(header: InputRow, rows: InputRow[], ctx: ReadContext): TableResult {
  const result: TableResult = {
    layout: 'wide', records: [], rejects: [], warnings: [], notes: [], totalChecks: [], stats: emptyStats(), headerMapping: {},
  };
  const { file } = ctx;
  const warn = (code: string, message: string, line?: number, column?: number) => result.warnings.push({ file, line, column, code, message });
  const defaults = seriesDefaults(ctx, (code, message) => warn(code, message));
  const year = yearFrom(ctx);
  const fixedPeriodLabel = ctx.metadata.period;

  const width = header.fields.length;
  const headCells = header.fields.map((f) => f.trim());
  const labelCtx: LabelContext = { year };

  // Which axis holds periods: the header (transposed) or the first column (wide)?
  const headerPeriodCells = headCells.slice(1).filter((h) => h && !isTotalLabel(h));
  const headerPeriods = headerPeriodCells.filter((h) => parsePeriodLabel(h, labelCtx).ok).length;
  const firstColumn = rows.filter((r) => !r.blank && r.fields[0]?.trim()).map((r) => r.fields[0]!.trim()).filter((l) => !isTotalLabel(l));
  const rowPeriods = firstColumn.filter((l) => parsePeriodLabel(l, labelCtx).ok).length;
  let periodAxis: 'columns' | 'rows' | 'fixed';
  if (headerPeriodCells.length > 0 && headerPeriods === headerPeriodCells.length && headerPeriods >= rowPeriods) periodAxis = 'columns';
  else if (rowPeriods > 0 || !fixedPeriodLabel) periodAxis = 'rows';
  else periodAxis = 'fixed';
  result.layout = periodAxis === 'rows' ? 'wide' : 'transposed';

  // Financial-year context: if any label on the period axis is a financial year, "2023 to 2024" is one too.
  const axisLabels = periodAxis === 'columns' ? headerPeriodCells : firstColumn;
  if (axisLabels.some((l) => parsePeriodLabel(l, labelCtx).ok && (parsePeriodLabel(l, labelCtx) as { period: Period }).period.kind === 'financial-year')) {
    labelCtx.financialYearContext = true;
  }

  let fixedPeriod: Period | undefined;
  if (periodAxis === 'fixed') {
    const p = parsePeriodLabel(fixedPeriodLabel!, labelCtx);
    if (!p.ok) {
      result.rejects.push({ file, line: ctx.metadataLines?.period ?? 0, column: 1, code: 'BAD_METADATA_PERIOD', message: `metadata period: ${p.reason}`, expected: 'a period such as "2024-01-01..2024-12-31" or "2023-24"', got: fixedPeriodLabel });
      return result;
    }
    fixedPeriod = p.period;
  }

  // A header with one label and empty cells is a title row above the table ("Table 1: …,,").
  if (width > 1 && headCells[0] && headCells.slice(1).every((h) => h === '')) {
    result.rejects.push({
      file, line: header.line, column: 1, code: 'BAD_HEADER', message: 'the header row has only one label (is this a title row? use --header-row N)',
      expected: 'a header naming the columns', got: header.fields.join(','),
    });
    return result;
  }

  // Resolve the header: series columns (wide, fixed) or period columns (transposed).
  const columns: SeriesColumn[] = [];
  const seenSeries = new Map<string, SeriesColumn>();
  const headerProblem = (index: number, message: string, got: string, expected?: string) =>
    result.rejects.push({ file, line: header.line, column: header.columns[index] ?? 1, code: 'BAD_HEADER', message, expected, got });
  for (let i = 1; i < width; i++) {
    const label = headCells[i]!;
    if (!label) {
      const hasData = rows.some((r) => !r.blank && (r.fields[i] ?? '').trim() !== '');
      if (hasData) headerProblem(i, `column ${i + 1} has data but no header`, '', 'a header');
      columns.push({ index: i, label, kind: 'ignored' });
      continue;
    }
    if (isTotalLabel(label)) {
      columns.push({ index: i, label, kind: 'total' });
      continue;
    }
    if (periodAxis === 'columns') {
      columns.push({ index: i, label, kind: 'series' });
      continue;
    }
    // A fixed-period table ("in the last 12 months") has one count column, headed "Number" or
    // the like: a count, not a category called "number".
    if (periodAxis === 'fixed' && COUNT_HEADER_RE.test(splitMarkers(label).text.trim())) {
      columns.push({ index: i, label, kind: 'count' });
      continue;
    }
    const series = resolveSeriesLabel(label, ctx, defaults);
    if (!series) {
      columns.push({ index: i, label, kind: 'ignored' });
      result.notes.push({ file, line: header.line, column: header.columns[i], code: 'IGNORED_COLUMN', message: `column "${label}" is not a count of devices; ignored` });
      continue;
    }
    if (!series.known) warn('UNKNOWN_CATEGORY', `column "${label}" is not a known category; kept as "${series.series.category}"`, header.line, header.columns[i]);
    result.headerMapping[label] = series.series.category ?? series.series.status ?? label;
    const key = `${series.series.category}|${series.series.status}`;
    const twin = seenSeries.get(key);
    if (twin) {
      headerProblem(i, `duplicate column: "${twin.label}" (column ${twin.index + 1}) and "${label}" (column ${i + 1}) are the same series`, label, 'each series once');
    }
    const col: SeriesColumn = { index: i, label, kind: 'series', series: series.series };
    seenSeries.set(key, col);
    columns.push(col);
  }
  if (result.rejects.length > 0) return result;

  // The notes block: from the end, rows whose only content is one text cell that is not a label.
  let notesFrom = rows.length;
  for (let k = rows.length - 1; k >= 0; k--) {
    const r = rows[k]!;
    if (r.blank) { notesFrom = k; continue; }
    const filled = r.fields.filter((f) => f.trim() !== '');
    const first = r.fields[0]?.trim() ?? '';
    const readable = periodAxis === 'rows' ? parsePeriodLabel(first, labelCtx).ok || isTotalLabel(first) : isTotalLabel(first) || resolveSeriesLabel(first, ctx, defaults)?.known === true;
    if (filled.length === 1 && first !== '' && (!readable || NOTE_RE.test(first))) { notesFrom = k; continue; }
    // A note with an unquoted comma spills into more cells ("Source: MoD, 2024"): still a note
    // when it opens like one ("Note:", "Source:", "(1) ", "* ") and is no label.
    if (!readable && NOTE_OPENING_RE.test(first)) { notesFrom = k; continue; }
    break;
  }

  // Data rows.
  const stats = result.stats;
  const sums = new Map<number, { min: number; max: number | null; missing: boolean }>();
  const rowTotals: { row: InputRow; cell: number }[] = [];
  const seen = new Map<string, number>();
  let lastData = -1;
  rows.forEach((r, k) => { if (!r.blank && k < notesFrom) lastData = k; });
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k]!;
    stats.rows_read++;
    if (row.blank) {
      stats.rows_skipped++;
      stats.skipped_blank++;
      if (k < lastData) warn('BLANK_LINE', 'blank line inside the table (skipped)', row.line);
      continue;
    }
    if (k >= notesFrom) {
      stats.rows_skipped++;
      stats.skipped_notes++;
      result.notes.push({ file, line: row.line, code: 'NOTES_ROW', message: `notes row skipped: "${row.fields[0]!.trim().slice(0, 60)}"` });
      continue;
    }
    const reject = (column: number, message: string, got?: string, expected?: string) => {
      stats.rows_rejected++;
      result.rejects.push({ file, line: row.line, column, code: 'REJECTED_ROW', message, expected, got });
    };
    if (row.fields.length !== width) {
      reject(row.columns[Math.min(row.fields.length, width) - 1] ?? 1, `expected ${width} fields, found ${row.fields.length}`, row.fields.join(','), `${width} fields as in the header`);
      continue;
    }
    const label = row.fields[0]!.trim();
    if (isTotalLabel(label)) {
      stats.rows_skipped++;
      stats.skipped_total++;
      rowTotals.push({ row, cell: 0 });
      continue;
    }
    // The row's axis value: a period (wide) or a series (transposed, fixed).
    let rowPeriod: Period | undefined;
    let rowSeries: Partial<Series> | undefined;
    let labelFootnotes: string[] = [];
    if (periodAxis === 'rows') {
      const p = parsePeriodLabel(label, labelCtx);
      if (!p.ok) { reject(row.columns[0] ?? 1, p.reason, label, 'a period label such as "January 2024" or "2023-24"'); continue; }
      rowPeriod = p.period;
      labelFootnotes = p.footnotes;
    } else {
      const s = resolveSeriesLabel(label, ctx, defaults);
      if (!s) { reject(row.columns[0] ?? 1, `cannot read "${label}" as an asset type`, label, 'an asset type such as "Laptops"'); continue; }
      if (!s.known) warn('UNKNOWN_CATEGORY', `row "${label}" is not a known category; kept as "${s.series.category}"`, row.line, row.columns[0]);
      rowSeries = s.series;
      rowPeriod = fixedPeriod;
    }
    const made: AssetRecord[] = [];
    const madeColumns: number[] = [];
    let bad = false;
    for (const col of columns) {
      if (col.kind === 'ignored' || col.kind === 'total') continue;
      const raw = row.fields[col.index]!;
      const c = parseCount(raw);
      const at = row.columns[col.index] ?? 1;
      if (!c.ok) { reject(at, c.reason, raw, c.expected); bad = true; break; }
      for (const w of c.warnings) warn('COUNT_WARNING', w, row.line, at);
      let period = rowPeriod;
      let series = col.series ?? rowSeries;
      if (periodAxis === 'columns') {
        const p = parsePeriodLabel(col.label, labelCtx);
        if (!p.ok) { reject(header.columns[col.index] ?? 1, p.reason, col.label); bad = true; break; }
        period = p.period;
        series = rowSeries;
      }
      const count: Count = labelFootnotes.length ? { ...c.count, flags: [...c.count.flags, ...labelFootnotes] } as Count : c.count;
      made.push(makeRecord(ctx, defaults, series!, period!, count, { line: row.line, column: at, raw, rowLabel: label, columnLabel: col.label }));
      madeColumns.push(col.index);
    }
    if (bad) continue;
    // Duplicates within one answer: the same series and period twice is an error, both lines cited.
    let dup = false;
    for (const rec of made) {
      const key = `${rec.series.category}|${rec.series.status}|${rec.period.start}|${rec.period.end}`;
      const first = seen.get(key);
      if (first !== undefined) {
        reject(row.columns[0] ?? 1, `duplicate of line ${first}: ${rec.series.category} for ${rec.period.start}..${rec.period.end} appears twice`, label, 'each period once per series');
        dup = true;
        break;
      }
    }
    if (dup) continue;
    for (const rec of made) seen.set(`${rec.series.category}|${rec.series.status}|${rec.period.start}|${rec.period.end}`, row.line);
    stats.rows_accepted++;
    result.records.push(...made);
    // Running sums for the Total checks, per column (wide) or per row (transposed).
    for (const col of columns) {
      if (col.kind === 'total') rowTotals.push({ row, cell: col.index });
    }
    made.forEach((rec, n) => {
      const key = madeColumns[n]!;
      sums.set(key, sumOf([rec.count], sums.get(key)));
    });
  }
  stats.records = result.records.length;

  // Total rows: each column's stated total against the sum of the accepted rows above it.
  const anyRejected = stats.rows_rejected > 0;
  for (const { row, cell } of rowTotals) {
    if (cell !== 0) {
      // A Total column: the row's stated total against the sum of its own cells.
      const stated = row.fields[cell] ?? '';
      const parts = result.records.filter((r) => r.provenance.line === row.line);
      result.totalChecks.push(checkTotal(file, row.line, row.columns[cell] ?? 1, row.fields[0]!.trim(), stated, sumOf(parts.map((p) => p.count))));
      continue;
    }
    for (const col of columns) {
      if (col.kind !== 'series' && col.kind !== 'count') continue;
      const stated = row.fields[col.index] ?? '';
      const check = checkTotal(file, row.line, row.columns[col.index] ?? 1, col.label, stated, sums.get(col.index) ?? sumOf([]));
      if (anyRejected && check.status === 'mismatch') {
        check.status = 'unchecked';
        check.reason = 'rows were rejected above this Total';
      }
      result.totalChecks.push(check);
    }
  }
  for (const check of result.totalChecks) {
    if (check.status === 'mismatch') warn('TOTAL_MISMATCH', `Total for "${check.label}" says ${check.stated} but the rows sum to ${formatRange(check.sum_min, check.sum_max)}`, check.line, check.column);
  }
  return result;
}

type Sum = { min: number; max: number | null; missing: boolean };

function sumOf(counts: Count[], from?: Sum): Sum {
  const s: Sum = from ? { ...from } : { min: 0, max: 0, missing: false };
  for (const c of counts) {
    const b = countBounds(c);
    if (!b) { s.missing = true; continue; }
    s.min += b.min;
    s.max = s.max === null || b.max === null ? null : s.max + b.max;
  }
  return s;
}

function formatRange(min: number | null, max: number | null): string {
  if (min === max) return String(min);
  return `${min}–${max ?? '?'}`;
}

function checkTotal(file: string, line: number, column: number, label: string, stated: string, sum: Sum): TotalCheck {
  const base = { file, line, column, label, stated: stated.trim(), sum_min: sum.min, sum_max: sum.max };
  const c = parseCount(stated);
  if (!c.ok) return { ...base, status: 'unchecked', reason: `the Total cell cannot be read: ${c.reason}` };
  if (sum.missing) return { ...base, status: 'unchecked', reason: 'a cell in this column is missing' };
  const b = countBounds(c.count);
  if (!b) return { ...base, status: 'unchecked', reason: 'the Total cell is not available' };
  // Consistent when the stated range and the summed range can meet.
  const overlaps = (b.max === null || b.max >= sum.min) && (sum.max === null || sum.max >= b.min);
  return { ...base, status: overlaps ? 'match' : 'mismatch' };
}

/** A column or row label as a series: a category, or a status split ("Lost", "Stolen"). */
function resolveSeriesLabel(label: string, ctx: ReadContext, defaults: SeriesDefaults): { series: Partial<Series>; known: boolean } | undefined {
  const { text } = splitMarkers(label);
  if (!text) return undefined;
  const cat = resolveCategory(ctx.aliases, text);
  if (cat.known) return { series: { category: cat.value }, known: true };
  const status = ctx.aliases.statuses.get(normaliseLabel(text));
  if (status) {
    return defaults.category ? { series: { category: defaults.category, status }, known: true } : undefined;
  }
  if (IGNORED_RE.test(text)) return undefined;
  if (/^[\d\s.,]+$/.test(text)) return undefined;
  return { series: { category: cat.value }, known: false };
}

interface Where { line: number; column: number; raw: string; rowLabel: string; columnLabel: string }

export function makeRecord(ctx: ReadContext, defaults: SeriesDefaults, series: Partial<Series>, period: Period, count: Count, where: Where): AssetRecord {
  return {
    series: {
      department: series.department ?? defaults.department,
      category: series.category ?? defaults.category ?? 'other',
      status: series.status ?? defaults.status,
      unit: series.unit ?? defaults.unit,
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
const OWN_FIELDS = ['source_id', 'period_kind', 'count_min', 'count_max', 'count_kind', 'flags', 'file', 'line', 'column', 'row_label', 'column_label', 'raw', 'vintage'] as const;

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
  return hasPeriod || ctx.metadata.period === undefined || fields.includes('source_id');
}

/**
 * The same series and period twice in one input is an error citing both lines (bad-inputs 39).
 * The key includes the source id: the tool's own records files hold several answers whose months
 * overlap (July 2024 in the December 2024 and March 2025 answers), and those are not duplicates.
 */
export function duplicateChecker(file: string): (record: AssetRecord, line: number, column: number, got: string) => Diagnostic | undefined {
  const seen = new Map<string, number>();
  return (r, line, column, got) => {
    const s = r.series;
    const key = [r.provenance.source_id, s.department, s.category, s.status, s.unit ?? '', r.period.start, r.period.end].join('\u0000');
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, line);
      return undefined;
    }
    return {
      file, line, column, code: 'DUPLICATE_ROW',
      message: `duplicate of line ${first}: ${s.category} (${s.department}, ${s.status}) for ${r.period.start}..${r.period.end} appears twice`,
      expected: 'each series and period once', got,
    };
  };
}

export type RowOutcome =
  | { kind: 'record'; record: AssetRecord; warnings: Diagnostic[] }
  | { kind: 'reject'; reject: Diagnostic }
  | { kind: 'skip'; reason: 'blank' };

/** Builds the per-row reader of a long file: cheap per row, no table held in memory. */
export function longRowReader(header: LongHeader, width: number, ctx: ReadContext, sourceWarn: (code: string, message: string) => void): (row: InputRow) => RowOutcome {
  const ix = header.index;
  const defaults = seriesDefaults(ctx, sourceWarn, { departmentColumn: ix.department !== undefined });
  const year = yearFrom(ctx);
  const cell = (row: InputRow, f: string) => (ix[f] === undefined ? undefined : (row.fields[ix[f]!] ?? '').trim());
  // Where a field starts: its own line (below the row's first after a quoted line break) and column.
  const pos = (row: InputRow, f: string) => ({ line: row.lines?.[ix[f] ?? 0] ?? row.line, column: row.columns[ix[f] ?? 0] ?? 1 });
  return (input) => {
    if (input.blank) return { kind: 'skip', reason: 'blank' };
    const row = !header.guarded ? input
      : { ...input, fields: input.fields.map((f) => unneutralise(header.tsvEscapes ? unescapeTsv(f) : f)) };
    const reject = (field: string, message: string, got?: string, expected?: string): RowOutcome => ({
      kind: 'reject', reject: { file: ctx.file, ...pos(row, field), code: 'REJECTED_ROW', message, expected, got },
    });
    if (row.fields.length !== width) {
      return { kind: 'reject', reject: { file: ctx.file, line: row.line, column: row.columns[row.fields.length - 1] ?? 1, code: 'REJECTED_ROW', message: `expected ${width} fields, found ${row.fields.length}`, expected: `${width} fields as in the header`, got: row.fields.join(',') } };
    }
    const warnings: Diagnostic[] = [];
    // Period: explicit start/end, else the first period-like column, cross-checked with an FY column.
    let period: Period | undefined;
    const start = cell(row, 'start');
    const end = cell(row, 'end');
    if (start && end) {
      const a = parseIsoDay(start);
      const b = parseIsoDay(end);
      if (a === undefined) return reject('start', `start is not a real YYYY-MM-DD date`, start, 'YYYY-MM-DD');
      if (b === undefined) return reject('end', `end is not a real YYYY-MM-DD date`, end, 'YYYY-MM-DD');
      if (b < a) return reject('end', 'end is before start', end);
      const label = cell(row, 'period') || `${start}..${end}`;
      const p = parsePeriodLabel(`${start}..${end}`);
      if (!p.ok) return reject('start', p.reason, start);
      const kind = cell(row, 'period_kind');
      period = { ...p.period, label, kind: (kind as Period['kind']) || p.period.kind };
    } else {
      // Tidy files often split the month and the year ("year,month,…": 2024,January): the row's
      // own year is the year of its month label, before "# year:" or --year.
      const yearCell = cell(row, 'year');
      const rowYear = yearCell && /^\d{4}$/.test(yearCell) ? Number(yearCell) : year;
      for (const [field, hint] of [['period', undefined], ['month', 'month'], ['date', 'day'], ['financial_year', 'financial-year'], ['year', 'year']] as const) {
        const text = cell(row, field);
        if (text === undefined || text === '') continue;
        const p = parsePeriodLabel(text, { year: rowYear, hint: hint === 'year' ? undefined : hint, financialYearContext: field === 'financial_year' });
        if (!p.ok) return reject(field, p.reason, text, 'a period label such as "2024-01", "January 2024" or "2023-24"');
        // A date column holds days: "45292" is an Excel serial date, not the year 4529 (bad-inputs 34).
        if (field === 'date' && p.period.kind !== 'day') {
          const serial = /^\d{5}(\.\d+)?$/.test(text) ? ' (an Excel serial date? format the column as dates before saving)' : '';
          return reject(field, `a date column needs a day, not ${p.period.kind === 'custom' ? 'a range' : `a ${p.period.kind}`}${serial}`, text, 'dd/mm/yyyy or YYYY-MM-DD');
        }
        if (!period) {
          period = p.period;
        } else if (p.period.start > period.start || p.period.end < period.end) {
          return reject(field, `period inconsistent: ${period.label} (${period.start}..${period.end}) is not inside ${field} ${text}`, text);
        }
      }
      period ??= header.fixedPeriod;
      if (!period) return reject('period', 'no period in this row', '', 'a period');
    }
    const catText = cell(row, 'category') ?? '';
    if (!catText) return reject('category', 'empty category', '', 'an asset type');
    const cat = resolveCategory(ctx.aliases, catText);
    if (!cat.known) warnings.push({ file: ctx.file, ...pos(row, 'category'), code: 'UNKNOWN_CATEGORY', message: `category "${catText}" is not known; kept as "${cat.value}"` });
    let count: Count;
    const kind = cell(row, 'count_kind');
    if (kind) {
      const own = readOwnCount(kind, cell(row, 'count') ?? '', cell(row, 'count_min') ?? '', cell(row, 'count_max') ?? '', cell(row, 'flags') ?? '');
      if (typeof own === 'string') return reject('count_kind', own, kind);
      count = own;
    } else {
      const raw = row.fields[ix.count!] ?? '';
      const c = parseCount(raw);
      if (!c.ok) return reject('count', c.reason, raw, c.expected);
      for (const w of c.warnings) warnings.push({ file: ctx.file, ...pos(row, 'count'), code: 'COUNT_WARNING', message: w });
      count = c.count;
    }
    const series: Partial<Series> = { category: cat.value };
    const dept = cell(row, 'department');
    if (dept) {
      const d = resolveDepartment(ctx.aliases, dept);
      series.department = d.value;
      if (!d.known) warnings.push({ file: ctx.file, ...pos(row, 'department'), code: 'UNKNOWN_DEPARTMENT', message: `department "${dept}" is not in the alias table; kept as written` });
    } else if (ix.department !== undefined && defaults.department === 'unknown') {
      warnings.push({ file: ctx.file, ...pos(row, 'department'), code: 'NO_DEPARTMENT', message: 'empty department (no "# department:" metadata or --department to fall back on); kept as "unknown"' });
    }
    const status = cell(row, 'status');
    if (status) {
      const st = resolveStatus(ctx.aliases, status);
      series.status = st.value;
      if (!st.known) warnings.push({ file: ctx.file, ...pos(row, 'status'), code: 'UNKNOWN_STATUS', message: `status "${status}" is not in the alias table; kept as "${st.value}"` });
    }
    const unit = cell(row, 'unit');
    if (unit) series.unit = unit;
    const raw = ix.count !== undefined ? row.fields[ix.count] ?? '' : '';
    const record = makeRecord(ctx, defaults, series, period, count, {
      ...pos(row, 'count'), raw, rowLabel: period.label, columnLabel: catText,
    });
    // The tool's own columns carry the original provenance through a round trip.
    const ownLine = cell(row, 'line');
    if (cell(row, 'file') && ownLine && /^\d+$/.test(ownLine)) {
      const ownColumn = cell(row, 'column') ?? '';
      record.provenance = {
        source_id: cell(row, 'source_id') || ctx.sourceId,
        file: cell(row, 'file')!,
        line: Number(ownLine),
        column: /^\d+$/.test(ownColumn) ? Number(ownColumn) : 0,
        raw: row.fields[ix.raw ?? -1] ?? raw,
        row_label: row.fields[ix.row_label ?? -1] ?? period.label,
        column_label: row.fields[ix.column_label ?? -1] ?? catText,
      };
    }
    return { kind: 'record', record, warnings };
  };
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
