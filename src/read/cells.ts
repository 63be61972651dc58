// Step 3 of reading a table: each data cell to a record (its row's and column's facets, then the
// table's), each row accepted or rejected whole with its reason, Total rows and columns checked
// against the cells they total, the same series and period twice rejected with both lines cited.
import type { AssetRecord, Count, Period, Series } from '../model/model.js';
import type { DiagnosticCode } from '../model/diagnostics.js';
import { countBounds, parseCount } from '../engine/count.js';
import { makeRecord, type ReadContext, type SeriesDefaults, type TableResult, type TotalCheck } from './table.js';
import { slugify } from '../engine/aliases.js';
import type { Axes, ColumnSpec, RowSpec } from './axes.js';
import type { Facets } from './labels.js';

/** What the table says of every cell that neither its row nor its column says. */
export interface TableFacts {
  period?: Period;
  /** Where the table's period was read, and its words. */
  periodFrom?: { source: string; phrase: string };
  defaults: SeriesDefaults;
}

type Sum = { min: number; max: number | null; missing: boolean };

export function readCells(axes: Axes, facts: TableFacts, ctx: ReadContext, result: TableResult): void {
  const reader = new CellReader(axes, facts, ctx, result);
  const lastData = axes.rows.reduce((n, r, k) => (r.kind !== 'blank' && r.kind !== 'notes' ? k : n), -1);
  axes.rows.forEach((r, k) => reader.readRow(r, k < lastData));
  result.stats.records = result.records.length;
  checkTotals(axes, reader.cells, reader.totalRows, result, ctx.file);
}

type Cell = { row: RowSpec; column: number; count: Count; status: string };

/** The rows of one table, each accepted or rejected whole, into the result. */
class CellReader {
  private readonly counted: ColumnSpec[];
  private readonly seen = new Map<string, number>();
  /** Period columns whose label was read with a warning, said once each. */
  private readonly gluedWarned = new Set<number>();
  /** Accepted records by row line and column index, for the Total checks. */
  readonly cells: Cell[] = [];
  readonly totalRows: RowSpec[] = [];

  constructor(private readonly axes: Axes, private readonly facts: TableFacts, private readonly ctx: ReadContext, private readonly result: TableResult) {
    const dataColumns = axes.columns.filter((c) => c.kind === 'data');
    this.counted = axes.labelCounts ? [axes.labelCounts, ...dataColumns] : dataColumns;
  }

  private warn(code: DiagnosticCode, message: string, line?: number, column?: number): void {
    this.result.warnings.push({ file: this.ctx.file, line, column, code, message });
  }

  private reject(r: RowSpec, column: number, message: string, got?: string, expected?: string): void {
    this.result.stats.rows_rejected++;
    this.result.rejects.push({ file: this.ctx.file, line: r.row.line, column, code: 'REJECTED_ROW', message, expected, got });
  }

  /** `inside`: data rows follow, so a blank row is inside the table. */
  readRow(r: RowSpec, inside: boolean): void {
    const { stats, notes } = this.result;
    const { file } = this.ctx;
    const row = r.row;
    stats.rows_read++;
    const skip = (key: 'skipped_blank' | 'skipped_notes' | 'skipped_total' | 'skipped_not_counts') => { stats.rows_skipped++; stats[key]++; };
    if (r.kind === 'blank') {
      skip('skipped_blank');
      if (inside) this.warn('BLANK_LINE', 'blank line inside the table (skipped)', row.line);
    } else if (r.kind === 'notes') {
      skip('skipped_notes');
      notes.push({ file, line: row.line, code: 'NOTES_ROW', message: `notes row skipped: "${r.label.slice(0, 60)}"` });
    } else if (r.kind === 'aside') {
      skip('skipped_not_counts');
      notes.push({ file, line: row.line, code: 'IGNORED_ROW', message: `row "${r.label}" skipped: ${r.reason}` });
    } else if (r.kind === 'reject') {
      this.reject(r, row.columns[0] ?? 1, r.reason!, r.label, this.axes.rowRole === 'period' ? 'a period label such as "January 2024" or "2023-24"' : undefined);
    } else if (r.kind === 'total') {
      skip('skipped_total');
      this.totalRows.push(r);
    } else {
      this.readDataRow(r);
    }
  }

  /** A row of figures: a record per counted cell, or the row rejected for its first bad cell. */
  private readDataRow(r: RowSpec): void {
    const { axes, facts, ctx } = this;
    const row = r.row;
    const made: AssetRecord[] = [];
    const madeCells: { column: number; count: Count; status: string }[] = [];
    for (const col of this.counted) {
      const raw = col.index === 0 ? r.facets.glued ?? '' : row.fields[col.index] ?? '';
      const at = row.columns[col.index] ?? col.index + 1;
      const c = parseCount(raw);
      if (!c.ok) return this.reject(r, at, c.reason, raw, c.expected);
      for (const w of c.warnings) this.warn('COUNT_WARNING', w, row.lines?.[col.index] ?? row.line, at);
      const series = seriesOf(r, col, axes);
      if (typeof series === 'string') return this.reject(r, at, series, raw);
      const period = r.facets.period ?? col.facets.period ?? facts.period;
      if (!period) return this.reject(r, at, 'no period for this cell', raw);
      const flags = [...c.count.flags, ...r.facets.footnotes.filter((f) => !c.count.flags.includes(f))];
      const count = flags.length === c.count.flags.length ? c.count : { ...c.count, flags } as Count;
      if (!series.category && !facts.defaults.category) return this.reject(r, at, 'no asset type for this cell', raw);
      const record = makeRecord(ctx, facts.defaults, series, period, count, { line: row.lines?.[col.index] ?? row.line, column: at, raw, rowLabel: r.label, columnLabel: col.label });
      if (!r.facets.period && !col.facets.period && facts.periodFrom) record.provenance.period_from = facts.periodFrom.source;
      made.push(record);
      madeCells.push({ column: col.index, count, status: record.series.status });
    }
    for (const rec of made) {
      const first = this.seen.get(keyOf(rec));
      if (first !== undefined) {
        return this.reject(r, row.columns[0] ?? 1, `duplicate of line ${first}: ${rec.series.category} for ${rec.period.start}..${rec.period.end} appears twice`, r.label, 'each period once per series');
      }
    }
    for (const rec of made) this.seen.set(keyOf(rec), row.line);
    this.result.stats.rows_accepted++;
    if (r.facets.periodWarning) this.warn('GLUED_FOOTNOTE', r.facets.periodWarning, row.line, row.columns[0]);
    for (const col of this.counted) {
      if (col.facets.periodWarning && !this.gluedWarned.has(col.index)) {
        this.gluedWarned.add(col.index);
        this.warn('GLUED_FOOTNOTE', col.facets.periodWarning, row.line, row.columns[col.index]);
      }
    }
    for (const rec of made) this.result.records.push(rec);
    for (const m of madeCells) this.cells.push({ row: r, ...m });
  }
}

