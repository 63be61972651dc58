// The total engine (design §4): for a period and a set of records, the one non-overlapping set
// of records that covers the most days (newer vintages, then coarser records, winning ties), the
// gaps left, the straddlers and what was done with them, revisions and inconsistencies — all as
// data. Pure: no I/O, no words (formatters turn caveat codes into sentences).
import type { AssetRecord, Period, Series, Source } from '../model/model.js';
import type { PartialPolicy } from '../model/vocab.js';
import type { Caveat, RecordRef } from '../model/caveats.js';
import { countBounds } from './count.js';
import { type Day, dayOf, formatDay } from './dates.js';
import { type DailyRecord, dailySum, dayRecord, dayRecords, isDaily } from './daily.js';
import { append } from './arrays.js';

// The caveat types are the model's (one shape per code); re-exported for the engine's users.
export type { Caveat, CaveatCode, RecordRef } from '../model/caveats.js';

export interface Interval { start: string; end: string }

export interface TotalResult {
  period: Period;
  days: number;
  /** The exact total, or null when uncertain (suppressed cells, prorating) or no data. */
  total: number | null;
  total_min: number | null;
  /** null with data present: no upper bound (a `[c]` cell with no stated threshold). */
  total_max: number | null;
  has_data: boolean;
  estimate: boolean;
  /** A record used has a period the answer gives only roughly ("in the last year"): the days are not known. */
  approximate: boolean;
  /** Days covered by the records used (for several series: days every one of them covers). */
  covered_days: number;
  /**
   * The days a per-day rate divides by: covered_days, or null when the series summed cover
   * different days (a rate of their sum would divide one series' figures by another's days).
   */
  rate_days: number | null;
  gaps: Interval[];
  chosen: AssetRecord[];
  caveats: Caveat[];
}

export interface TotalOptions {
  partial?: PartialPolicy;
}

/** Newer is larger: answered/reported date, then position on the command line. */
export type VintageOf = (r: AssetRecord) => { date: string | null; position: number };

export function vintageLookup(sources: Source[]): VintageOf {
  const byId = new Map(sources.map((s) => [s.id, s.vintage]));
  return (r) => byId.get(r.provenance.source_id) ?? { date: null, position: 0 };
}

function compareVintage(a: { date: string | null; position: number }, b: { date: string | null; position: number }): number {
  if (a.date && b.date && a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.date && !b.date) return 1;
  if (!a.date && b.date) return -1;
  return a.position - b.position;
}

// Records of one series often share their series object (incident logs do): key it once.
const seriesKeys = new WeakMap<object, string>();

export function seriesKey(r: AssetRecord): string {
  const s = r.series;
  let key = seriesKeys.get(s);
  if (key === undefined) {
    key = [s.department, s.category, s.status, s.unit ?? '', s.item ?? ''].join('|');
    seriesKeys.set(s, key);
  }
  return key;
}

export function seriesName(r: AssetRecord): string {
  const s = r.series;
  return [s.department, s.category, s.status, s.unit, s.item].filter(Boolean).join(' ');
}

function valueText(r: AssetRecord): string {
  const c = r.count;
  if (c.kind === 'exact') return String(c.value);
  if (c.kind === 'suppressed') return c.max === null ? `${c.min} or more (suppressed)` : `${c.min}–${c.max} (suppressed)`;
  return 'not available';
}

export function refOf(r: AssetRecord): RecordRef {
  return {
    source_id: r.provenance.source_id, label: r.period.label, start: r.period.start, end: r.period.end,
    value: valueText(r), file: r.provenance.file, line: r.provenance.line, series: seriesName(r),
    ...(r.period.approximate ? { approximate: true as const } : {}),
  };
}

interface Candidate {
  record: AssetRecord;
  start: Day;
  end: Day;
  /** Rank of its vintage among the candidates (0 oldest). */
  rank: number;
  /** The figure it contributes: whole, or pro rata for a prorated straddler. */
  min: number;
  max: number | null;
  estimate: boolean;
}

const day = dayOf;

/**
 * Chooses the non-overlapping candidates that cover the most days; ties go to newer vintages
 * (days weighted by vintage rank), then to fewer records. Weighted interval scheduling with a
 * lexicographic score, O(n log n).
 */
export function chooseCover<T extends { start: Day; end: Day; rank: number }>(items: T[]): T[] {
  const sorted = [...items].sort((a, b) => a.end - b.end || a.start - b.start);
  const n = sorted.length;
  type Score = [number, number, number];
  const better = (a: Score, b: Score) => a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] > b[2];
  const best: Score[] = [[0, 0, 0]];
  const take: boolean[] = [false];
  const prevIdx: number[] = [0];
  for (let i = 1; i <= n; i++) {
    const it = sorted[i - 1]!;
    // p: number of items (in sorted order) that end before this one starts.
    let lo = 0;
    let hi = i - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (sorted[mid - 1]!.end < it.start) lo = mid;
      else hi = mid - 1;
    }
    const len = it.end - it.start + 1;
    const base = best[lo]!;
    const withIt: Score = [base[0] + len, base[1] + len * it.rank, base[2] - 1];
    if (better(withIt, best[i - 1]!)) {
      best.push(withIt);
      take.push(true);
    } else {
      best.push(best[i - 1]!);
      take.push(false);
    }
    prevIdx.push(lo);
  }
  const chosen: T[] = [];
  for (let i = n; i > 0;) {
    if (take[i]) {
      chosen.push(sorted[i - 1]!);
      i = prevIdx[i]!;
    } else i--;
  }
  return chosen.reverse();
}

