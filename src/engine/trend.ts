// A series over time: one point per calendar period, each the total column of the summary engine
// (so a point and a `summary` or `compare` total for the same period never disagree), with its
// per-day rate, the value a chart draws (a part period's rate scaled to the whole period), and a
// spike judgement against a robust baseline. Pure: no I/O, no words.
import type { AssetRecord, Period } from '../model/model.js';
import type { PartialPolicy } from '../model/vocab.js';
import { dayOf, parseIsoDay } from './dates.js';
import { figureFlags, type FigureFlag } from './compare.js';
import { buckets, summarise, type SummaryResult } from './summary.js';
import type { Caveat, TotalResult, VintageOf } from './total.js';

import { DEFAULT_SPIKES, type SpikeOptions, type TrendBy } from '../model/trend-vocab.js';

export { DEFAULT_SPIKES, SPIKE_METHODS, TREND_BY, type SpikeMethod, type SpikeOptions, type TrendBy } from '../model/trend-vocab.js';

/** The robust scale's normal-consistency constant: 1.4826 × MAD estimates a standard deviation. */
export const MAD_SCALE = 1.4826;

/** What the spike rule sees of one period: its per-day rate, or bounds of it, and its days. */
export interface RateCell {
  /** The exact per-day rate; null for a range, no data or no rate. */
  rate: number | null;
  /** Bounds of a range (rate_max null: unbounded); both null when there is no rate at all. */
  rate_min: number | null;
  rate_max: number | null;
  /** Days of the period (the scale's floor is one item in this many days). */
  days: number;
}

export type SpikeStatus = 'spike' | 'none' | 'undetermined' | 'too_few_periods' | 'no_rate';

