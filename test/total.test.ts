// The total engine (design §4), pure: records built here, no files. Each test name states a rule.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssetRecord, Count } from '../src/model/model.js';
import { type Caveat, type CaveatCode, chooseCover, combine, insideEach, overlapping, seriesKey, total, totals, totalSeries, type TotalResult, uniqueCaveats, vintageLookup } from '../src/engine/total.js';
import { filterRecords } from '../src/engine/filter.js';
import { formatDay, parseIsoDay } from '../src/engine/dates.js';
import { checkpoints, type DailyRecord, dayRecordCount, dayRecords, expandDaily } from '../src/engine/daily.js';
import { addDays, below, byDate, confidential, exact, newerLater, notAvailable, q, rec, span } from './helpers/engine.js';

const codes = (t: TotalResult) => t.caveats.map((c) => c.code);
const only = (t: TotalResult, code: CaveatCode) => t.caveats.filter((c) => c.code === code);
const one = (t: TotalResult, code: CaveatCode): Caveat => {
  const found = only(t, code);
  expect(found, `${code} in ${JSON.stringify(codes(t))}`).toHaveLength(1);
  return found[0]!;
};
const months = (source: string, year: number, values: number[], o: Parameters<typeof rec>[3] = {}) =>
  values.map((v, i) => rec(source, `${year}-${String(i + 1).padStart(2, '0')}`, v, o));

const oldNew = newerLater('old', 'new');

describe('candidates', () => {
  it('records wholly inside the period are added; records outside it take no part', () => {
    const rs = [rec('a', '2024-06', 5), rec('a', '2024-07', 7), rec('a', '2024-08', 11), rec('a', '2024-09', 100)];
    const t = total(rs, q('2024-07..2024-08'), oldNew);
    expect(t.total).toBe(18);
    expect([t.total_min, t.total_max]).toEqual([18, 18]);
    expect(t.days).toBe(62);
    expect(t.covered_days).toBe(62);
    expect(t.gaps).toEqual([]);
    expect(t.caveats).toEqual([]);
    expect(t.chosen.map((r) => r.period.label)).toEqual(['2024-07', '2024-08']);
  });

  it('a total of exact figures is exact (total = min = max) and not an estimate', () => {
    const t = total(months('a', 2024, [1, 2, 3]), q('2024-Q1'), oldNew);
    expect(t).toMatchObject({ total: 6, total_min: 6, total_max: 6, has_data: true, estimate: false, rate_days: 91 });
  });
});

describe('straddlers', () => {
  const july = rec('a', '2024-07', 19, { label: 'July' });
  const rest = [rec('a', '2024-08', 6), rec('a', '2024-09', 19)];

  it('a record crossing the start of the period is an error by default, naming the record and the boundary', () => {
    const t = total([july, ...rest], span('2024-07-10', '2024-09-30'), oldNew);
    const c = one(t, 'STRADDLES');
    expect(c.severity).toBe('error');
    expect(c.record).toMatchObject({ label: 'July', start: '2024-07-01', end: '2024-07-31', value: '19', source_id: 'a' });
    expect(c.boundary).toBe('2024-07-10');
    // Not counted: the days it would have covered are a gap.
    expect(t.total).toBe(25);
    expect(t.gaps).toEqual([{ start: '2024-07-10', end: '2024-07-31' }]);
  });

  it('a record crossing the end of the period names the end as the boundary', () => {
    const t = total([...rest, rec('a', '2024-10', 37)], span('2024-08-01', '2024-10-15'), oldNew);
    expect(one(t, 'STRADDLES').boundary).toBe('2024-10-15');
  });

  it('--partial exclude leaves a straddler out with PARTIAL_EXCLUDED (a warning), its days a gap', () => {
    const t = total([july, ...rest], span('2024-07-10', '2024-09-30'), oldNew, { partial: 'exclude' });
    const c = one(t, 'PARTIAL_EXCLUDED');
    expect(c.severity).toBe('warning');
    expect(c.record?.label).toBe('July');
    expect(codes(t)).not.toContain('STRADDLES');
    expect(t.total).toBe(25);
    expect(t.gaps).toEqual([{ start: '2024-07-10', end: '2024-07-31' }]);
  });

  it('--partial include counts a straddler whole with PARTIAL_INCLUDED', () => {
    const t = total([july, ...rest], span('2024-07-10', '2024-09-30'), oldNew, { partial: 'include' });
    expect(one(t, 'PARTIAL_INCLUDED').record?.label).toBe('July');
    expect(t.total).toBe(44);
    expect(t.gaps).toEqual([]);
    expect(t.covered_days).toBe(t.days);
  });

  it('--partial prorate counts a straddler by its share of days: an estimate, no exact total, PRORATED with the days used', () => {
    const t = total([july, ...rest], span('2024-07-10', '2024-09-30'), oldNew, { partial: 'prorate' });
    const c = one(t, 'PRORATED');
    expect([c.start, c.end]).toEqual(['2024-07-10', '2024-07-31']);
    expect(t.estimate).toBe(true);
    expect(t.total).toBeNull();
    expect(t.total_min).toBeCloseTo(25 + (19 * 22) / 31, 10);
    expect(t.total_max).toBeCloseTo(25 + (19 * 22) / 31, 10);
  });

  it('a straddler whose days inside the period are all covered by records inside it is only a redundant overlap (no error)', () => {
    // The 2024 answer's full July beside the 2025 answer's 5–31 July, asked from 5 July.
    const rs = [rec('old', '2024-07', 19, { label: 'July' }), rec('new', ['2024-07-05', '2024-07-31'], 14, { label: 'From 5 July 24' }), rec('new', '2024-08', 6)];
    const t = total(rs, span('2024-07-05', '2024-08-31'), oldNew);
    const c = one(t, 'REDUNDANT_OVERLAP');
    expect(c.severity).toBe('info');
    expect(c.record?.label).toBe('July');
    expect(c.boundary).toBe('2024-07-05');
    expect(codes(t)).not.toContain('STRADDLES');
    expect(t.total).toBe(20);
    expect(t.gaps).toEqual([]);
  });

  it('a straddler only partly covered by records inside is still an error', () => {
    const rs = [rec('old', '2024-07', 19), rec('new', ['2024-07-20', '2024-07-31'], 9)];
    const t = total(rs, span('2024-07-05', '2024-07-31'), oldNew);
    expect(codes(t)).toContain('STRADDLES');
  });

  it('--partial include: of two straddlers over the same days the newer is counted, the other is a redundant overlap (not a revision)', () => {
    const rs = [rec('old', '2024-07', 19, { label: 'July' }), rec('new', ['2024-07-05', '2024-07-31'], 14, { label: 'From 5 July 24' })];
    for (const partial of ['include', 'prorate'] as const) {
      const t = total(rs, span('2024-07-10', '2024-07-31'), oldNew, { partial });
      expect(only(t, partial === 'include' ? 'PARTIAL_INCLUDED' : 'PRORATED').map((c) => c.record?.label)).toEqual(['From 5 July 24']);
      expect(one(t, 'REDUNDANT_OVERLAP').record?.label).toBe('July');
      expect(codes(t)).not.toContain('REVISION');
      expect(t.total_min).toBeCloseTo(partial === 'include' ? 14 : (14 * 22) / 27, 10);
    }
  });

  it('--partial include: the straddler with more days inside the period wins over a newer one with fewer', () => {
    const rs = [rec('old', '2024-12', 7, { label: 'December' }), rec('new', ['2024-12-01', '2024-12-15'], 5, { label: 'December (to 15th)' })];
    const t = total(rs, span('2024-12-10', '2024-12-31'), oldNew, { partial: 'include' });
    expect(t.total).toBe(7);
    expect(one(t, 'REDUNDANT_OVERLAP').record?.label).toBe('December (to 15th)');
  });
});

