// A pivot of totals: rows by month, quarter, calendar year or financial year (or a dimension),
// one column per category (or --columns dimension), a totals row. Every cell is a call of the same
// total engine, so a cell and a `compare` total for the same period never disagree. Pure.
import type { AssetRecord, Period } from '../model/model.js';
import type { PartialPolicy } from '../model/vocab.js';
import { type Day, dayOf, formatDay, fromDay, monthEnd, monthStart, parseIsoDay } from './dates.js';
import { classifyInterval } from './period.js';
import { type Caveat, combine, eachSeriesTotal, type Interval, noDataTotal, seriesKey, sumOfTotals, totalsBySeries, TotalsSum, uniqueCaveats, type TotalResult, type VintageOf } from './total.js';
import { CATEGORIES, STATUSES } from '../model/vocab.js';
import { type Dimension, groupValue } from './compare.js';
import { append } from './arrays.js';

export const SUMMARY_BY = ['month', 'quarter', 'year', 'fy', 'category', 'department', 'status', 'unit'] as const;
export type SummaryBy = (typeof SUMMARY_BY)[number];

export interface SummaryOptions {
  by: SummaryBy;
  columns?: Dimension;
  from?: Period;
  to?: Period;
  partial?: PartialPolicy;
  /** The column values asked for (a filter on the column dimension); default: see summaryColumns. */
  columnValues?: string[];
  /**
   * Rows by a dimension, each over its own period: from the first to the last day of its own
   * figures (within --from/--to), as each body answered, not over the span of all of them.
   */
  ownPeriods?: boolean;
}

export interface SummaryRow {
  period: Period;
  /** For --by a dimension: the group the row is about. */
  group?: string;
  cells: Map<string, TotalResult>;
  total: TotalResult;
}

export interface SummaryResult {
  by: SummaryBy;
  columnDimension: Dimension;
  columns: string[];
  rows: SummaryRow[];
  /**
   * The sum of the rows, cell by cell (rows never overlap: calendar rows tile the span, dimension
   * rows are disjoint series); null when there are no rows.
   */
  totals: SummaryRow | null;
  /**
   * The engine's total over the whole span, which can differ from the sum of the rows: a record
   * coarser than a row (a year figure beside month rows) counts here but in no row.
   */
  span: SummaryRow | null;
  caveats: Caveat[];
  /** Each row over its own period (see SummaryOptions.ownPeriods). */
  ownPeriods: boolean;
}

function periodOf(start: Day, end: Day, label: string): Period {
  return { start: formatDay(start), end: formatDay(end), label, kind: classifyInterval(start, end) };
}

/** The calendar buckets of one kind that meet [from, to], labelled as a person would. */
export function buckets(by: 'month' | 'quarter' | 'year' | 'fy', from: Day, to: Day): Period[] {
  const out: Period[] = [];
  let { year, month } = fromDay(from);
  if (by === 'quarter') month = Math.floor((month - 1) / 3) * 3 + 1;
  if (by === 'year') month = 1;
  if (by === 'fy') {
    if (month < 4) year -= 1;
    month = 4;
  }
  const step = by === 'month' ? 1 : by === 'quarter' ? 3 : 12;
  for (;;) {
    const start = monthStart(year, month);
    if (start > to) break;
    const endMonth = month + step - 1;
    const end = monthEnd(year + Math.floor((endMonth - 1) / 12), ((endMonth - 1) % 12) + 1);
    const label = by === 'month' ? `${year}-${String(month).padStart(2, '0')}`
      : by === 'quarter' ? `${year}-Q${(month + 2) / 3}`
      : by === 'year' ? String(year)
      : `FY${year}-${String((year + 1) % 100).padStart(2, '0')}`;
    const p = periodOf(start, end, label);
    out.push(by === 'fy' ? { ...p, kind: 'financial-year' } : p);
    month += step;
    while (month > 12) { month -= 12; year += 1; }
  }
  return out;
}

/** Records sorted by start day, to find those meeting a period without scanning them all. */
interface RecordIndex {
  records: AssetRecord[];
  starts: Day[];
  ends: Day[];
  /** Longest record, in days: a record meeting [s, e] starts after s - maxDays. */
  maxDays: number;
}

function indexRecords(records: AssetRecord[]): RecordIndex {
  const keyed = records.map((r) => ({ r, s: dayOf(r.period.start), e: dayOf(r.period.end) })).sort((a, b) => a.s - b.s);
  return {
    records: keyed.map((k) => k.r),
    starts: keyed.map((k) => k.s),
    ends: keyed.map((k) => k.e),
    maxDays: keyed.reduce((m, k) => Math.max(m, k.e - k.s + 1), 0),
  };
}

function lowerBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The records that share at least one day with the period (the engine decides the rest). */
function overlapping(ix: RecordIndex, period: Period): AssetRecord[] {
  const s = parseIsoDay(period.start)!;
  const e = parseIsoDay(period.end)!;
  const out: AssetRecord[] = [];
  for (let i = lowerBound(ix.starts, s - ix.maxDays + 1); i < ix.starts.length && ix.starts[i]! <= e; i++) {
    if (ix.ends[i]! >= s) out.push(ix.records[i]!);
  }
  return out;
}

/**
 * The columns, the same whatever the data where a closed vocabulary allows: the values a filter
 * asks for; else every canonical category (or status), then any other the data names; for
 * departments and units, the data's values.
 */
export function summaryColumns(dimension: Dimension, records: readonly AssetRecord[], asked?: readonly string[]): string[] {
  if (asked?.length && dimension !== 'unit') return [...new Set(asked)];
  const inData = [...new Set(records.map((r) => groupValue(r, dimension)))].sort();
  const fixed: readonly string[] = dimension === 'category' ? CATEGORIES : dimension === 'status' ? STATUSES : [];
  return [...fixed, ...inData.filter((v) => !fixed.includes(v))];
}

/**
 * Cells of rows that follow one another in time added up: an interval, and as covered the days
 * of the rows the cells cover (a row without data is a gap all through).
 */
function sumOverTime(period: Period, cells: TotalResult[]): TotalResult {
  const days = dayOf(period.end) - dayOf(period.start) + 1;
  const withData = cells.filter((c) => c.has_data);
  const gaps: Interval[] = [];
  for (const c of cells) {
    if (c.has_data) append(gaps, c.gaps);
    else gaps.push({ start: c.period.start, end: c.period.end });
  }
  const gapDays = gaps.reduce((n, g) => n + dayOf(g.end) - dayOf(g.start) + 1, 0);
  if (withData.length === 0) return noDataTotal(period, days);
  const { min, max } = sumOfTotals(withData);
  const estimate = withData.some((c) => c.estimate);
  const exact = !estimate && withData.every((c) => c.total !== null);
  return {
    period, days, total: exact ? min : null, total_min: min, total_max: max, has_data: true, estimate,
    approximate: withData.some((c) => c.approximate), covered_days: days - gapDays, rate_days: days - gapDays, gaps: mergeAdjacent(gaps), chosen: [], caveats: [],
  };
}

function mergeAdjacent(gaps: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const g of gaps) {
    const last = out.at(-1);
    if (last && dayOf(last.end) + 1 === dayOf(g.start)) last.end = g.end;
    else out.push({ ...g });
  }
  return out;
}

/**
 * How a row's results make the records they used again, from the row's period, when asked for:
 * so that the row does not keep its series' totals (months × series of them in a wide log).
 * The row is totalled again once, for all its cells. A function of its own, so that the closure
 * holds these values and nothing else of the row.
 */
function chosenAgain(bySeriesIn: (subset: RecordIndex, period: Period) => Map<string, TotalResult>, subset: RecordIndex, period: Period): (keep: (seriesKey: string) => boolean) => () => AssetRecord[] {
  let again: Map<string, TotalResult> | undefined;
  return (keep) => () => {
    const out: AssetRecord[] = [];
    for (const [k, t] of (again ??= bySeriesIn(subset, period))) if (keep(k)) append(out, t.chosen);
    return out;
  };
}

/**
 * A row's cells and total over a period, from the records of `subset` that meet it: each series
 * is totalled once, and its total added to its cell's sum and the row's as it is made, kept by
 * neither (a row of a wide log's thousands of series holds only its sums while it is made).
 */
function rowMaker(columns: string[], columnOfSeries: Map<string, string>, vintageOf: VintageOf, engine: { partial: PartialPolicy }): (subset: RecordIndex, period: Period) => { cells: Map<string, TotalResult>; total: TotalResult } {
  const bySeriesIn = (subset: RecordIndex, period: Period) => totalsBySeries(overlapping(subset, period), period, vintageOf, engine);
  return (subset, period) => {
    const sums = new Map(columns.map((c) => [c, new TotalsSum(period)]));
    const row = new TotalsSum(period);
    eachSeriesTotal(overlapping(subset, period), period, vintageOf, engine, (k, t) => {
      // (a series of a column not asked for cannot be here: the records are filtered the same way)
      sums.get(columnOfSeries.get(k)!)?.add(t);
      row.add(t);
    });
    const cells = new Map<string, TotalResult>();
    const chosen = chosenAgain(bySeriesIn, subset, period);
    for (const [c, sum] of sums) cells.set(c, sum.result(chosen((k) => columnOfSeries.get(k) === c)));
    return { cells, total: row.result(chosen(() => true)) };
  };
}