/** Uncovered ranges of [start, end] given intervals (`sorted`: already in order of start). */
function gapsOf(start: Day, end: Day, covered: { start: Day; end: Day }[], sorted = false): { start: Day; end: Day }[] {
  const gaps: { start: Day; end: Day }[] = [];
  let cursor = start;
  for (const c of sorted ? covered : [...covered].sort((a, b) => a.start - b.start)) {
    const s = Math.max(c.start, start);
    const e = Math.min(c.end, end);
    if (e < s) continue;
    if (s > cursor) gaps.push({ start: cursor, end: s - 1 });
    cursor = Math.max(cursor, e + 1);
  }
  if (cursor <= end) gaps.push({ start: cursor, end });
  return gaps;
}

/** Days of [start, end] inside the union of intervals (`sorted`: already in order of start). */
function coveredWithin(start: Day, end: Day, intervals: { start: Day; end: Day }[], sorted = false): number {
  const len = end - start + 1;
  return len - gapsOf(start, end, intervals, sorted).reduce((n, g) => n + g.end - g.start + 1, 0);
}

/** Index of the first of disjoint intervals sorted by start (so by end too) that ends on or after `day`. */
function firstEndingFrom<T extends { end: Day }>(sorted: T[], day: Day): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.end < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The chosen records (disjoint, sorted) that share a day with [start, end], in their order: a
 * binary search and a walk, not a filter of them all (which made two overlapping answers n²).
 */
export function overlapping<T extends { start: Day; end: Day }>(chosen: T[], start: Day, end: Day): T[] {
  const out: T[] = [];
  for (let i = firstEndingFrom(chosen, start); i < chosen.length && chosen[i]!.start <= end; i++) out.push(chosen[i]!);
  return out;
}

/**
 * For each of disjoint intervals sorted by start, the items that lie inside it (and pass `keep`),
 * in the items' own order: what a filter of every item per interval gives, by a sort and a walk
 * (an item inside an interval starts within it, and the intervals are disjoint: each item is
 * looked at once).
 */
export function insideEach<K extends { start: Day; end: Day }, T extends { start: Day; end: Day }>(sorted: K[], items: T[], keep: (item: T, k: K) => boolean = () => true): T[][] {
  const order = items.map((c, i) => ({ c, i })).sort((a, b) => a.c.start - b.c.start || a.i - b.i);
  return sorted.map((k) => {
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order[mid]!.c.start < k.start) lo = mid + 1;
      else hi = mid;
    }
    const found: { c: T; i: number }[] = [];
    for (let j = lo; j < order.length && order[j]!.c.start <= k.end; j++) {
      const x = order[j]!;
      if (x.c.end <= k.end && keep(x.c, k)) found.push(x);
    }
    return found.sort((a, b) => a.i - b.i).map((x) => x.c);
  });
}

/** Days of [start, end] the chosen records (disjoint, sorted) cover. */
function coveredByChosen(chosen: Candidate[], start: Day, end: Day): number {
  let n = 0;
  for (let i = firstEndingFrom(chosen, start); i < chosen.length && chosen[i]!.start <= end; i++) {
    n += Math.min(chosen[i]!.end, end) - Math.max(chosen[i]!.start, start) + 1;
  }
  return n;
}

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

/** A total order on records by what they are (period, source, position, figure), not by input order. */
function byIdentity(a: AssetRecord, b: AssetRecord): number {
  return cmp(a.period.start, b.period.start) || cmp(a.period.end, b.period.end)
    || cmp(a.provenance.source_id, b.provenance.source_id) || cmp(a.provenance.file, b.provenance.file)
    || a.provenance.line - b.provenance.line || a.provenance.column - b.provenance.column
    || cmp(JSON.stringify(a.count), JSON.stringify(b.count)) || cmp(seriesKey(a), seriesKey(b));
}