describe('choosing one non-overlapping cover', () => {
  it('the cover with the most days wins: a full month (older) over a part month (newer)', () => {
    const rs = [rec('old', '2024-07', 19, { label: 'July' }), rec('new', ['2024-07-05', '2024-07-31'], 14, { label: 'From 5 July 24' })];
    const t = total(rs, q('2024-07'), oldNew);
    expect(t.total).toBe(19);
    expect(t.gaps).toEqual([]);
    const c = one(t, 'OVERLAP');
    expect(c).toMatchObject({ relation: 'inside', newer: false });
    expect(c.record?.label).toBe('From 5 July 24');
    expect(c.other?.label).toBe('July');
  });

  it('the newer full month wins over an older part month: counted once, the overlap reported', () => {
    const rs = [rec('old', ['2024-12-01', '2024-12-15'], 5, { label: 'December (to 15th)' }), rec('new', '2024-12', 7, { label: 'December 24' })];
    const t = total(rs, q('2024-12'), oldNew);
    expect(t.total).toBe(7);
    expect(one(t, 'OVERLAP')).toMatchObject({ relation: 'inside', newer: true, record: { label: 'December (to 15th)' }, other: { label: 'December 24' } });
  });

  it('equal days: the newer vintage wins (by position on the command line)', () => {
    const rs = [rec('new', '2024-07', 20), rec('old', '2024-07', 19)];
    expect(total(rs, q('2024-07'), oldNew).total).toBe(20);
    expect(total(rs, q('2024-07'), newerLater('new', 'old')).total).toBe(19);
  });

  it('equal days: the newer vintage wins by answered/reported date before position', () => {
    const rs = [rec('a', '2024-07', 20), rec('b', '2024-07', 19)];
    expect(total(rs, q('2024-07'), byDate({ a: '2025-03-11', b: '2024-12-31' })).total).toBe(20);
    expect(total(rs, q('2024-07'), byDate({ a: '2024-12-31', b: '2025-03-11' })).total).toBe(19);
    // vintageLookup reads the sources' vintages.
    const src = (id: string, date: string | null, position: number) => ({ id, file: `${id}.csv`, layout: 'wide', encoding: 'utf-8', metadata: {}, vintage: { date, basis: date ? 'reported' as const : 'position' as const, position } });
    expect(total(rs, q('2024-07'), vintageLookup([src('a', '2025-01-01', 0), src('b', '2024-01-01', 1)])).total).toBe(20);
    expect(total(rs, q('2024-07'), vintageLookup([src('a', null, 0), src('b', null, 1)])).total).toBe(19);
  });

  it('equal days and vintage: fewer, coarser records win (a year beside its own months)', () => {
    const rs = [rec('a', '2024', 78, { label: '2024' }), ...months('a', 2024, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])];
    const t = total(rs, q('2024'), oldNew);
    expect(t.total).toBe(78);
    expect(t.chosen.map((r) => r.period.label)).toEqual(['2024']);
    expect(only(t, 'OVERLAP')).toHaveLength(12);
    expect(only(t, 'OVERLAP').every((c) => c.relation === 'inside')).toBe(true);
    expect(codes(t)).not.toContain('INCONSISTENCY');
  });

  it('newer months beat an older year over the same days; the year is reported as made up of them', () => {
    const rs = [rec('old', '2024', 78, { label: '2024' }), ...months('new', 2024, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])];
    const t = total(rs, q('2024'), oldNew);
    expect(t.total).toBe(78);
    expect(t.chosen).toHaveLength(12);
    const c = one(t, 'OVERLAP');
    expect(c).toMatchObject({ relation: 'contains', parts_min: 78, parts_max: 78 });
    expect(c.parts).toHaveLength(12);
  });

  it('nothing is counted twice: overlapping answers add up to the days of the period once', () => {
    const rs = [
      ...months('old', 2024, [13, 6, 16, 13, 10, 11, 19, 6, 19, 37, 4]),
      rec('old', ['2024-12-01', '2024-12-15'], 5),
      rec('new', ['2024-07-05', '2024-07-31'], 14), rec('new', '2024-08', 6), rec('new', '2024-09', 19), rec('new', '2024-10', 37), rec('new', '2024-11', 4), rec('new', '2024-12', 7),
    ];
    const t = total(rs, q('2024'), oldNew);
    expect(t.total).toBe(13 + 6 + 16 + 13 + 10 + 11 + 19 + 6 + 19 + 37 + 4 + 7);
    expect(t.covered_days).toBe(366);
    const chosenDays = t.chosen.reduce((n, r) => n + parseIsoDay(r.period.end)! - parseIsoDay(r.period.start)! + 1, 0);
    expect(chosenDays).toBe(366);
  });
});