export function summarise(records: AssetRecord[], vintageOf: VintageOf, options: SummaryOptions): SummaryResult {
  const columnDimension = options.columns ?? 'category';
  const columns = summaryColumns(columnDimension, records, options.columnValues);
  const first = records.reduce<Day | undefined>((m, r) => { const d = dayOf(r.period.start); return m === undefined || d < m ? d : m; }, undefined);
  const last = records.reduce<Day | undefined>((m, r) => { const d = dayOf(r.period.end); return m === undefined || d > m ? d : m; }, undefined);
  if (first === undefined && !options.from && !options.to) {
    // No records and no span asked for: no rows (never a row of zeros), and say why.
    return { by: options.by, columnDimension, columns, rows: [], totals: null, span: null, caveats: [{ code: 'NO_DATA', severity: 'warning', period: 'summary' }], ownPeriods: !!options.ownPeriods };
  }
  // Without --from (--to), the data's first (last) day — but never past the other end asked for.
  const from = options.from ? parseIsoDay(options.from.start)! : Math.min(first ?? Infinity, parseIsoDay(options.to?.start ?? '') ?? Infinity);
  const to = options.to ? parseIsoDay(options.to.end)! : Math.max(last ?? -Infinity, parseIsoDay(options.from?.end ?? '') ?? -Infinity);
  if (from > to) throw new RangeError(`--from ${formatDay(from)} is after --to ${formatDay(to)}`);
  const span = periodOf(from, to, `${formatDay(from)}..${formatDay(to)}`);
  const engine = { partial: options.partial ?? 'exclude' };
  // Each series is totalled once per row; a cell adds its column's series, the row total all.
  const columnOfSeries = new Map(records.map((r) => [seriesKey(r), groupValue(r, columnDimension)]));
  const rowFor = rowMaker(columns, columnOfSeries, vintageOf, engine);
  const all = indexRecords(records);
  const rows: SummaryRow[] = [];
  if (options.by === 'month' || options.by === 'quarter' || options.by === 'year' || options.by === 'fy') {
    for (const p of buckets(options.by, from, to)) {
      // Buckets cut by --from/--to are partial periods: clip them and say so in the label.
      const s = Math.max(parseIsoDay(p.start)!, from);
      const e = Math.min(parseIsoDay(p.end)!, to);
      const period = s === parseIsoDay(p.start) && e === parseIsoDay(p.end) ? p : periodOf(s, e, `${p.label} (${formatDay(s)}..${formatDay(e)})`);
      rows.push({ period, ...rowFor(all, period) });
    }
  } else {
    const dim = options.by;
    for (const g of [...new Set(records.map((r) => groupValue(r, dim)))].sort()) {
      const subset = records.filter((r) => groupValue(r, dim) === g);
      const period = options.ownPeriods ? ownSpan(subset, from, to) : span;
      if (!period) continue;
      rows.push({ period, group: g, ...rowFor(indexRecords(subset), period) });
    }
  }
  const spanRow: SummaryRow = { period: span, ...rowFor(all, span) };
  const calendar = options.by === 'month' || options.by === 'quarter' || options.by === 'year' || options.by === 'fy';
  const add = (cells: TotalResult[]) => (calendar ? sumOverTime(span, cells) : combine(span, cells.filter((c) => c.has_data)));
  const totals: SummaryRow | null = rows.length === 0 ? null : {
    period: span,
    cells: new Map(columns.map((c) => [c, add(rows.map((r) => r.cells.get(c)!))])),
    total: add(rows.map((r) => r.total)),
  };
  const caveats = uniqueCaveats(rows.flatMap((r) => [...r.cells.values(), r.total].flatMap((t) => t.caveats)));
  const periods = new Set(rows.map((r) => `${r.period.start}..${r.period.end}`));
  if (options.ownPeriods && periods.size > 1) caveats.unshift({ code: 'PERIODS_DIFFER', severity: 'info', period: 'summary' });
  return { by: options.by, columnDimension, columns, rows, totals, span: spanRow, caveats, ownPeriods: !!options.ownPeriods };
}

/** The days a group's own figures cover, from its first to its last, within [from, to]. */
function ownSpan(records: AssetRecord[], from: Day, to: Day): Period | undefined {
  let s = Infinity;
  let e = -Infinity;
  for (const r of records) {
    s = Math.min(s, dayOf(r.period.start));
    e = Math.max(e, dayOf(r.period.end));
  }
  const start = Math.max(s, from);
  const end = Math.min(e, to);
  if (start > end) return undefined;
  const period = periodOf(start, end, `${formatDay(start)}..${formatDay(end)}`);
  return records.some((r) => r.period.approximate) ? { ...period, approximate: true } : period;
}