/** The total of one series over a period. */
export function totalSeries(records: AssetRecord[], period: Period, vintageOf: VintageOf, options: TotalOptions = {}): TotalResult {
  const policy = options.partial ?? 'error';
  const qs = day(period.start);
  const qe = day(period.end);
  if (records.some(isDaily)) {
    // A log's series alone: by its running sums. Beside other records of the same series: as
    // the day records it stands for (those of the period), through the paths below.
    if (records.length === 1) return denseTotal(records[0] as DailyRecord, period, qs, qe);
    return totalSeries(dayRecordsWithin(records, qs, qe), period, vintageOf, options);
  }
  const daily = dailyTotal(records, period, qs, qe);
  if (daily) return daily;
  const caveats: Caveat[] = [];
  const label = period.label;
  const { inside, straddlers } = meeting(records, qs, qe);
  const disjoint = straddlers.length === 0 ? disjointCover(records, inside) : undefined;
  if (disjoint) return coverTotal(records, period, qs, qe, disjoint, caveats);
  // Missing values cover nothing: their days stay gaps (never 0).
  const missing: Span[] = [];
  const usable = inside.filter((r) => {
    if (r.count.kind !== 'missing') return true;
    missing.push({ record: r, start: day(r.period.start), end: day(r.period.end) });
    return false;
  });
  const toCandidate = candidateMaker([...usable, ...straddlers], vintageOf, qs, qe);
  const candidates = usable.map((r) => toCandidate(r));
  const straddling = placeStraddlers(straddlers, candidates, missing, toCandidate, period, policy, caveats);
  const chosen = chooseCover(candidates);
  const chosenSet = new Set(chosen);
  reportStraddlers(straddling, chosen, chosenSet, label, policy, caveats);
  reportRevisions(candidates, chosenSet, label, caveats);
  reportOverlaps(candidates.filter((c) => !straddling.has(c)), chosen, label, caveats);
  reportTilings(chosen.filter((k) => !straddling.has(k)), candidates.filter((c) => !chosenSet.has(c) && !straddling.has(c)), label, caveats);
  for (const m of missing) {
    if (coveredByChosen(chosen, m.start, m.end) === m.end - m.start + 1) continue;
    caveats.push({ code: 'MISSING_VALUE', severity: 'warning', period: label, series: seriesName(m.record), record: refOf(m.record) });
  }
  return coverTotal(records, period, qs, qe, chosen, caveats);
}

/**
 * The common case of an answer's series, with no candidates to weigh: no missing figure, none
 * crossing an end of the period, and no two inside it sharing a day (one answer's months). The
 * cover is all of them, in order, and nothing is left out to report — what the general path
 * gives for them (a property test compares the two). Undefined otherwise.
 */
function disjointCover(records: AssetRecord[], inside: AssetRecord[]): Candidate[] | undefined {
  for (const r of records) if (r.count.kind === 'missing') return undefined;
  const cover: Candidate[] = [];
  for (const r of inside) {
    const b = countBounds(r.count)!;
    cover.push({ record: r, start: day(r.period.start), end: day(r.period.end), rank: 0, min: b.min, max: b.max, estimate: false });
  }
  // `inside` is in order of first day already (meeting's order starts with it).
  for (let i = 1; i < cover.length; i++) if (cover[i]!.start <= cover[i - 1]!.end) return undefined;
  return cover;
}

/** A series' total from its cover (disjoint, in order): its gaps, then what its records say of themselves. */
function coverTotal(records: AssetRecord[], period: Period, qs: Day, qe: Day, chosen: Candidate[], caveats: Caveat[]): TotalResult {
  const label = period.label;
  const gaps = gapsOf(qs, qe, chosen, true).map((g) => ({ start: formatDay(g.start), end: formatDay(g.end) }));
  for (const g of gaps) {
    if (records.length > 0) caveats.push({ code: 'GAP', severity: 'warning', period: label, series: seriesName(records[0]!), start: g.start, end: g.end });
  }
  return { period, days: qe - qs + 1, ...sumOfChosen(chosen, label, caveats), gaps, chosen: chosen.map((c) => c.record), caveats };
}

/** A record and the days of it that count (clipped to the period for a straddler). */
interface Span { record: AssetRecord; start: Day; end: Day }

/**
 * The records that meet [qs, qe]: those inside it and those that cross one of its ends, in a
 * fixed order of their own (not the inputs'), so ties and caveats never depend on input order.
 */
function meeting(records: AssetRecord[], qs: Day, qe: Day): { inside: AssetRecord[]; straddlers: AssetRecord[] } {
  const inside: AssetRecord[] = [];
  const straddlers: AssetRecord[] = [];
  for (const r of [...records].sort(byIdentity)) {
    const s = day(r.period.start);
    const e = day(r.period.end);
    if (e < qs || s > qe) continue;
    if (s >= qs && e <= qe) inside.push(r);
    else straddlers.push(r);
  }
  return { inside, straddlers };
}

/** Records as candidates for the cover, ranked by their answer's vintage (newest last). */
function candidateMaker(records: AssetRecord[], vintageOf: VintageOf, qs: Day, qe: Day): (r: AssetRecord, clip?: boolean) => Candidate {
  const ranks = [...new Map(records.map((r) => [r.provenance.source_id, vintageOf(r)])).entries()]
    .sort((a, b) => compareVintage(a[1], b[1]) || cmp(a[0], b[0]))
    .map(([id], i) => [id, i] as const);
  const rankOf = new Map(ranks);
  return (r, clip = false) => {
    const b = countBounds(r.count)!;
    const s = day(r.period.start);
    const e = day(r.period.end);
    const cs = clip ? Math.max(s, qs) : s;
    const ce = clip ? Math.min(e, qe) : e;
    return { record: r, start: cs, end: ce, rank: rankOf.get(r.provenance.source_id) ?? 0, min: b.min, max: b.max, estimate: false };
  };
}

/**
 * What each record crossing an end of the period does under the policy: nothing when the
 * records inside cover its days, a caveat (error, excluded), or a candidate (include, prorate:
 * clipped to the period, scaled by its share of days). Returns the candidates added, with the
 * boundary each crosses: their caveat depends on whether the cover uses them.
 */