describe('revisions', () => {
  it('the same period with a different value is a REVISION from the older to the newer figure, which is used', () => {
    const t = total([rec('old', '2024-07', 19), rec('new', '2024-07', 21)], q('2024-07'), oldNew);
    expect(t.total).toBe(21);
    const c = one(t, 'REVISION');
    expect(c).toMatchObject({ counted: true, record: { source_id: 'old', value: '19' }, other: { source_id: 'new', value: '21' } });
    expect(codes(t)).not.toContain('OVERLAP');
  });

  it('the same period with the same value is no revision and no overlap', () => {
    const t = total([rec('old', '2024-08', 6), rec('new', '2024-08', 6)], q('2024-08'), oldNew);
    expect(t.total).toBe(6);
    expect(t.caveats).toEqual([]);
  });

  it('three answers: each figure revised to the next newer one', () => {
    const t = total([rec('b', '2024-07', 20), rec('a', '2024-07', 19), rec('c', '2024-07', 22)], q('2024-07'), newerLater('a', 'b', 'c'));
    expect(only(t, 'REVISION').map((c) => `${c.record?.value}→${c.other?.value}`)).toEqual(['19→20', '20→22']);
    expect(t.total).toBe(22);
  });

  it('a revision is reported even when neither figure is used (a newer coarser record covers them)', () => {
    const t = total([rec('a', '2024-07', 19), rec('b', '2024-07', 21), rec('c', '2024-Q3', 40)], q('2024-Q3'), newerLater('a', 'b', 'c'));
    expect(t.total).toBe(40);
    expect(one(t, 'REVISION').counted).toBe(false);
  });

  it('two different figures for the same period in one answer are an INCONSISTENCY', () => {
    const t = total([rec('a', '2024-07', 19), rec('a', '2024-07', 21)], q('2024-07'), oldNew);
    const c = one(t, 'INCONSISTENCY');
    expect(c.record?.source_id).toBe('a');
    expect(c.other?.source_id).toBe('a');
    expect(codes(t)).not.toContain('REVISION');
  });
});

describe('inconsistencies', () => {
  it('a part larger than its whole is an INCONSISTENCY (the whole is used)', () => {
    const t = total([rec('a', '2024-Q3', 40), rec('a', '2024-07', 50)], q('2024-Q3'), oldNew);
    expect(t.total).toBe(40);
    expect(one(t, 'INCONSISTENCY')).toMatchObject({ relation: 'inside', record: { value: '50' }, other: { value: '40' } });
  });

  it('newer parts that tile an older whole but sum differently are an INCONSISTENCY (the parts are used)', () => {
    const rs = [rec('old', '2024-Q3', 40, { label: 'Q3' }), rec('new', '2024-07', 10), rec('new', '2024-08', 10), rec('new', '2024-09', 10)];
    const t = total(rs, q('2024-Q3'), oldNew);
    expect(t.total).toBe(30);
    expect(one(t, 'INCONSISTENCY')).toMatchObject({ relation: 'contains', record: { label: 'Q3' }, parts_min: 30, parts_max: 30 });
    expect(one(t, 'INCONSISTENCY').parts).toHaveLength(3);
  });

  it('parts left out beside the whole that is used, tiling it but summing differently, are an INCONSISTENCY on the whole', () => {
    const rs = [rec('a', '2024-Q3', 40, { label: 'Q3' }), rec('a', '2024-07', 10), rec('a', '2024-08', 10), rec('a', '2024-09', 10)];
    const t = total(rs, q('2024-Q3'), oldNew);
    expect(t.total).toBe(40);
    expect(one(t, 'INCONSISTENCY')).toMatchObject({ relation: 'contains', record: { label: 'Q3' }, parts_min: 30, parts_max: 30 });
  });

  it('parts that add up to more than their whole are an INCONSISTENCY even when they do not tile it', () => {
    const rs = [rec('a', '2024-Q3', 15, { label: 'Q3' }), rec('a', '2024-07', 10), rec('a', '2024-08', 10)];
    const t = total(rs, q('2024-Q3'), oldNew);
    expect(t.total).toBe(15);
    expect(one(t, 'INCONSISTENCY').parts_min).toBe(20);
  });

  it('parts that tile a whole and agree with it are only an overlap', () => {
    const rs = [rec('old', '2024-Q3', 30), rec('new', '2024-07', 10), rec('new', '2024-08', 10), rec('new', '2024-09', 10)];
    const t = total(rs, q('2024-Q3'), oldNew);
    expect(codes(t)).toEqual(['OVERLAP']);
  });

  it('suppressed parts are consistent with a whole their bounds can reach', () => {
    const rs = [rec('old', '2024-Q3', 12), rec('new', '2024-07', 10), rec('new', '2024-08', below(5)), rec('new', '2024-09', 0)];
    const t = total(rs, q('2024-Q3'), oldNew);
    expect(codes(t)).not.toContain('INCONSISTENCY');
    expect([t.total, t.total_min, t.total_max]).toEqual([null, 10, 14]);
  });
});