export interface SpikeJudgement {
  status: SpikeStatus;
  /** Median per-day rate of the baseline periods; null when not judged. */
  baseline: number | null;
  /** Median absolute deviation of the baseline rates from their median (per day). */
  mad: number | null;
  /** The scale the score divides by: max(1.4826 × MAD, one item in the period's days). */
  scale: number | null;
  /** How many periods the baseline holds. */
  periods: number;
  /** (rate − baseline) ÷ scale; for a range, the bounds of it (max null: unbounded). */
  score: number | null;
  score_min: number | null;
  score_max: number | null;
  /** rate ÷ baseline (null for a range, or a baseline of 0). */
  factor: number | null;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/**
 * The spike rule. For each period with a rate, the baseline is the exact per-day rates of the
 * other periods it is measured against (the `window` before it, or all the others), leaving out
 * gaps and ranges; its score is (rate − median) ÷ max(1.4826 × MAD, 1 ÷ days). The score is
 * unchanged by adding a constant to every rate (the median moves with it, the MAD does not), so
 * a uniformly higher series flags nothing new; the floor (one item in the period) keeps a
 * baseline of equal rates (MAD 0) from making every rise a spike. A range is a spike when even
 * its lower bound scores at or above the threshold, undetermined when only its upper bound does.
 */
export function judgeSpikes(cells: readonly RateCell[], options: SpikeOptions = DEFAULT_SPIKES): SpikeJudgement[] {
  return cells.map((cell, i) => {
    const none: SpikeJudgement = { status: 'no_rate', baseline: null, mad: null, scale: null, periods: 0, score: null, score_min: null, score_max: null, factor: null };
    if (cell.rate === null && cell.rate_min === null) return none;
    const others = options.method === 'others'
      ? cells.filter((_, j) => j !== i)
      : cells.slice(options.window > 0 ? Math.max(0, i - options.window) : 0, i);
    const base = others.map((c) => c.rate).filter((r): r is number => r !== null);
    if (base.length < Math.max(1, options.minPeriods)) return { ...none, status: 'too_few_periods', periods: base.length };
    const m = median(base);
    const mad = median(base.map((r) => Math.abs(r - m)));
    const scale = Math.max(MAD_SCALE * mad, 1 / cell.days);
    const scoreOf = (r: number) => (r - m) / scale;
    const judged = { baseline: m, mad, scale, periods: base.length };
    if (cell.rate !== null) {
      const score = scoreOf(cell.rate);
      return { ...judged, status: score >= options.threshold ? 'spike' : 'none', score, score_min: score, score_max: score, factor: m > 0 ? cell.rate / m : null };
    }
    const lo = scoreOf(cell.rate_min!);
    const hi = cell.rate_max === null ? null : scoreOf(cell.rate_max);
    const status: SpikeStatus = lo >= options.threshold ? 'spike' : hi === null || hi >= options.threshold ? 'undetermined' : 'none';
    return { ...judged, status, score: null, score_min: lo, score_max: hi, factor: null };
  });
}

export interface TrendPoint {
  period: Period;
  /** The engine's total for the period (the summary's total column). */
  total: TotalResult;
  flags: FigureFlag[];
  /** Per day, over the days the figures cover; null without a rate (no data, uneven coverage). */
  rate: number | null;
  rate_min: number | null;
  rate_max: number | null;
  /**
   * What a chart draws: the total for a period its figures cover whole; for a part period, the
   * per-day rate times the period's days (marked scaled); null when there is nothing to draw.
   */
  value: number | null;
  value_min: number | null;
  value_max: number | null;
  /** The value is a part period's rate scaled to the whole period. */
  scaled: boolean;
  spike: SpikeJudgement;
}

export interface TrendOptions {
  by: TrendBy;
  from?: Period;
  to?: Period;
  partial?: PartialPolicy;
  columnValues?: string[];
  spikes?: SpikeOptions;
}

export interface TrendResult {
  by: TrendBy;
  points: TrendPoint[];
  caveats: Caveat[];
  spikes: SpikeOptions;
  summary: SummaryResult;
}

/** One period of the engine's results as a point: its rate, the value drawn, its flags. */
export function pointOf(period: Period, total: TotalResult, { scale = true } = {}): Omit<TrendPoint, 'spike'> {
  const flags = figureFlags(total);
  const days = total.rate_days;
  const perDay = (n: number | null) => (n === null || !total.has_data || !days ? null : n / days);
  // An estimate (--partial prorate) with one value is drawn and judged as that value, marked.
  const point = total.total ?? (total.estimate && total.total_min !== null && total.total_min === total.total_max ? total.total_min : null);
  const rate = perDay(point);
  const rate_min = perDay(total.total_min);
  const rate_max = total.total_max === null ? null : perDay(total.total_max);
  const partial = total.has_data && total.covered_days < total.days;
  // A part period with a rate is drawn as that rate over the whole period; without a rate (the
  // series summed cover different days), or not to be scaled (rows by a dimension over a span
  // that is no one's period), as what was counted, marked partial.
  const scaled = scale && partial && !!days;
  const whole = (n: number | null) => (n === null ? null : scaled ? (n / days!) * total.days : n);
  return {
    period, total, flags, rate, rate_min, rate_max,
    value: total.has_data ? whole(point) : null,
    value_min: total.has_data ? whole(total.total_min) : null,
    value_max: total.has_data ? whole(total.total_max) : null,
    scaled,
  };
}

/** The cells the spike rule sees. */
export function rateCells(points: readonly Omit<TrendPoint, 'spike'>[]): RateCell[] {
  return points.map((p) => ({ rate: p.rate, rate_min: p.rate_min, rate_max: p.rate_max, days: p.total.days }));
}

/**
 * The span of whole periods that holds the records: from the first day of the period of the
 * first record's start to the last day of the period of the last record's end (so that a month
 * the answers cover to the 27th is a part month, not a shorter one).
 */
function wholeSpan(by: TrendBy, records: readonly AssetRecord[], from?: Period, to?: Period): { from?: Period; to?: Period } {
  if (records.length === 0 || (from && to)) return { from, to };
  let s = Infinity;
  let e = -Infinity;
  for (const r of records) {
    s = Math.min(s, dayOf(r.period.start));
    e = Math.max(e, dayOf(r.period.end));
  }
  const first = from ? parseIsoDay(from.start)! : s;
  const last = to ? parseIsoDay(to.end)! : e;
  if (first > last) return { from, to };
  const periods = buckets(by, first, last);
  return { from: from ?? periods[0], to: to ?? periods.at(-1) };
}

export function trend(records: AssetRecord[], vintageOf: VintageOf, options: TrendOptions): TrendResult {
  const spikes = options.spikes ?? DEFAULT_SPIKES;
  const span = wholeSpan(options.by, records, options.from, options.to);
  const summary = summarise(records, vintageOf, { by: options.by, from: span.from, to: span.to, partial: options.partial ?? 'exclude', columnValues: options.columnValues });
  const base = summary.rows.map((r) => pointOf(r.period, r.total));
  const judged = judgeSpikes(rateCells(base), spikes);
  const points = base.map((p, i) => ({ ...p, spike: judged[i]! }));
  return { by: options.by, points, caveats: summary.caveats, spikes, summary };
}

/** The points from the first to the last with data (the ones a chart shows), and how many are left off each end. */
export function shownPoints<T extends { total: TotalResult }>(points: readonly T[]): { shown: T[]; before: number; after: number } {
  let first = 0;
  let last = points.length - 1;
  while (first <= last && !points[first]!.total.has_data) first++;
  while (last >= first && !points[last]!.total.has_data) last--;
  if (first > last) return { shown: [], before: points.length, after: 0 };
  return { shown: points.slice(first, last + 1), before: first, after: points.length - 1 - last };
}