function placeStraddlers(straddlers: AssetRecord[], candidates: Candidate[], missing: Span[], toCandidate: (r: AssetRecord, clip?: boolean) => Candidate, period: Period, policy: PartialPolicy, caveats: Caveat[]): Map<Candidate, string> {
  const qs = day(period.start);
  const qe = day(period.end);
  const label = period.label;
  const insideCover = candidates.map((c) => ({ start: c.start, end: c.end })).sort((a, b) => a.start - b.start);
  const straddling = new Map<Candidate, string>();
  for (const r of straddlers) {
    const s = Math.max(day(r.period.start), qs);
    const e = Math.min(day(r.period.end), qe);
    const boundary = day(r.period.start) < qs ? period.start : period.end;
    const ref = refOf(r);
    if (coveredWithin(s, e, insideCover, true) === e - s + 1) {
      caveats.push({ code: 'REDUNDANT_OVERLAP', severity: 'info', period: label, series: ref.series, record: ref, boundary });
      continue;
    }
    if (r.count.kind === 'missing') {
      missing.push({ record: r, start: s, end: e });
      continue;
    }
    if (policy === 'error') {
      caveats.push({ code: 'STRADDLES', severity: 'error', period: label, series: ref.series, record: ref, boundary });
    } else if (policy === 'exclude') {
      caveats.push({ code: 'PARTIAL_EXCLUDED', severity: 'warning', period: label, series: ref.series, record: ref, boundary });
    } else {
      const c = toCandidate(r, true);
      if (policy === 'prorate') {
        const share = (e - s + 1) / (day(r.period.end) - day(r.period.start) + 1);
        c.min *= share;
        c.max = c.max === null ? null : c.max * share;
        c.estimate = true;
      }
      straddling.set(c, boundary);
      candidates.push(c);
    }
  }
  return straddling;
}

/** Each straddler in play: used (included, prorated), already stood for, or overlapping the records used. */
function reportStraddlers(straddling: Map<Candidate, string>, chosen: Candidate[], chosenSet: Set<Candidate>, label: string, policy: PartialPolicy, caveats: Caveat[]): void {
  for (const [c, boundary] of straddling) {
    const ref = refOf(c.record);
    const base = { period: label, series: ref.series, record: ref, boundary };
    if (chosenSet.has(c)) {
      if (policy === 'include') caveats.push({ code: 'PARTIAL_INCLUDED', severity: 'warning', ...base });
      else caveats.push({ code: 'PRORATED', severity: 'warning', ...base, start: formatDay(c.start), end: formatDay(c.end) });
    } else if (coveredByChosen(chosen, c.start, c.end) === c.end - c.start + 1) {
      // Another record (a newer one, or one with more days inside) already stands for these days.
      caveats.push({ code: 'REDUNDANT_OVERLAP', severity: 'info', ...base });
    } else {
      const other = overlapping(chosen, c.start, c.end)[0];
      caveats.push({ code: 'OVERLAP', severity: 'info', ...base, other: other ? refOf(other.record) : undefined, relation: 'crosses', ...(other ? newerOf(c, other) : {}) });
    }
  }
}

/** The cover's figures added up (an interval), and what its records say of themselves (suppressed, their words). */
function sumOfChosen(chosen: Candidate[], label: string, caveats: Caveat[]): Omit<TotalResult, 'period' | 'days' | 'gaps' | 'chosen' | 'caveats'> {
  let min = 0;
  let max: number | null = 0;
  let estimate = false;
  for (const c of chosen) {
    min += c.min;
    max = max === null || c.max === null ? null : max + c.max;
    estimate ||= c.estimate;
    if (c.record.count.kind === 'suppressed') caveats.push({ code: 'SUPPRESSED', severity: 'info', period: label, series: seriesName(c.record), record: refOf(c.record) });
    append(caveats, wordsCaveats(c.record, label));
  }
  const hasData = chosen.length > 0;
  const exact = hasData && !estimate && max === min;
  const covered = chosen.reduce((n, c) => n + c.end - c.start + 1, 0);
  return {
    total: exact ? min : null,
    total_min: hasData ? min : null,
    total_max: hasData ? max : null,
    has_data: hasData,
    estimate,
    approximate: chosen.some((c) => c.record.period.approximate === true),
    covered_days: covered,
    rate_days: covered,
  };
}

/**
 * The common case of an incident log's series, in O(n log n) with no candidates: exact one-day
 * records from one source, no two on the same day. None can straddle, overlap, revise or be
 * missing, so the cover is every record inside the period and the caveats are its gaps — what
 * the general path gives for them (a property test compares the two). Undefined otherwise.
 */