describe('coverage and gaps', () => {
  it('days no record covers are gaps, listed as date ranges, and the total says it is incomplete', () => {
    const rs = [rec('a', '2024-02', 3), rec('a', '2024-05', 4), rec('a', ['2024-06-10', '2024-06-20'], 1)];
    const t = total(rs, q('2024-01..2024-06'), oldNew);
    expect(t.gaps).toEqual([
      { start: '2024-01-01', end: '2024-01-31' },
      { start: '2024-03-01', end: '2024-04-30' },
      { start: '2024-06-01', end: '2024-06-09' },
      { start: '2024-06-21', end: '2024-06-30' },
    ]);
    expect(only(t, 'GAP').map((c) => [c.start, c.end])).toEqual(t.gaps.map((g) => [g.start, g.end]));
    expect(t.total).toBe(8);
    expect(t.covered_days).toBe(29 + 31 + 11);
    expect(t.days).toBe(182);
  });

  it('only the March 2025 answer: July 2024 is 14 with a gap of 1–4 July', () => {
    const t = total([rec('new', ['2024-07-05', '2024-07-31'], 14)], q('2024-07'), oldNew);
    expect(t.total).toBe(14);
    expect(t.gaps).toEqual([{ start: '2024-07-01', end: '2024-07-04' }]);
    expect(t.covered_days).toBe(27);
  });
});

describe('suppressed and missing counts', () => {
  it('a suppressed "<5" cell makes the total an interval [min, max+4]; no exact total', () => {
    const t = total([rec('a', '2024-07', 10), rec('a', '2024-08', below(5))], q('2024-07..2024-08'), oldNew);
    expect([t.total, t.total_min, t.total_max]).toEqual([null, 10, 14]);
    expect(t.has_data).toBe(true);
    expect(one(t, 'SUPPRESSED').record?.value).toBe('0–4 (suppressed)');
  });

  it('a "[c]" cell with no threshold makes the upper bound unknown (total_max null) while there is data', () => {
    const t = total([rec('a', '2024-07', 10), rec('a', '2024-08', confidential)], q('2024-07..2024-08'), oldNew);
    expect([t.total, t.total_min, t.total_max]).toEqual([null, 10, null]);
    expect(t.has_data).toBe(true);
    expect(t.gaps).toEqual([]);
  });

  it('a missing count ("..") is a gap, never 0', () => {
    const t = total([rec('a', '2024-07', 10), rec('a', '2024-08', notAvailable)], q('2024-07..2024-08'), oldNew);
    expect(t.total).toBe(10);
    expect(t.gaps).toEqual([{ start: '2024-08-01', end: '2024-08-31' }]);
    expect(one(t, 'MISSING_VALUE').record?.label).toBe('2024-08');
  });

  it('a period with only missing counts has no total (null, not 0)', () => {
    const t = total([rec('a', '2024-08', notAvailable)], q('2024-08'), oldNew);
    expect([t.total, t.total_min, t.total_max, t.has_data]).toEqual([null, null, null, false]);
    expect(codes(t)).toContain('NO_DATA');
    expect(codes(t)).toContain('MISSING_VALUE');
  });

  it('a missing count whose days another answer covers is no gap and no caveat', () => {
    const t = total([rec('old', '2024-08', notAvailable), rec('new', '2024-08', 6)], q('2024-08'), oldNew);
    expect(t.total).toBe(6);
    expect(t.caveats).toEqual([]);
  });
});

describe('no data', () => {
  it('a status filter with no matching records gives NO_DATA and null totals, never 0', () => {
    const rs = months('a', 2024, [1, 2, 3]);
    const stolen = filterRecords(rs, { status: ['stolen'] });
    const t = total(stolen, q('2024-Q1'), oldNew);
    expect(t).toMatchObject({ total: null, total_min: null, total_max: null, has_data: false, covered_days: 0 });
    expect(codes(t)).toEqual(['NO_DATA']);
    expect(t.gaps).toEqual([{ start: '2024-01-01', end: '2024-03-31' }]);
  });

  it('a period that no record touches has no data', () => {
    expect(total(months('a', 2024, [1, 2, 3]), q('2023'), oldNew).has_data).toBe(false);
  });
});