function keyOf(r: AssetRecord): string {
  return `${r.series.category}|${r.series.status}|${r.series.item ?? ''}|${r.period.start}|${r.period.end}`;
}

/** The cell's series from its row and its column: each says at most once what it names. */
function seriesOf(r: RowSpec, col: ColumnSpec, axes: Axes): Partial<Series> | string {
  const rowF = r.facets;
  const colF = col.facets;
  const rowCategory = categoryFrom(rowF, axes.rowRole === 'category');
  const colCategory = categoryFrom(colF, !axes.rowRole || axes.rowRole !== 'category');
  if (rowCategory && colCategory && rowCategory !== colCategory) {
    return `the row says ${rowCategory} ("${r.label}") and the column ${colCategory} ("${col.label}")`;
  }
  const rowStatus = rowF.status ?? (axes.rowRole === 'status' && !rowF.measure && !rowF.category?.known ? slugify(rowF.text) : undefined);
  if (rowStatus && colF.status && rowStatus !== colF.status) {
    return `the row says ${rowStatus} ("${r.label}") and the column ${colF.status} ("${col.label}")`;
  }
  const series: Partial<Series> = {};
  const category = rowCategory ?? colCategory;
  if (category) series.category = category;
  const status = rowStatus ?? colF.status;
  if (status) series.status = status;
  const item = r.item ?? col.item;
  if (item) series.item = item;
  return series;
}

/** A known category, or (on the axis that carries categories) the slug of an unknown one. */
function categoryFrom(f: Facets, carries: boolean): string | undefined {
  if (f.category?.known) return f.category.value;
  if (carries && f.category && !f.status && !f.measure && !f.period && !f.total) return f.category.value;
  return undefined;
}

/** Total rows against the rows above them, column by column; Total columns against their row. */
function checkTotals(axes: Axes, all: Cell[], totalRows: RowSpec[], result: TableResult, file: string): void {
  const anyRejected = result.stats.rows_rejected > 0;
  // Recovered items are among those lost or stolen: a Total of them all does not count them again.
  const cells = all.filter((c) => c.status !== 'recovered');
  const dataColumns = axes.columns.filter((c) => c.kind === 'data');
  for (const t of totalRows) {
    for (const col of dataColumns) {
      const parts = cells.filter((c) => c.column === col.index).map((c) => c.count);
      const check = checkTotal(file, t.row.line, t.row.columns[col.index] ?? col.index + 1, col.label, t.row.fields[col.index] ?? '', sumOf(parts));
      if (anyRejected && check.status === 'mismatch') {
        check.status = 'unchecked';
        check.reason = 'rows were rejected above this Total';
      }
      result.totalChecks.push(check);
    }
  }
  // A Total column totals the columns that share its period (a Total under each year of a
  // two-level header), or the whole row.
  const periodOf = new Map(axes.columns.map((c) => [c.index, c.facets.period ? `${c.facets.period.start}..${c.facets.period.end}` : '']));
  for (const col of axes.columns.filter((c) => c.kind === 'total')) {
    const within = periodOf.get(col.index) ?? '';
    for (const r of axes.rows) {
      if (r.kind !== 'data' || !result.records.some((rec) => rec.provenance.line === r.row.line)) continue;
      const parts = cells.filter((c) => c.row === r && (!within || periodOf.get(c.column) === within)).map((c) => c.count);
      result.totalChecks.push(checkTotal(file, r.row.line, r.row.columns[col.index] ?? col.index + 1, r.label, r.row.fields[col.index] ?? '', sumOf(parts)));
    }
  }
  for (const check of result.totalChecks) {
    if (check.status === 'mismatch') {
      result.warnings.push({ file, line: check.line, column: check.column, code: 'TOTAL_MISMATCH', message: `Total for "${check.label}" says ${check.stated} but the rows sum to ${formatRange(check.sum_min, check.sum_max)}` });
    }
  }
}

function sumOf(counts: Count[]): Sum {
  const s: Sum = { min: 0, max: 0, missing: false };
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
  const b = countBounds(c.count);
  // "-" over cells that are all 0 or empty: nothing to total, and nothing wrong.
  if (!b) return { ...base, status: 'unchecked', reason: 'the Total cell is not available' };
  if (sum.missing) return { ...base, status: 'unchecked', reason: 'a cell in this column is missing' };
  const overlaps = (b.max === null || b.max >= sum.min) && (sum.max === null || sum.max >= b.min);
  return { ...base, status: overlaps ? 'match' : 'mismatch' };
}
