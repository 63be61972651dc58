// Published claims checked against the data: each claim's subject (a total, a ratio or a rate
// ratio) as an interval, its expectation tested for every value the interval allows: pass when
// all satisfy it, fail when none do, undetermined when suppressed cells leave both possible. Pure.
import type { AssetRecord, Period } from '../model/model.js';
import type { PartialPolicy } from '../model/vocab.js';
import type { AliasTables } from './aliases.js';
import { canonicalFilters, filterRecords, type Filters } from './filter.js';
import { PER_DAYS, type PerUnit } from './compare.js';
import { type Caveat, total, type TotalResult, type VintageOf } from './total.js';

export interface TotalQuery {
  period: Period;
  filters: Filters;
}

export type Subject =
  | { kind: 'total'; query: TotalQuery }
  | { kind: 'ratio'; a: TotalQuery; b: TotalQuery }
  | { kind: 'rate-ratio'; a: TotalQuery; b: TotalQuery; per: PerUnit };

export type Expectation =
  | { op: 'equals' | 'at-least' | 'at-most' | 'greater-than' | 'less-than'; value: number }
  | { op: 'greater-than' | 'less-than'; query: TotalQuery }
  | { op: 'between'; low: number; high: number }
  | { op: 'approx'; value: number; tolerance: number };

export interface ClaimInput {
  id: string;
  says: string;
  source?: string;
  line: number;
  subject: Subject;
  expectation: Expectation;
  partial: PartialPolicy;
}

export type ClaimStatus = 'pass' | 'fail' | 'undetermined';

/** A figure as an interval; `max` Infinity when unbounded. */
export interface Figure {
  value: number | null;
  min: number | null;
  max: number | null;
  estimate: boolean;
}

export interface ClaimResult {
  id: string;
  says: string;
  source?: string;
  line: number;
  status: ClaimStatus;
  actual: Figure;
  expected: Expectation & { figure?: Figure };
  /** Why it failed or is undetermined, as a code the formatters phrase. */
  reason?: 'NO_DATA' | 'ZERO_DENOMINATOR' | 'STRADDLES' | 'MISMATCH' | 'UNDETERMINED' | 'STRICT_CAVEATS' | 'APPROXIMATE_PERIOD';
  caveats: Caveat[];
  /** The answers (source ids) whose figures the totals used. */
  sources: string[];
}

export interface CheckOptions {
  strict?: boolean;
}

type Range = [number, number];

function runTotal(q: TotalQuery, records: AssetRecord[], vintageOf: VintageOf, partial: PartialPolicy): TotalResult {
  return total(filterRecords(records, q.filters), q.period, vintageOf, { partial });
}

function rangeOf(t: TotalResult): Range | undefined {
  if (!t.has_data) return undefined;
  return [t.total_min!, t.total_max ?? Infinity];
}

function divide(a: Range, b: Range): Range | undefined {
  if (b[1] === 0) return undefined;
  const lo = b[1] === Infinity ? 0 : a[0] / b[1];
  const hi = b[0] === 0 ? Infinity : a[1] / b[0];
  return [lo, hi];
}

function rateRange(t: TotalResult, per: PerUnit): Range | undefined {
  const r = rangeOf(t);
  // Per covered day; none when the series summed cover different days (rate_days null).
  if (!r || !t.rate_days) return undefined;
  const k = PER_DAYS[per] / t.rate_days;
  return [r[0] * k, r[1] * k];
}

function figure(r: Range | undefined, estimate: boolean): Figure {
  if (!r) return { value: null, min: null, max: null, estimate };
  const max = r[1] === Infinity ? null : r[1];
  return { value: r[0] === r[1] && !estimate ? r[0] : null, min: r[0], max, estimate };
}

const EPS = 1e-9;