describe('several series', () => {
  it('a total over several series adds each series’ own total', () => {
    const rs = [...months('a', 2024, [1, 2, 3]), ...months('a', 2024, [10, 20, 30], { category: 'laptop' })];
    const t = total(rs, q('2024-Q1'), oldNew);
    expect(t.total).toBe(66);
    expect(t.rate_days).toBe(91);
  });

  it('series covering different days: the sum has no per-day rate basis (UNEVEN_COVERAGE), coverage is what all cover', () => {
    const rs = [...months('a', 2024, [1, 2, 3]), rec('a', '2024-01', 10, { category: 'laptop' })];
    const t = total(rs, q('2024-Q1'), oldNew);
    expect(t.total).toBe(16);
    expect(t.covered_days).toBe(31);
    expect(t.rate_days).toBeNull();
    expect(one(t, 'UNEVEN_COVERAGE').severity).toBe('info');
  });

  it('totalSeries is the single-series engine total() uses', () => {
    const rs = months('a', 2024, [1, 2, 3]);
    const a = totalSeries(rs, q('2024-Q1'), oldNew);
    const b = total(rs, q('2024-Q1'), oldNew);
    expect(a.total).toBe(b.total);
    expect(a.gaps).toEqual(b.gaps);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const BASE = parseIsoDay('2023-01-01')!;
const monthIndexStart = (i: number) => formatDay(Date.UTC(2023 + Math.floor(i / 12), i % 12, 1) / 86_400_000);
const monthIndexEnd = (i: number) => formatDay(Date.UTC(2023 + Math.floor((i + 1) / 12), (i + 1) % 12, 1) / 86_400_000 - 1);

const countArb: fc.Arbitrary<Count> = fc.oneof(
  { weight: 6, arbitrary: fc.nat({ max: 60 }).map(exact) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 10 }).map(below) },
  { weight: 1, arbitrary: fc.constant(confidential) },
);

/** Month-aligned records (1, 3 or 12 months), some starting mid-month, from three answers and two categories. */
const recordArb = (count: fc.Arbitrary<Count>): fc.Arbitrary<AssetRecord> => fc.record({
  source: fc.constantFrom('a', 'b', 'c'),
  first: fc.nat({ max: 23 }),
  len: fc.constantFrom(1, 1, 1, 2, 3, 12),
  startDay: fc.constantFrom(1, 1, 1, 5, 16),
  count,
  category: fc.constantFrom('phone', 'phone', 'laptop'),
}).map(({ source, first, len, startDay, count: c, category }) => {
  const start = monthIndexStart(first).slice(0, 8) + String(startDay).padStart(2, '0');
  return rec(source, [start, monthIndexEnd(Math.min(23, first + len - 1))], c, { category });
});

const queryArb = fc.tuple(fc.nat({ max: 729 }), fc.nat({ max: 729 })).map(([x, y]) => span(formatDay(BASE + Math.min(x, y)), formatDay(BASE + Math.max(x, y))));
const policyArb = fc.constantFrom('error' as const, 'exclude' as const, 'include' as const, 'prorate' as const);
const vintage = newerLater('a', 'b', 'c');

describe('properties', () => {
  it('a total does not depend on the order of its input records', () => {
    fc.assert(fc.property(
      fc.array(recordArb(countArb), { maxLength: 25 }).chain((rs) => fc.tuple(fc.constant(rs), fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length }))),
      queryArb, policyArb,
      ([rs, shuffled], period, partial) => {
        expect(total(shuffled, period, vintage, { partial })).toEqual(total(rs, period, vintage, { partial }));
      },
    ), { numRuns: 300 });
  });

  it('the totals over several periods, from one pass, are each period\'s series totalled on their own and added', () => {
    // The records of each series that meet the period, found here by a plain filter.
    const byHand = (rs: AssetRecord[], p: ReturnType<typeof span>, partial: Parameters<typeof total>[3]) => {
      const groups = new Map<string, AssetRecord[]>();
      for (const r of rs) if (r.period.end >= p.start && r.period.start <= p.end) groups.set(seriesKey(r), [...(groups.get(seriesKey(r)) ?? []), r]);
      return combine(p, [...groups.keys()].sort().map((k) => totalSeries(groups.get(k)!, p, vintage, partial)));
    };
    fc.assert(fc.property(fc.array(recordArb(countArb), { maxLength: 25 }), fc.array(queryArb, { minLength: 1, maxLength: 4 }), policyArb, (rs, periods, partial) => {
      expect(totals(rs, periods, vintage, { partial })).toEqual(periods.map((p) => byHand(rs, p, { partial })));
      expect(totals(rs, periods, vintage, { partial })).toEqual(periods.map((p) => total(rs, p, vintage, { partial })));
    }), { numRuns: 300 });
  });

  it('covered days and gap days add up to the days of the period', () => {
    fc.assert(fc.property(fc.array(recordArb(countArb), { maxLength: 25 }), queryArb, policyArb, (rs, period, partial) => {
      for (const t of [total(rs, period, vintage, { partial }), ...['phone', 'laptop'].map((c) => total(rs.filter((r) => r.series.category === c), period, vintage, { partial }))]) {
        const gapDays = t.gaps.reduce((n, g) => n + parseIsoDay(g.end)! - parseIsoDay(g.start)! + 1, 0);
        expect(t.covered_days + gapDays).toBe(t.days);
      }
    }), { numRuns: 200 });
  });

  it('splitting a period into two adjacent parts gives totals that add up (exact, non-overlapping, aligned data)', () => {
    // Consecutive segments of days or of months; each has a figure per category or none (a gap).
    const segment = fc.record({
      len: fc.integer({ min: 1, max: 40 }),
      phone: fc.option(fc.nat({ max: 100 }), { freq: 4 }),
      laptop: fc.option(fc.nat({ max: 100 }), { freq: 4 }),
    });
    fc.assert(fc.property(
      fc.boolean(), fc.array(segment, { minLength: 2, maxLength: 14 }), fc.nat(), fc.nat(), fc.nat(), policyArb,
      (byMonth, segments, x, y, z, partial) => {
        const bounds: number[] = [0];
        for (const s of segments) bounds.push(bounds[bounds.length - 1]! + (byMonth ? Math.ceil(s.len / 10) : s.len));
        const dayOfBound = (b: number) => (byMonth ? parseIsoDay(monthIndexStart(b))! : BASE + b);
        const records: AssetRecord[] = [];
        segments.forEach((s, i) => {
          const start = formatDay(dayOfBound(bounds[i]!));
          const end = formatDay(dayOfBound(bounds[i + 1]!) - 1);
          if (s.phone !== null) records.push(rec('a', [start, end], s.phone));
          if (s.laptop !== null) records.push(rec('a', [start, end], s.laptop, { category: 'laptop' }));
        });
        const [a, m, c] = [x, y, z].map((v) => v % (segments.length + 1)).sort((p, r) => p - r) as [number, number, number];
        if (!(a < m && m < c)) return;
        const whole = span(formatDay(dayOfBound(bounds[a]!)), formatDay(dayOfBound(bounds[c]!) - 1));
        const left = span(whole.start, formatDay(dayOfBound(bounds[m]!) - 1));
        const right = span(formatDay(dayOfBound(bounds[m]!)), whole.end);
        const gapDays = (t: TotalResult) => t.gaps.reduce((n, g) => n + parseIsoDay(g.end)! - parseIsoDay(g.start)! + 1, 0);
        for (const [rs, single] of [[records, false], [records.filter((r) => r.series.category === 'phone'), true]] as const) {
          const [tw, tl, tr] = [whole, left, right].map((p) => total(rs, p, vintage, { partial }));
          expect(tw!.caveats.filter((cv) => cv.severity === 'error')).toEqual([]);
          expect(tw!.has_data).toBe(tl!.has_data || tr!.has_data);
          if (tw!.has_data) expect(tw!.total).toBe((tl!.total ?? 0) + (tr!.total ?? 0));
          expect(tw!.days).toBe(tl!.days + tr!.days);
          // One series: its gaps and covered days add up too. (Over several series a part only
          // counts the series that have a record in it, so gaps are not additive there.)
          if (single) {
            expect(gapDays(tw!)).toBe(gapDays(tl!) + gapDays(tr!));
            expect(tw!.covered_days).toBe(tl!.covered_days + tr!.covered_days);
          }
        }
      },
    ), { numRuns: 400 });
  });

  it('a range total [min, max] contains the total of every choice of values within the suppressed bounds', () => {
    fc.assert(fc.property(
      fc.array(recordArb(countArb), { maxLength: 20 }).chain((rs) => fc.tuple(fc.constant(rs), fc.array(fc.nat({ max: 1000 }), { minLength: rs.length, maxLength: rs.length }))),
      queryArb, fc.constantFrom('exclude' as const, 'include' as const, 'prorate' as const),
      ([rs, picks], period, partial) => {
        const points = rs.map((r, i) => {
          if (r.count.kind !== 'suppressed') return r;
          const width = r.count.max === null ? 1001 : r.count.max - r.count.min + 1;
          return { ...r, count: exact(r.count.min + (picks[i]! % width)) };
        });
        const range = total(rs, period, vintage, { partial });
        const point = total(points, period, vintage, { partial });
        expect(point.has_data).toBe(range.has_data);
        if (!range.has_data) return;
        expect(point.total_min).toBeCloseTo(point.total_max!, 9);
        expect(point.total_min!).toBeGreaterThanOrEqual(range.total_min! - 1e-9);
        if (range.total_max !== null) expect(point.total_min!).toBeLessThanOrEqual(range.total_max + 1e-9);
        expect(point.covered_days).toBe(range.covered_days);
      },
    ), { numRuns: 300 });
  });

  it('chooseCover never overlaps itself and covers the most days (at least any single candidate)', () => {
    const item = fc.record({ start: fc.nat({ max: 60 }), len: fc.integer({ min: 1, max: 30 }), rank: fc.nat({ max: 3 }) })
      .map(({ start, len, rank }) => ({ start, end: start + len - 1, rank }));
    fc.assert(fc.property(fc.array(item, { maxLength: 10 }), (items) => {
      const chosen = chooseCover(items);
      const sorted = [...chosen].sort((a, b) => a.start - b.start);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.start).toBeGreaterThan(sorted[i - 1]!.end);
      for (const c of chosen) expect(items).toContain(c);
      const days = (set: typeof items) => set.reduce((n, c) => n + c.end - c.start + 1, 0);
      for (const c of items) expect(days(chosen)).toBeGreaterThanOrEqual(c.end - c.start + 1);
      // The most days of any non-overlapping subset (brute force).
      let best = 0;
      for (let mask = 0; mask < 1 << items.length; mask++) {
        const subset = items.filter((_, i) => mask & (1 << i)).sort((a, b) => a.start - b.start);
        if (subset.every((c, i) => i === 0 || c.start > subset[i - 1]!.end)) best = Math.max(best, days(subset));
      }
      expect(days(chosen)).toBe(best);
    }), { numRuns: 300 });
  });
});