function dailyTotal(records: AssetRecord[], period: Period, qs: Day, qe: Day): TotalResult | undefined {
  if (records.length === 0) return undefined;
  const source = records[0]!.provenance.source_id;
  const inside: { d: Day; r: AssetRecord }[] = [];
  for (const r of records) {
    if (r.period.start !== r.period.end || r.count.kind !== 'exact' || r.provenance.source_id !== source) return undefined;
    const d = day(r.period.start);
    if (d >= qs && d <= qe) inside.push({ d, r });
  }
  inside.sort((a, b) => a.d - b.d);
  let sum = 0;
  const gaps: Interval[] = [];
  let cursor = qs;
  for (let i = 0; i < inside.length; i++) {
    const { d, r } = inside[i]!;
    if (i > 0 && inside[i - 1]!.d === d) return undefined;
    if (d > cursor) gaps.push({ start: formatDay(cursor), end: formatDay(d - 1) });
    cursor = d + 1;
    sum += (r.count as { value: number }).value;
  }
  if (cursor <= qe) gaps.push({ start: formatDay(cursor), end: formatDay(qe) });
  const series = gaps.length ? seriesName(records[0]!) : '';
  const hasData = inside.length > 0;
  return {
    period, days: qe - qs + 1,
    total: hasData ? sum : null,
    total_min: hasData ? sum : null,
    total_max: hasData ? sum : null,
    has_data: hasData,
    estimate: false,
    approximate: false,
    covered_days: inside.length,
    rate_days: inside.length,
    gaps,
    chosen: inside.map((x) => x.r),
    caveats: gaps.map((g) => ({ code: 'GAP' as const, severity: 'warning' as const, period: period.label, series, start: g.start, end: g.end })),
  };
}

/**
 * A dense series' total over a period, as dailyTotal gives it for the day records it stands for
 * (a property test compares the two): the sum by two running sums, the gaps where the period
 * reaches past the log's span, the day records used made only if asked for.
 */
function denseTotal(r: DailyRecord, period: Period, qs: Day, qe: Day): TotalResult {
  const d = r.daily;
  const s = Math.max(qs, d.start);
  const e = Math.min(qe, d.end);
  const hasData = s <= e;
  const gaps: Interval[] = [];
  if (!hasData) gaps.push({ start: formatDay(qs), end: formatDay(qe) });
  else {
    if (qs < s) gaps.push({ start: formatDay(qs), end: formatDay(s - 1) });
    if (e < qe) gaps.push({ start: formatDay(e + 1), end: formatDay(qe) });
  }
  const sum = hasData ? dailySum(d, s, e) : null;
  const covered = hasData ? e - s + 1 : 0;
  const series = gaps.length ? seriesName(r) : '';
  return withChosen({
    period, days: qe - qs + 1,
    total: sum,
    total_min: sum,
    total_max: sum,
    has_data: hasData,
    estimate: false,
    approximate: false,
    covered_days: covered,
    rate_days: covered,
    gaps,
    caveats: gaps.map((g) => ({ code: 'GAP' as const, severity: 'warning' as const, period: period.label, series, start: g.start, end: g.end })),
  }, () => (hasData ? dayRecords(r, s, e) : []));
}

/**
 * The records with each dense series made the day records it has in [qs, qe]; when none of them
 * has a day there, one day record still stands for the series (records of a series that meet no
 * day of the period still name it in its caveats).
 */
function dayRecordsWithin(records: AssetRecord[], qs: Day, qe: Day): AssetRecord[] {
  const out: AssetRecord[] = [];
  for (const r of records) {
    if (!isDaily(r)) out.push(r);
    else for (const x of dayRecords(r, qs, qe)) out.push(x);
  }
  if (out.length === 0) out.push(dayRecord(records[0] as DailyRecord, (records[0] as DailyRecord).daily.start));
  return out;
}

/**
 * A result whose `chosen` records are made when first read (a log's day records are many). Also
 * gives a result already made a new way to make them, so that it no longer holds what it was
 * made from.
 */
export function withChosen(result: Omit<TotalResult, 'chosen'>, make: () => AssetRecord[]): TotalResult {
  return new LazyChosen(result, make);
}

/**
 * The getter is the class's, not the object's: a getter of an object's own puts it in dictionary
 * mode, five times the memory (and a summary of a wide log makes months × series of them).
 * `chosen` is therefore not an own property: a copy of a result takes it explicitly.
 */
