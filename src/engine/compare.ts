// Periods compared (design §4, rates): totals, days, covered days and per-day rates of each
// period, then the first against each other one: difference, ratio, rate ratio — intervals when
// suppressed cells make the totals uncertain. Pure.
import type { AssetRecord, Period } from '../model/model.js';
import type { PartialPolicy } from '../model/vocab.js';
import { type Caveat, type Interval, total, totals, type TotalResult, type VintageOf } from './total.js';
import { uniqueCaveats } from './total.js';
import { append } from './arrays.js';

export const DIMENSIONS = ['category', 'department', 'status', 'unit'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const PER_UNITS = ['day', 'week', 'month', 'year'] as const;
export type PerUnit = (typeof PER_UNITS)[number];

/** Days in each rate unit: a month is 365.25/12 days, a year 365.25 (design §4). */
export const PER_DAYS: Record<PerUnit, number> = { day: 1, week: 7, month: 365.25 / 12, year: 365.25 };

export interface PeriodEntry {
  period: string;
  start: string;
  end: string;
  days: number;
  covered_days: number;
  total: number | null;
  total_min: number | null;
  total_max: number | null;
  rate: number | null;
  rate_min: number | null;
  rate_max: number | null;
  estimate: boolean;
  gaps: Interval[];
  group?: string;
  result: TotalResult;
}

export interface Comparison {
  a: string;
  b: string;
  group?: string;
  difference: number | null;
  difference_min: number | null;
  difference_max: number | null;
  ratio: number | null;
  ratio_min: number | null;
  ratio_max: number | null;
  rate_ratio: number | null;
  rate_ratio_min: number | null;
  rate_ratio_max: number | null;
}

export interface CompareOptions {
  by?: Dimension;
  per?: PerUnit;
  partial?: PartialPolicy;
}

export interface CompareResult {
  per: PerUnit;
  by?: Dimension;
  periods: PeriodEntry[];
  comparisons: Comparison[];
  caveats: Caveat[];
}

export function groupValue(r: AssetRecord, by: Dimension): string {
  return (by === 'unit' ? r.series.unit : r.series[by]) ?? '';
}

export function entryOf(result: TotalResult, per: PerUnit, group?: string): PeriodEntry {
  const scale = PER_DAYS[per];
  const covered = result.covered_days;
  // Per day of the covered period; none when nothing is covered or the series summed cover different days.
  const basis = result.rate_days;
  const rate = (v: number | null) => (v === null || !basis ? null : (v / basis) * scale);
  const entry: PeriodEntry = {
    period: result.period.label,
    start: result.period.start,
    end: result.period.end,
    days: result.days,
    covered_days: covered,
    total: result.total,
    total_min: result.total_min,
    total_max: result.total_max,
    rate: result.total === null ? null : rate(result.total),
    rate_min: rate(result.total_min),
    rate_max: rate(result.total_max),
    estimate: result.estimate,
    gaps: result.gaps,
    result,
  };
  if (group !== undefined) entry.group = group;
  return entry;
}

/** a − b, a ÷ b over intervals of non-negative numbers; null where unbounded or undefined. */
function intervalDiff(a: [number | null, number | null], b: [number | null, number | null]): [number | null, number | null] {
  const lo = a[0] === null || b[1] === null ? null : a[0] - b[1];
  const hi = a[1] === null || b[0] === null ? null : a[1] - b[0];
  return [lo, hi];
}

function intervalRatio(a: [number | null, number | null], b: [number | null, number | null]): [number | null, number | null] {
  const lo = a[0] === null || b[1] === null || b[1] === 0 ? null : a[0] / b[1];
  const hi = a[1] === null || b[0] === null || b[0] === 0 ? null : a[1] / b[0];
  return [lo, hi];
}

const exactOf = (r: [number | null, number | null]) => (r[0] !== null && r[0] === r[1] ? r[0] : null);

export function comparePair(a: PeriodEntry, b: PeriodEntry): Comparison {
  const diff = intervalDiff([a.total_min, a.total_max], [b.total_min, b.total_max]);
  const ratio = intervalRatio([a.total_min, a.total_max], [b.total_min, b.total_max]);
  const rateRatio = intervalRatio([a.rate_min, a.rate_max], [b.rate_min, b.rate_max]);
  const c: Comparison = {
    a: a.period, b: b.period,
    difference: a.estimate || b.estimate ? null : exactOf(diff), difference_min: diff[0], difference_max: diff[1],
    ratio: a.estimate || b.estimate ? null : exactOf(ratio), ratio_min: ratio[0], ratio_max: ratio[1],
    rate_ratio: a.estimate || b.estimate ? null : exactOf(rateRatio), rate_ratio_min: rateRatio[0], rate_ratio_max: rateRatio[1],
  };
  if (a.group !== undefined) c.group = a.group;
  return c;
}

/** The first period against each of the others, overall or per group of `by`. */
export function compare(records: AssetRecord[], periods: Period[], vintageOf: VintageOf, options: CompareOptions = {}): CompareResult {
  const per = options.per ?? 'day';
  const groups: (string | undefined)[] = options.by
    ? [...new Set(records.map((r) => groupValue(r, options.by!)))].sort()
    : [undefined];
  const entries: PeriodEntry[] = [];
  const comparisons: Comparison[] = [];
  for (const g of groups) {
    const subset = g === undefined ? records : records.filter((r) => groupValue(r, options.by!) === g);
    const row = totals(subset, periods, vintageOf, { partial: options.partial }).map((t) => entryOf(t, per, g));
    // A group with no data in any period says nothing: leave it out (the overall NO_DATA covers it).
    if (g !== undefined && row.every((e) => !e.result.has_data)) continue;
    append(entries, row);
    for (const other of row.slice(1)) comparisons.push(comparePair(row[0]!, other));
  }
  if (entries.length === 0) {
    // No data at all (a filter nothing matches): null figures and NO_DATA, never 0.
    const row = periods.map((p) => entryOf(total([], p, vintageOf, { partial: options.partial }), per));
    append(entries, row);
    for (const other of row.slice(1)) comparisons.push(comparePair(row[0]!, other));
  }
  const caveats = entries.flatMap((e) => e.result.caveats);
  return { per, by: options.by, periods: entries, comparisons, caveats: uniqueCaveats(caveats) };
}

/** What keeps a figure from being whole and exact, in a fixed order; none: it is complete. */
export const FIGURE_FLAGS = ['no_data', 'partial', 'range', 'estimate', 'approximate'] as const;
export type FigureFlag = (typeof FIGURE_FLAGS)[number];

export function figureFlags(t: { has_data: boolean; covered_days: number; days: number; total: number | null; estimate: boolean; approximate?: boolean }): FigureFlag[] {
  if (!t.has_data) return ['no_data'];
  const flags: FigureFlag[] = [];
  if (t.covered_days < t.days) flags.push('partial');
  if (t.total === null && !t.estimate) flags.push('range');
  if (t.estimate) flags.push('estimate');
  // The answer gives the period only roughly ("in the last year"): the days are not known.
  if (t.approximate) flags.push('approximate');
  return flags;
}

/** The `status` cell: the flags joined by `;` in FIGURE_FLAGS order, or `complete`. */
export function statusText(flags: Iterable<FigureFlag>): string {
  const set = new Set(flags);
  const list = FIGURE_FLAGS.filter((f) => set.has(f));
  return list.length ? list.join(';') : 'complete';
}