describe('overlaps found by a sweep over the chosen records', () => {
  // The engine finds the chosen records a left-out one meets, and the left-out records inside a
  // chosen one, by binary search over the chosen (disjoint, sorted): the same lists, in the same
  // order, as filtering every chosen (or left-out) record, which grew as n² with two answers.
  const interval = fc.record({ start: fc.nat({ max: 80 }), len: fc.integer({ min: 1, max: 25 }), rank: fc.nat({ max: 2 }) })
    .map(({ start, len, rank }) => ({ start, end: start + len - 1, rank }));
  it('gives what a filter gives (property)', () => {
    fc.assert(fc.property(fc.array(interval, { maxLength: 14 }), fc.array(interval, { maxLength: 14 }), (pool, probes) => {
      const chosen = chooseCover(pool);
      for (const c of probes) {
        expect(overlapping(chosen, c.start, c.end)).toEqual(chosen.filter((k) => k.start <= c.end && k.end >= c.start));
      }
      const keep = (c: { rank: number }, k: { rank: number }) => c.rank !== k.rank;
      expect(insideEach(chosen, probes, keep)).toEqual(chosen.map((k) => probes.filter((c) => c.start >= k.start && c.end <= k.end && keep(c, k))));
    }), { numRuns: 500 });
  });
});