// The fields, which the constructor assigns, declared for the type checker.
interface LazyChosen extends Omit<TotalResult, 'chosen'> {}
class LazyChosen {
  #make: () => AssetRecord[];
  #value: AssetRecord[] | undefined;
  constructor(f: Omit<TotalResult, 'chosen'>, make: () => AssetRecord[]) {
    // Field by field, in TotalResult's order (Object.assign put most of them in a second store).
    this.period = f.period;
    this.days = f.days;
    this.total = f.total;
    this.total_min = f.total_min;
    this.total_max = f.total_max;
    this.has_data = f.has_data;
    this.estimate = f.estimate;
    this.approximate = f.approximate;
    this.covered_days = f.covered_days;
    this.rate_days = f.rate_days;
    this.gaps = f.gaps;
    this.caveats = f.caveats;
    this.#make = make;
  }
  get chosen(): AssetRecord[] {
    return (this.#value ??= this.#make());
  }
  set chosen(value: AssetRecord[]) {
    this.#value = value;
  }
}

/** What a record's words say of it: a period given only roughly, read from the answer's text, a figure read from a sentence. */
function wordsCaveats(r: AssetRecord, label: string): Caveat[] {
  // One caveat per answer, not per figure: every record of an answer shares its words.
  const out: Caveat[] = [];
  const at = { period: label, source: r.provenance.source_id, words: r.period.label, start: r.period.start, end: r.period.end };
  if (r.period.approximate) out.push({ code: 'APPROXIMATE_PERIOD', severity: 'warning', ...at });
  else if (r.provenance.period_from) out.push({ code: 'PERIOD_FROM_WORDS', severity: 'info', ...at, from: r.provenance.period_from });
  if (r.count.flags.includes('from-text')) out.push({ code: 'FROM_TEXT', severity: 'info', ...at });
  return out;
}

const sameExtent = (a: AssetRecord, b: AssetRecord) => a.period.start === b.period.start && a.period.end === b.period.end;
const sameValue = (a: Candidate, b: Candidate) => a.min === b.min && a.max === b.max;

/**
 * Records of the same period with different values: a revision from each older figure to the
 * next newer one (whichever of them the cover uses); two figures in one source: an inconsistency.
 */
function reportRevisions(candidates: Candidate[], chosen: Set<Candidate>, label: string, caveats: Caveat[]): void {
  // By first day, then last day (the period's own strings: their hashes are kept).
  const groups = new Map<string, Map<string, Candidate[]>>();
  const inOrder: Candidate[][] = [];
  for (const c of candidates) {
    const p = c.record.period;
    let byEnd = groups.get(p.start);
    if (!byEnd) groups.set(p.start, (byEnd = new Map()));
    let g = byEnd.get(p.end);
    if (!g) {
      byEnd.set(p.end, (g = []));
      inOrder.push(g);
    }
    g.push(c);
  }
  for (const g of inOrder) {
    if (g.length < 2) continue;
    const byAge = [...g].sort((a, b) => a.rank - b.rank);
    for (let i = 1; i < byAge.length; i++) {
      const older = byAge[i - 1]!;
      const newer = byAge[i]!;
      if (sameValue(older, newer)) continue;
      const ref = refOf(older.record);
      if (older.rank === newer.rank) {
        caveats.push({ code: 'INCONSISTENCY', severity: 'warning', period: label, series: ref.series, record: ref, other: refOf(newer.record) });
      } else {
        caveats.push({ code: 'REVISION', severity: 'info', period: label, series: ref.series, record: ref, other: refOf(newer.record), counted: chosen.has(newer) });
      }
    }
  }
}

/** Interval sum of candidates' figures (max null when any is unbounded). */
function sumOf(items: Candidate[]): { min: number; max: number | null } {
  const min = items.reduce((n, k) => n + k.min, 0);
  const max = items.some((k) => k.max === null) ? null : items.reduce((n, k) => n + (k.max ?? 0), 0);
  return { min, max };
}

/** Whether the used record comes from a newer answer than the one left out (nothing for the same answer). */
function newerOf(leftOut: Candidate, used: Candidate): { newer?: boolean } {
  return leftOut.rank === used.rank ? {} : { newer: used.rank > leftOut.rank };
}

/** Every candidate left out of the cover, against the chosen records it overlaps. */
function reportOverlaps(candidates: Candidate[], chosen: Candidate[], label: string, caveats: Caveat[]): void {
  const chosenSet = new Set(chosen);
  for (const c of candidates) {
    if (chosenSet.has(c)) continue;
    const over = overlapping(chosen, c.start, c.end);
    if (over.length === 0) continue;
    // The same period used from another answer: a revision (reported above) or the same figure.
    if (over.some((k) => sameExtent(k.record, c.record))) continue;
    const ref = refOf(c.record);
    const base = { period: label, series: ref.series, record: ref };
    const whole = over.find((k) => k.start <= c.start && k.end >= c.end);
    if (whole) {
      // A part larger than its whole cannot be right.
      const inconsistent = whole.max !== null && c.min > whole.max;
      const other = refOf(whole.record);
      if (inconsistent) caveats.push({ code: 'INCONSISTENCY', severity: 'warning', ...base, other, relation: 'inside', ...newerOf(c, whole) });
      else caveats.push({ code: 'OVERLAP', severity: 'info', ...base, other, relation: 'inside', ...newerOf(c, whole) });
      continue;
    }
    const parts = over.filter((k) => k.start >= c.start && k.end <= c.end);
    const sum = sumOf(parts);
    const tiles = parts.length === over.length && coveredWithin(c.start, c.end, parts, true) === c.end - c.start + 1;
    // Parts that add up to more than their whole, or (when they tile it) to less.
    const tooMuch = c.max !== null && sum.min > c.max;
    const tooLittle = tiles && sum.max !== null && sum.max < c.min;
    if (tooMuch || tooLittle) {
      caveats.push({ code: 'INCONSISTENCY', severity: 'warning', ...base, other: refOf(parts[0]!.record), relation: 'contains', parts: parts.map((k) => refOf(k.record)), parts_min: sum.min, parts_max: sum.max });
      continue;
    }
    if (tiles) {
      caveats.push({ code: 'OVERLAP', severity: 'info', ...base, other: refOf(parts[0]!.record), relation: 'contains', ...newerOf(c, parts[0]!), parts: parts.map((k) => refOf(k.record)), parts_min: sum.min, parts_max: sum.max });
      continue;
    }
    caveats.push({ code: 'OVERLAP', severity: 'info', ...base, other: refOf(over[0]!.record), relation: 'crosses', ...newerOf(c, over[0]!) });
  }
}

/**
 * A chosen record whose left-out parts (months beside the year that is used) add up to more
 * than it, or tile it and add up to less: an inconsistency, reported once on the whole.
 */
function reportTilings(chosen: Candidate[], leftOut: Candidate[], label: string, caveats: Caveat[]): void {
  const inside = insideEach(chosen, leftOut, (c, k) => !sameExtent(c.record, k.record));
  for (const [ki, k] of chosen.entries()) {
    const inner = inside[ki]!;
    if (inner.length === 0) continue;
    // A single part larger than the whole is already reported on the part.
    if (k.max !== null && inner.some((c) => c.min > k.max!)) continue;
    const parts = chooseCover(inner);
    const sum = sumOf(parts);
    const tiles = coveredWithin(k.start, k.end, parts) === k.end - k.start + 1;
    const tooMuch = k.max !== null && sum.min > k.max;
    const tooLittle = tiles && sum.max !== null && sum.max < k.min;
    if (!tooMuch && !tooLittle) continue;
    const ref = refOf(k.record);
    caveats.push({
      code: 'INCONSISTENCY', severity: 'warning', period: label, series: ref.series, record: ref, other: refOf(parts[0]!.record),
      relation: 'contains', parts: parts.map((c) => refOf(c.record)), parts_min: sum.min, parts_max: sum.max,
    });
  }
}

/**
 * The total over several series (say, every category): each series totalled on its own, then
 * added. Series with no record touching the period take no part.
 */
export function total(records: AssetRecord[], period: Period, vintageOf: VintageOf, options: TotalOptions = {}): TotalResult {
  return totals(records, [period], vintageOf, options)[0]!;
}

/** `total` over each of the periods, from one pass over the records. */
export function totals(records: AssetRecord[], periods: Period[], vintageOf: VintageOf, options: TotalOptions = {}): TotalResult[] {
  return groupsBySeries(records, periods).map((groups, k) => {
    const parts: TotalResult[] = [];
    eachTotalOf(groups, periods[k]!, vintageOf, options, (_, t) => parts.push(t));
    return combine(periods[k]!, parts);
  });
}

/**
 * Each series' own total over the period, keyed and ordered by series. `total` adds them all;
 * a pivot adds a column's worth for a cell and all of them for the row, computing each once.
 */
export function totalsBySeries(records: AssetRecord[], period: Period, vintageOf: VintageOf, options: TotalOptions = {}): Map<string, TotalResult> {
  const out = new Map<string, TotalResult>();
  eachSeriesTotal(records, period, vintageOf, options, (k, t) => out.set(k, t));
  return out;
}

/** Each series' own total over the period, handed to `visit` in the order of their keys (totalsBySeries). */
export function eachSeriesTotal(records: AssetRecord[], period: Period, vintageOf: VintageOf, options: TotalOptions, visit: (seriesKey: string, total: TotalResult) => void): void {
  eachTotalOf(groupsBySeries(records, [period])[0]!, period, vintageOf, options, visit);
}

/** Each group's total over the period, in the order of the series' keys. */
function eachTotalOf(groups: Map<string, AssetRecord[]>, period: Period, vintageOf: VintageOf, options: TotalOptions, visit: (seriesKey: string, total: TotalResult) => void): void {
  for (const k of [...groups.keys()].sort()) visit(k, totalSeries(groups.get(k)!, period, vintageOf, options));
}

/**
 * For each period, the records that meet it, by series key: one pass over the records however
 * many periods there are (a comparison's), not one each.
 */
function groupsBySeries(records: AssetRecord[], periods: Period[]): Map<string, AssetRecord[]>[] {
  const groups = periods.map(() => new Map<string, AssetRecord[]>());
  // Records come in runs of one series object: its key is made once a run, and its group in
  // each period looked up once a run.
  let last: Series | undefined;
  let key = '';
  const current: (AssetRecord[] | undefined)[] = periods.map(() => undefined);
  for (let i = 0; i < records.length; i++) {
    // By index: `for...of` makes an iterator result for each of a million records.
    const r = records[i]!;
    const { start, end } = r.period;
    for (let k = 0; k < periods.length; k++) {
      const p = periods[k]!;
      if (end < p.start || start > p.end) continue;
      if (r.series !== last) {
        last = r.series;
        key = seriesKey(r);
        current.fill(undefined);
      }
      const g = current[k] ?? (current[k] = groups[k]!.get(key));
      // A new group made holding its first record (`[]` then a push reserves room for sixteen:
      // a log's series has one record, and a summary asks for its groups for each month).
      if (g === undefined) groups[k]!.set(key, (current[k] = [r]));
      else g.push(r);
    }
  }
  return groups;
}

/** A total with no figure at all: the whole period a gap, never 0. */
export function noDataTotal(period: Period, days: number, caveats: Caveat[] = []): TotalResult {
  return {
    period, days, total: null, total_min: null, total_max: null, has_data: false, estimate: false, approximate: false,
    covered_days: 0, rate_days: 0, gaps: [{ start: period.start, end: period.end }], chosen: [], caveats,
  };
}

/** Totals with data added as intervals: max null when any part has no upper bound. */
export function sumOfTotals(parts: TotalResult[]): { min: number; max: number | null } {
  let min = 0;
  let max: number | null = 0;
  for (const p of parts) {
    min += p.total_min!;
    max = max === null || p.total_max === null ? null : max + p.total_max;
  }
  return { min, max };
}

/** Series totals added: an interval, gaps where any part has one, caveats kept. */
export function combine(period: Period, parts: TotalResult[]): TotalResult {
  const sum = new TotalsSum(period);
  for (const p of parts) sum.add(p);
  return sum.result(() => joined(parts.map((p) => p.chosen)));
}

/**
 * Series totals added one at a time (`combine`): a pivot adds each series' total to its cell and
 * its row as it is made, and keeps none of them, so that a row of thousands of series holds no
 * more than its sums while it is made.
 */
export class TotalsSum {
  private readonly days: number;
  private readonly caveats: Caveat[] = [];
  private withData = 0;
  private min = 0;
  private max: number | null = 0;
  private estimate = false;
  private approximate = false;
  /** Days any part misses (covered: days every contributing series covers). */
  private readonly gapDays = new Set<number>();
  /** The first part's gaps, and whether every part has the same. */
  private firstGaps: Interval[] | undefined;
  private uniform = true;