/** pass when every value in `r` satisfies, fail when none does, else undetermined. */
function judge(r: Range, e: Expectation, other?: Range): ClaimStatus {
  const [lo, hi] = r;
  const within = (a: number, b: number): ClaimStatus => (lo >= a - EPS && hi <= b + EPS ? 'pass' : hi < a - EPS || lo > b + EPS ? 'fail' : 'undetermined');
  switch (e.op) {
    case 'equals': return within(e.value, e.value);
    case 'at-least': return within(e.value, Infinity);
    case 'at-most': return within(-Infinity, e.value);
    case 'between': return within(e.low, e.high);
    case 'approx': return within(e.value - e.tolerance * Math.abs(e.value), e.value + e.tolerance * Math.abs(e.value));
    case 'greater-than': {
      const [olo, ohi] = other ?? [(e as { value: number }).value, (e as { value: number }).value];
      return lo > ohi + EPS ? 'pass' : hi <= olo + EPS ? 'fail' : 'undetermined';
    }
    case 'less-than': {
      const [olo, ohi] = other ?? [(e as { value: number }).value, (e as { value: number }).value];
      return hi < olo - EPS ? 'pass' : lo >= ohi - EPS ? 'fail' : 'undetermined';
    }
  }
}

export function evaluateClaim(claim: ClaimInput, records: AssetRecord[], vintageOf: VintageOf, options: CheckOptions = {}): ClaimResult {
  const results: TotalResult[] = [];
  const run = (q: TotalQuery) => {
    const t = runTotal(q, records, vintageOf, claim.partial);
    results.push(t);
    return t;
  };
  let actual: Range | undefined;
  /** A ratio whose denominator is exactly 0: there is data, but no ratio. */
  let zeroDenominator = false;
  const s = claim.subject;
  if (s.kind === 'total') {
    actual = rangeOf(run(s.query));
  } else {
    const a = run(s.a);
    const b = run(s.b);
    const ra = s.kind === 'ratio' ? rangeOf(a) : rateRange(a, s.per);
    const rb = s.kind === 'ratio' ? rangeOf(b) : rateRange(b, s.per);
    actual = ra && rb ? divide(ra, rb) : undefined;
    zeroDenominator = !!ra && !!rb && rb[1] === 0;
  }
  let other: Range | undefined;
  let expected: ClaimResult['expected'] = claim.expectation;
  const e = claim.expectation;
  if ('query' in e) {
    const t = run(e.query);
    other = rangeOf(t);
    expected = { ...e, figure: figure(other, t.estimate) };
  }
  const estimate = results.some((t) => t.estimate);
  const caveats = results.flatMap((t) => t.caveats);
  const sources = [...new Set(results.flatMap((t) => t.chosen.map((r) => r.provenance.source_id)))].sort();
  const base = { id: claim.id, says: claim.says, source: claim.source, line: claim.line, actual: figure(actual, estimate), expected, caveats, sources };
  const errors = caveats.filter((c) => c.severity === 'error');
  // A figure crossing the period only because its own days are not known settles nothing.
  if (errors.length && errors.every((c) => c.record.approximate)) return { ...base, status: 'undetermined', reason: 'APPROXIMATE_PERIOD' };
  if (errors.length) return { ...base, status: 'fail', reason: 'STRADDLES' };
  if (zeroDenominator) return { ...base, status: 'fail', reason: 'ZERO_DENOMINATOR' };
  if (!actual || ('query' in e && !other)) return { ...base, status: 'fail', reason: 'NO_DATA' };
  const status = judge(actual, e, other);
  // Figures whose days the answer does not state ("in the last year") cannot settle a claim about days.
  if (results.some((t) => t.approximate)) return { ...base, status: 'undetermined', reason: 'APPROXIMATE_PERIOD' };
  if (status === 'fail') return { ...base, status, reason: 'MISMATCH' };
  if (options.strict && caveats.some((c) => c.severity === 'warning')) return { ...base, status: 'fail', reason: 'STRICT_CAVEATS' };
  return { ...base, status, reason: status === 'undetermined' ? 'UNDETERMINED' : undefined };
}

export interface CheckSummary {
  pass: number;
  fail: number;
  undetermined: number;
}

export function summariseClaims(results: ClaimResult[]): CheckSummary {
  return {
    pass: results.filter((r) => r.status === 'pass').length,
    fail: results.filter((r) => r.status === 'fail').length,
    undetermined: results.filter((r) => r.status === 'undetermined').length,
  };
}

/** Filters of a claim: its own keys over the file's defaults, canonicalised through the aliases. */
export function claimFilters(spec: Filters, defaults: Filters, aliases: AliasTables): Filters {
  return canonicalFilters({
    category: spec.category ?? defaults.category,
    department: spec.department ?? defaults.department,
    status: spec.status ?? defaults.status,
    unit: spec.unit ?? defaults.unit,
  }, aliases);
}