describe('the daily shortcut (an incident log\'s series)', () => {
  // Exact one-day records from one source, one per day, take a shortcut in totalSeries. A record
  // that rules the shortcut out (a missing figure far outside the period) sends the same records
  // down the general path, which leaves it out: both must give the same result, caveats and all.
  const farAway = rec('log', ['2000-01-01', '2000-01-01'], notAvailable);
  it('gives what the general path gives (property)', () => {
    const days = fc.uniqueArray(fc.nat({ max: 120 }), { minLength: 1, maxLength: 40 });
    fc.assert(fc.property(days, fc.array(fc.nat({ max: 9 }), { minLength: 40, maxLength: 40 }), fc.nat({ max: 120 }), fc.nat({ max: 60 }), (ds, values, from, len) => {
      const rs = ds.map((d, i) => rec('log', [addDays('2024-01-01', d), addDays('2024-01-01', d)], values[i]!));
      const p = span(addDays('2024-01-01', from), addDays('2024-01-01', from + len));
      const fast = totalSeries(rs, p, oldNew);
      const general = totalSeries([...rs, farAway], p, oldNew);
      expect(fast).toEqual(general);
    }), { numRuns: 300 });
  });

  it('is not taken for two records of one day, nor for two sources', () => {
    const a = rec('log', ['2024-01-02', '2024-01-02'], 3);
    const b = rec('log', ['2024-01-02', '2024-01-02'], 4);
    expect(codes(totalSeries([a, b], q('2024-01'), oldNew))).toContain('INCONSISTENCY');
    const c = rec('new', ['2024-01-02', '2024-01-02'], 5);
    const t = totalSeries([a, c], q('2024-01'), oldNew);
    expect(t.total).toBe(5);
    expect(codes(t)).toContain('REVISION');
  });
});

describe('the disjoint shortcut (an answer\'s series)', () => {
  // Records inside the period that share no day, with no missing figure and none crossing an
  // end, take a shortcut in totalSeries. A missing figure far outside the period sends the same
  // records down the general path: both must give the same result, caveats and all, and records
  // that overlap or cross an end (which rule the shortcut out) must still be told apart.
  const farAway = rec('old', ['2000-01-01', '2000-01-01'], notAvailable);
  const piece = fc.record({
    at: fc.nat({ max: 150 }), len: fc.integer({ min: 1, max: 45 }), source: fc.constantFrom('old', 'new'),
    count: fc.oneof(fc.nat({ max: 60 }).map(exact), fc.integer({ min: 1, max: 10 }).map(below), fc.constant(confidential)),
  });
  it('gives what the general path gives (property)', () => {
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 10 }), fc.nat({ max: 150 }), fc.nat({ max: 90 }), fc.boolean(), (ps, from, len, separate) => {
      // `separate`: laid end to end (disjoint, so the shortcut's case); otherwise where they fall.
      let next = 0;
      const rs = ps.map((x, i) => {
        const at = separate ? next + (x.at % 7) : x.at;
        next = at + x.len;
        return rec(x.source, [addDays('2024-01-01', at), addDays('2024-01-01', at + x.len - 1)], x.count, { line: i + 2 });
      });
      const p = span(addDays('2024-01-01', from), addDays('2024-01-01', from + len));
      for (const partial of ['error', 'exclude', 'include', 'prorate'] as const) {
        expect(totalSeries(rs, p, oldNew, { partial })).toEqual(totalSeries([...rs, farAway], p, oldNew, { partial }));
      }
    }), { numRuns: 400 });
  });
});

