// An incident log's series kept dense: its incidents per day over the log's span in one typed
// array, with running sums every CHECKPOINT days, instead of one record object per series and
// day. The engine totals it by differences of sums; day records are made from it only where they
// are shown (`records`) or where another input's records of the same series meet it.
import type { AssetRecord, Count, Period } from '../model/model.js';
import { type Day, formatDay } from './dates.js';

/** Days between two running sums: a total adds at most this many counts at each end. */
export const CHECKPOINT = 64;

/** A series' counts by day, in the narrowest array that holds them (one, two or eight bytes a day). */
export type DayCounts = Uint8Array | Uint16Array | Float64Array;

export interface DailyCounts {
  /** The log's span: a day of it with no count is a true zero. */
  start: Day;
  end: Day;
  /** Incidents on day `base + i` (the array may reach past the span; those days are zeros). */
  base: Day;
  counts: DayCounts;
  /** sums[k]: incidents on the days base .. base + k·CHECKPOINT − 1. */
  sums: Float64Array;
  /** The line of the series' first incident: the provenance of its day records. */
  line: number;
}

/** A record standing for a series' day records over a log's span: the series, the source, the span. */
export interface DailyRecord extends AssetRecord {
  daily: DailyCounts;
}

export function isDaily(r: AssetRecord): r is DailyRecord {
  return (r as Partial<DailyRecord>).daily !== undefined;
}

/** The running sums of a count array. */
export function checkpoints(counts: ArrayLike<number>): Float64Array {
  const n = Math.ceil(counts.length / CHECKPOINT);
  const sums = new Float64Array(n + 1);
  let acc = 0;
  for (let k = 0; k < n; k++) {
    sums[k] = acc;
    const to = Math.min(counts.length, (k + 1) * CHECKPOINT);
    for (let i = k * CHECKPOINT; i < to; i++) acc += counts[i]!;
  }
  sums[n] = acc;
  return sums;
}

/** Incidents on the days base .. base + i − 1 (i clipped to the array). */
function before(d: DailyCounts, i: number): number {
  if (i <= 0) return 0;
  const n = d.counts.length;
  if (i >= n) return d.sums[d.sums.length - 1]!;
  const k = Math.floor(i / CHECKPOINT);
  let s = d.sums[k]!;
  for (let j = k * CHECKPOINT; j < i; j++) s += d.counts[j]!;
  return s;
}

/** Incidents on the days a..b (inclusive) of the span. */
export function dailySum(d: DailyCounts, a: Day, b: Day): number {
  const s = Math.max(a, d.start);
  const e = Math.min(b, d.end);
  if (e < s) return 0;
  return before(d, e - d.base + 1) - before(d, s - d.base);
}

/** The count on one day of the span. */
export function dailyCount(d: DailyCounts, day: Day): number {
  const i = day - d.base;
  return i >= 0 && i < d.counts.length ? d.counts[i]! : 0;
}

// Day records are never changed once made: the days share one period object each, the figures
// one count object each (a big log's records stay small).
const dayPeriods = new Map<Day, Period>();
const dayCounts = new Map<number, { count: Count; raw: string }>();

function dayPeriod(d: Day): Period {
  let p = dayPeriods.get(d);
  if (!p) {
    const iso = formatDay(d);
    p = { start: iso, end: iso, label: iso, kind: 'day' };
    if (dayPeriods.size < 200_000) dayPeriods.set(d, p);
  }
  return p;
}

function countOf(n: number): { count: Count; raw: string } {
  let c = dayCounts.get(n);
  if (!c) {
    c = { count: { kind: 'exact', value: n, flags: [] }, raw: String(n) };
    if (dayCounts.size < 100_000) dayCounts.set(n, c);
  }
  return c;
}

/** The day record of one day of the span, as a log read one record per day gives it. */
export function dayRecord(r: DailyRecord, day: Day): AssetRecord {
  const period = dayPeriod(day);
  const { count, raw } = countOf(dailyCount(r.daily, day));
  return {
    series: r.series,
    period,
    count,
    provenance: { source_id: r.provenance.source_id, file: r.provenance.file, line: r.daily.line, column: 0, raw, row_label: period.label, column_label: 'incidents' },
  };
}

/** The day records of the days a..b of the span, in order. */
export function dayRecords(r: DailyRecord, a: Day = r.daily.start, b: Day = r.daily.end): AssetRecord[] {
  const out: AssetRecord[] = [];
  for (let d = Math.max(a, r.daily.start); d <= Math.min(b, r.daily.end); d++) out.push(dayRecord(r, d));
  return out;
}

/** Records with every dense series made day records again (what `records` shows), in order. */
export function expandDaily(records: readonly AssetRecord[]): AssetRecord[] {
  if (!records.some(isDaily)) return records as AssetRecord[];
  const out: AssetRecord[] = [];
  for (const r of records) {
    if (isDaily(r)) for (const x of dayRecords(r)) out.push(x);
    else out.push(r);
  }
  return out;
}

/** How many day records the records stand for. */
export function dayRecordCount(records: readonly AssetRecord[]): number {
  let n = 0;
  for (const r of records) n += isDaily(r) ? r.daily.end - r.daily.start + 1 : 1;
  return n;
}