  constructor(private readonly period: Period) {
    this.days = day(period.end) - day(period.start) + 1;
  }

  add(p: TotalResult): void {
    append(this.caveats, p.caveats);
    if (p.has_data) {
      this.withData++;
      this.min += p.total_min!;
      this.max = this.max === null || p.total_max === null ? null : this.max + p.total_max;
      this.estimate ||= p.estimate;
      this.approximate ||= p.approximate;
    }
    // By index, and no callback: a summary adds a part for each series and month.
    const gaps = p.gaps;
    for (let i = 0; i < gaps.length; i++) for (let d = day(gaps[i]!.start); d <= day(gaps[i]!.end); d++) this.gapDays.add(d);
    const first = (this.firstGaps ??= gaps);
    this.uniform &&= sameIntervals(gaps, first);
  }

  /** The sum of the parts added, its records made by `chosen` when asked for. */
  result(chosen: () => AssetRecord[]): TotalResult {
    const { period, days, caveats } = this;
    if (this.withData === 0) {
      caveats.unshift({ code: 'NO_DATA', severity: 'warning', period: period.label });
      return noDataTotal(period, days, uniqueCaveats(caveats));
    }
    if (!this.uniform) caveats.push({ code: 'UNEVEN_COVERAGE', severity: 'info', period: period.label });
    const covered = days - this.gapDays.size;
    return withChosen({
      period, days,
      total: !this.estimate && this.max === this.min ? this.min : null,
      total_min: this.min,
      total_max: this.max,
      has_data: true,
      estimate: this.estimate,
      approximate: this.approximate,
      covered_days: covered,
      rate_days: this.uniform ? covered : null,
      gaps: runs([...this.gapDays].sort((x, y) => x - y)),
      caveats: uniqueCaveats(caveats),
    }, chosen);
  }
}

function sameIntervals(a: Interval[], b: Interval[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.start !== b[i]!.start || a[i]!.end !== b[i]!.end) return false;
  return true;
}

/**
 * Lists joined into one. A loop, not flatMap (slow for a pivot's totals row, which joins tens of
 * thousands of chosen day records) nor concat(...lists) (one argument per list: a stack overflow
 * past about 100,000 series).
 */
function joined<T>(lists: T[][]): T[] {
  const out: T[] = [];
  for (const list of lists) for (const x of list) out.push(x);
  return out;
}

function runs(days: number[]): Interval[] {
  const out: Interval[] = [];
  let s: number | undefined;
  let prev = 0;
  for (const d of days) {
    if (s === undefined) { s = d; prev = d; continue; }
    if (d === prev + 1) { prev = d; continue; }
    out.push({ start: formatDay(s), end: formatDay(prev) });
    s = d;
    prev = d;
  }
  if (s !== undefined) out.push({ start: formatDay(s), end: formatDay(prev) });
  return out;
}

/**
 * Caveats without repeats (the same record can be reported by several series or periods). Equal
 * caveats share their code, period, series and record: only a caveat that shares all four with
 * an earlier one is compared with it whole.
 */
export function uniqueCaveats(caveats: Caveat[]): Caveat[] {
  const groups = new Map<string, { first: Caveat; wholes?: Set<string> }>();
  return caveats.filter((c) => {
    const { series, record } = c as { series?: string; record?: RecordRef };
    const key = `${c.code}\u0000${c.period}\u0000${series ?? ''}\u0000${record ? `${record.file}\u0000${record.line}\u0000${record.start}\u0000${record.end}` : ''}`;
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { first: c });
      return true;
    }
    group.wholes ??= new Set([JSON.stringify(group.first)]);
    const whole = JSON.stringify(c);
    if (group.wholes.has(whole)) return false;
    group.wholes.add(whole);
    return true;
  });
}