describe('a log\'s series kept dense (a day array and running sums)', () => {
  // A dense series is totalled by two running sums; the day records it stands for take the
  // daily shortcut, or the general path beside another answer's records: all must agree.
  const dense = (from: number, values: number[], base = from, slack = 0): DailyRecord => {
    const counts = new Float64Array(values.length + slack + (from - base));
    values.forEach((v, i) => { counts[from - base + i] = v; });
    const start = parseIsoDay('2024-01-01')! + from;
    const daily = { start, end: start + values.length - 1, base: parseIsoDay('2024-01-01')! + base, counts, sums: checkpoints(counts), line: 7 };
    const series = { department: 'MOD', category: 'phone', status: 'lost-or-stolen', unit: null };
    const period = { start: formatDay(daily.start), end: formatDay(daily.end), label: 'log', kind: 'custom' as const };
    return { series, period, count: exact(0), provenance: { source_id: 'log', file: 'log.csv', line: 7, column: 0, raw: '0', row_label: 'log', column_label: 'incidents' }, daily };
  };
  const values = fc.array(fc.nat({ max: 70_000 }), { minLength: 1, maxLength: 300 });
  // A result made lazily has its chosen records from its class, not as a field of its own.
  const plain = (t: TotalResult) => ({ ...t, chosen: t.chosen });
  it('gives what its day records give, by the shortcut and by the general path (property)', () => {
    fc.assert(fc.property(values, fc.nat({ max: 40 }), fc.nat({ max: 20 }), fc.nat({ max: 130 }), fc.integer({ min: -20, max: 360 }), fc.nat({ max: 400 }), (vs, from, before, slack, qFrom, qLen) => {
      const r = dense(from, vs, from - before, slack);
      const p = span(addDays('2024-01-01', qFrom), addDays('2024-01-01', qFrom + qLen));
      const days = dayRecords(r);
      const fast = plain(totalSeries([r], p, oldNew));
      expect(fast).toEqual(plain(totalSeries(days, p, oldNew)));
      expect(fast).toEqual(plain(totalSeries([...days, rec('log', ['2000-01-01', '2000-01-01'], notAvailable)], p, oldNew)));
    }), { numRuns: 300 });
  });

  it('beside another answer\'s records of the series, gives what its day records give there (property)', () => {
    const other = fc.array(fc.record({ at: fc.nat({ max: 300 }), len: fc.integer({ min: 1, max: 40 }), v: fc.nat({ max: 50 }) }), { maxLength: 6 });
    fc.assert(fc.property(values, fc.nat({ max: 40 }), other, fc.nat({ max: 300 }), fc.nat({ max: 200 }), fc.constantFrom('exclude' as const, 'include' as const, 'prorate' as const), (vs, from, os, qFrom, qLen, partial) => {
      const r = dense(from, vs);
      const answers = os.map((o) => rec('new', [addDays('2024-01-01', o.at), addDays('2024-01-01', o.at + o.len - 1)], o.v, { line: o.at + 1 }));
      const p = span(addDays('2024-01-01', qFrom), addDays('2024-01-01', qFrom + qLen));
      const vintage = newerLater('log', 'new');
      expect(plain(totalSeries([r, ...answers], p, vintage, { partial }))).toEqual(plain(totalSeries([...dayRecords(r), ...answers], p, vintage, { partial })));
      expect(plain(total([r, ...answers], p, vintage, { partial }))).toEqual(plain(total([...dayRecords(r), ...answers], p, vintage, { partial })));
    }), { numRuns: 300 });
  });

  it('counts its days as day records (expandDaily, dayRecordCount) and sums exactly past 2^32', () => {
    const r = dense(0, [2 ** 40, 3, 2 ** 33]);
    expect(expandDaily([r]).map((x) => (x.count as { value: number }).value)).toEqual([2 ** 40, 3, 2 ** 33]);
    expect(dayRecordCount([r, rec('a', '2024-07', 1)])).toBe(4);
    expect(totalSeries([r], span('2024-01-01', '2024-01-03'), oldNew).total).toBe(2 ** 40 + 3 + 2 ** 33);
  });
});

describe('many series', () => {
  it('a total over 150,000 series (one per unit) adds them all: the join takes no argument per series', () => {
    // concat(...lists) passes one argument per series and overflowed the stack near 125,000.
    const rs = Array.from({ length: 150_000 }, (_, i) => rec('a', '2024-07', i % 3, { unit: `u${i}` }));
    const t = total(rs, q('2024-07'), oldNew);
    expect(t.total).toBe(150_000 / 3 * (0 + 1 + 2));
    expect(t.chosen).toHaveLength(150_000);
  });
});

describe('uniqueCaveats', () => {
  it('drops exactly the caveats equal to an earlier one, in order (property)', () => {
    const small = (...xs: string[]) => fc.constantFrom(...xs);
    const ref = fc.record({ source_id: small('a', 'b'), label: small('2024-01'), start: small('2024-01-01', '2024-02-01'), end: small('2024-01-31'), value: small('3', '4'), file: small('a.csv', 'b.csv'), line: fc.integer({ min: 1, max: 3 }), series: small('phone') });
    const caveat = fc.oneof(
      fc.record({ code: fc.constant('NO_DATA' as const), severity: fc.constant('warning' as const), period: small('2024', '2023') }),
      fc.record({ code: fc.constant('GAP' as const), severity: fc.constant('warning' as const), period: small('2024'), series: small('phone', 'laptop'), start: small('2024-01-01', '2024-03-01'), end: small('2024-01-31') }),
      fc.record({ code: fc.constant('REVISION' as const), severity: fc.constant('info' as const), period: small('2024'), series: small('phone'), record: ref, other: ref, counted: fc.boolean() }),
    );
    fc.assert(fc.property(fc.array(caveat, { maxLength: 30 }), (list) => {
      const seen = new Set<string>();
      const expected = list.filter((c) => !seen.has(JSON.stringify(c)) && seen.add(JSON.stringify(c)));
      expect(uniqueCaveats(list as Caveat[])).toEqual(expected);
    }), { numRuns: 500 });
  });
});
