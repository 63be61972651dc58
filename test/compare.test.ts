// `compare` on the built-in dataset (the published MoD answers): through the API and the CLI
// (-f json, run in process). Figures are the published ones (fixtures/builtin/SOURCES.md).
import { beforeAll, describe, expect, it } from 'vitest';
import { compare, loadSources, period, total, vintageLookup, type Dataset } from '../src/index.js';
import type { AssetRecord } from '../src/model/model.js';
import { BUILTIN } from './helpers/engine.js';
import { runInProcess, runJson } from './helpers/run.js';
import { diagnostics } from './helpers/output.js';

const cli = (...args: string[]) => runInProcess(args);
const cliJson = <T>(...args: string[]) => runJson<T>(args);

const HEADLINE = ['compare', '2025-01-01..2025-02-27', '2023..2024', '--category', 'phone'];

interface PeriodJson {
  period: string; start: string; end: string; days: number; covered_days: number;
  total: number | null; total_min: number | null; total_max: number | null; rate: number | null;
  gaps: { start: string; end: string }[]; estimate: boolean; category?: string;
}
interface CaveatJson { code: string; message: string; relation?: string; newer?: boolean; boundary?: string; record?: { label: string; value: string; start: string; end: string }; other?: { label: string; value: string } }
interface CompareJson {
  per: string;
  periods: PeriodJson[];
  comparisons: { a: string; b: string; difference: number | null; ratio: number | null; rate_ratio: number | null }[];
  caveats: CaveatJson[];
}

let all: Dataset;
const phones = (rs: AssetRecord[]) => rs.filter((r) => r.series.category === 'phone');
const totalOf = (ds: Dataset, text: string, category: string) =>
  total(ds.records.filter((r) => r.series.category === category), period(text), vintageLookup(ds.sources));

beforeAll(async () => {
  all = await loadSources();
});

describe('the headline: 269 phones in 2025 to 27 February against 262 in 2023 and 2024', () => {
  it('totals, days, rates and their ratios', async () => {
    const j = await cliJson<CompareJson>(...HEADLINE);
    expect(j.periods).toHaveLength(2);
    const [a, b] = j.periods as [PeriodJson, PeriodJson];
    expect(a).toMatchObject({ period: '2025-01-01..2025-02-27', start: '2025-01-01', end: '2025-02-27', days: 58, covered_days: 58, total: 269, total_min: 269, total_max: 269, gaps: [] });
    expect(b).toMatchObject({ period: '2023..2024', start: '2023-01-01', end: '2024-12-31', days: 731, covered_days: 731, total: 262, total_min: 262, total_max: 262, gaps: [] });
    expect(a.rate).toBeCloseTo(269 / 58, 12);
    expect(b.rate).toBeCloseTo(262 / 731, 12);
    expect(j.comparisons).toHaveLength(1);
    const c = j.comparisons[0]!;
    expect(c).toMatchObject({ a: '2025-01-01..2025-02-27', b: '2023..2024', difference: 7 });
    expect(c.ratio).toBeCloseTo(269 / 262, 12);
    expect(c.rate_ratio).toBeCloseTo((269 / 58) / (262 / 731), 12);
    expect(c.rate_ratio).toBeCloseTo(12.94, 2);
  });

  it('exactly two caveats: 5–31 July (14) inside the full July (19); 1–15 December (5) inside the newer full December (7)', async () => {
    const j = await cliJson<CompareJson>(...HEADLINE);
    expect(j.caveats.map((c) => c.code)).toEqual(['OVERLAP', 'OVERLAP']);
    const [july, december] = j.caveats as [CaveatJson, CaveatJson];
    expect(july).toMatchObject({ relation: 'inside', newer: false, record: { label: 'From 5 July 24', value: '14', start: '2024-07-05', end: '2024-07-31' }, other: { label: 'July', value: '19' } });
    expect(december).toMatchObject({ relation: 'inside', newer: true, record: { label: 'December (to 15th)', value: '5', start: '2024-12-01', end: '2024-12-15' }, other: { label: 'December 24', value: '7' } });
    for (const c of j.caveats) expect(c.message).toMatch(/\S/);
  });

  it('the API gives the same figures as the CLI', () => {
    const r = compare(phones(all.records), [period('2025-01-01..2025-02-27'), period('2023..2024')], vintageLookup(all.sources));
    expect(r.periods.map((p) => p.total)).toEqual([269, 262]);
    expect(r.comparisons[0]!.rate_ratio).toBeCloseTo((269 / 58) / (262 / 731), 12);
  });

  it('the table view shows the totals and the overlaps as numbered notes', async () => {
    const r = await cli(...HEADLINE, '-f', 'table', '-q');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/269/);
    expect(r.stdout).toMatch(/262/);
    expect(r.stdout).toMatch(/\[1\] .*From 5 July 24/);
    expect(r.stdout).toMatch(/\[2\] .*December \(to 15th\)/);
  });
});

describe('July and December 2024 with all three answers', () => {
  it('July 2024 is 19 phones (the full month, not 5–31 July)', async () => {
    const t = totalOf(all, '2024-07', 'phone');
    expect([t.total, t.covered_days, t.gaps]).toEqual([19, 31, []]);
    expect(t.chosen.map((r) => r.period.label)).toEqual(['July']);
    expect((await cliJson<CompareJson>('compare', '2024-07', '2024-12', '--category', 'phone')).periods.map((p) => p.total)).toEqual([19, 7]);
  });

  it('December 2024 is 7 phones (the newer full month, not 1–15 December)', () => {
    const t = totalOf(all, '2024-12', 'phone');
    expect([t.total, t.covered_days, t.gaps]).toEqual([7, 31, []]);
    expect(t.chosen.map((r) => r.provenance.source_id)).toEqual(['mod-devices-2024-07-05-to-2025-02-27']);
  });
});

describe('only the March 2025 answer loaded', () => {
  it('July 2024 is 14 phones with a gap of 1–4 July', async () => {
    const only = await loadSources([BUILTIN.y2025]);
    const t = totalOf(only, '2024-07', 'phone');
    expect(t.total).toBe(14);
    expect(t.gaps).toEqual([{ start: '2024-07-01', end: '2024-07-04' }]);
    const j = await cliJson<CompareJson>('compare', '2024-07', '2024-08', '--category', 'phone', '-i', BUILTIN.y2025);
    expect(j.periods[0]).toMatchObject({ total: 14, days: 31, covered_days: 27, gaps: [{ start: '2024-07-01', end: '2024-07-04' }] });
    expect(j.caveats.filter((c) => c.code === 'GAP')).toHaveLength(1);
  });

  it('--require-complete turns that gap into exit 2 with nothing on stdout', async () => {
    const r = await cli('compare', '2024-07', '2024-08', '--category', 'phone', '-i', BUILTIN.y2025, '--require-complete', '-f', 'json', '-q');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/2024-07.*1 Jul 2024–4 Jul 2024.*--require-complete/);
  });

  it('--require-complete passes when every day is covered', async () => {
    expect((await cli(...HEADLINE, '--require-complete', '-f', 'json', '-q')).code).toBe(0);
  });
});

describe('published Total rows, reproduced with the whole built-in dataset loaded', () => {
  const cases: [string, Record<string, number>][] = [
    ['2024-01-01..2024-12-15', { computer: 25, usb: 125, phone: 159, laptop: 138 }],
    ['2024-07-05..2025-02-27', { computer: 11, usb: 13, phone: 356, laptop: 62 }],
    ['2023', { computer: 0, laptop: 176, usb: 20, phone: 101 }],
  ];
  for (const [text, expected] of cases) {
    it(`${text}: ${Object.entries(expected).map(([k, v]) => `${v} ${k}`).join(', ')} (compare --by category)`, async () => {
      const j = await cliJson<CompareJson>('compare', text, '2023', '--by', 'category');
      const got = Object.fromEntries(j.periods.filter((p) => p.period === text).map((p) => [p.category, p.total]));
      expect(got).toEqual(expected);
      for (const p of j.periods.filter((e) => e.period === text)) expect(p.gaps).toEqual([]);
    });

    it(`${text}: the API total per category gives the same`, () => {
      for (const [category, value] of Object.entries(expected)) expect(totalOf(all, text, category).total).toBe(value);
    });
  }

  it('2024-01-01..2024-12-15 needs no --partial: the newer full December is a redundant overlap there', () => {
    const t = totalOf(all, '2024-01-01..2024-12-15', 'phone');
    expect(t.caveats.map((c) => c.code).sort()).toEqual(['OVERLAP', 'REDUNDANT_OVERLAP']);
  });
});

describe('a straddling query: 2024-07-10..2024-12-31', () => {
  const args = ['compare', '2024-07-10..2024-12-31', '2024', '--category', 'phone'];

  it('fails with exit 2 by default, naming the July records and the boundary, nothing on stdout', async () => {
    const r = await cli(...args, '-q');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/"July".*2024-07-10/);
    expect(r.stderr).toMatch(/"From 5 July 24".*2024-07-10/);
    expect(r.stderr).toMatch(/--partial/);
  });

  it('--partial exclude: both July records left out (PARTIAL_EXCLUDED), 10–31 July a gap', async () => {
    const j = await cliJson<CompareJson>(...args, '--partial', 'exclude');
    const codes = j.caveats.filter((c) => c.code === 'PARTIAL_EXCLUDED').map((c) => c.record?.label).sort();
    expect(codes).toEqual(['From 5 July 24', 'July']);
    expect(j.periods[0]).toMatchObject({ total: 73, gaps: [{ start: '2024-07-10', end: '2024-07-31' }] });
    expect(j.caveats.map((c) => c.code)).toContain('GAP');
  });

  it('--partial include: the newer 5–31 July counted whole (PARTIAL_INCLUDED), the full July redundant', async () => {
    const j = await cliJson<CompareJson>(...args, '--partial', 'include');
    expect(j.caveats.filter((c) => c.code === 'PARTIAL_INCLUDED').map((c) => c.record?.label)).toEqual(['From 5 July 24']);
    expect(j.caveats.filter((c) => c.code === 'REDUNDANT_OVERLAP').map((c) => c.record?.label)).toEqual(['July']);
    expect(j.caveats.map((c) => c.code)).not.toContain('REVISION');
    expect(j.periods[0]).toMatchObject({ total: 87, gaps: [] });
  });

  it('--partial prorate: 5–31 July counted for 22 of its 27 days (PRORATED), an estimate with no exact total', async () => {
    const j = await cliJson<CompareJson>(...args, '--partial', 'prorate');
    expect(j.caveats.filter((c) => c.code === 'PRORATED').map((c) => c.record?.label)).toEqual(['From 5 July 24']);
    const p = j.periods[0]!;
    expect(p.estimate).toBe(true);
    expect(p.total).toBeNull();
    expect(p.total_min).toBeCloseTo(73 + (14 * 22) / 27, 9);
    expect(j.comparisons[0]!.difference).toBeNull();
  });
});

describe('bad periods are usage errors before any file is read', () => {
  for (const bad of ['2023-24', '2025-13', 'foo', '2024..foo', '2024-02-30']) {
    for (const position of ['first', 'second'] as const) {
      it(`${bad} as the ${position} period: exit 2, the message is about the period, not the (missing) input file`, async () => {
        const periods = position === 'first' ? [bad, '2024'] : ['2024', bad];
        const r = await cli('compare', ...periods, '-i', '/nonexistent/answer.csv', '-f', 'json');
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain(bad);
        expect(r.stderr).toMatch(/period/);
        expect(r.stderr).not.toMatch(/nonexistent/);
      });
    }
  }

  it('(the control: with good periods the same missing file is the error)', async () => {
    const r = await cli('compare', '2024', '2023', '-i', '/nonexistent/answer.csv', '-f', 'json', '--debug');
    expect(r.code).toBe(2);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: '/nonexistent/answer.csv', code: 'CANNOT_OPEN' }]);
  });

  it('2023-24 is pointed at FY2023-24', async () => {
    expect((await cli('compare', '2023-24', '2024')).stderr).toMatch(/FY2023-24/);
  });
});

describe('the JSON contract', () => {
  it('periods, comparisons and caveats carry the contract keys', async () => {
    const j = await cliJson<CompareJson & Record<string, unknown>>(...HEADLINE);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['periods', 'comparisons', 'caveats']));
    for (const p of j.periods) {
      expect(Object.keys(p)).toEqual(expect.arrayContaining(['period', 'start', 'end', 'days', 'covered_days', 'total', 'total_min', 'total_max', 'rate', 'gaps']));
    }
    for (const c of j.comparisons) expect(Object.keys(c)).toEqual(expect.arrayContaining(['a', 'b', 'difference', 'ratio', 'rate_ratio']));
    for (const c of j.caveats) {
      expect(typeof c.code).toBe('string');
      expect(typeof c.message).toBe('string');
    }
  });

  it('--by adds its key to each period and comparison', async () => {
    const j = await cliJson<CompareJson>('compare', '2024-07', '2024-08', '--by', 'category');
    for (const p of j.periods) expect(p).toHaveProperty('category');
    for (const c of j.comparisons) expect(c).toHaveProperty('category');
    expect(new Set(j.periods.map((p) => p.category))).toEqual(new Set(['computer', 'laptop', 'phone', 'usb']));
  });

  it('csv and ndjson carry the same snake_case names, one row per period', async () => {
    const csv = await cli(...HEADLINE, '-f', 'csv', '-q');
    expect(csv.code).toBe(0);
    const [head, ...rows] = csv.stdout.trim().split('\n');
    expect(head!.split(',')).toEqual(expect.arrayContaining(['period', 'start', 'end', 'days', 'covered_days', 'total', 'total_min', 'total_max', 'rate', 'gaps', 'difference', 'ratio', 'rate_ratio']));
    expect(rows).toHaveLength(2);
    const nd = (await cli(...HEADLINE, '-f', 'ndjson', '-q')).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(nd.map((o) => o.total)).toEqual([269, 262]);
  });
});

describe('--per scales the rates, never the ratios', () => {
  let daily: CompareJson;
  beforeAll(async () => { daily = await cliJson<CompareJson>(...HEADLINE); });
  const cases = [['week', 7], ['month', 365.25 / 12], ['year', 365.25]] as const;
  for (const [unit, days] of cases) {
    it(`--per ${unit}: rate = per-day rate × ${days}`, async () => {
      const j = await cliJson<CompareJson>(...HEADLINE, '--per', unit);
      expect(j.per).toBe(unit);
      j.periods.forEach((p, i) => expect(p.rate).toBeCloseTo(daily.periods[i]!.rate! * days, 9));
      expect(j.comparisons[0]!.rate_ratio).toBeCloseTo(daily.comparisons[0]!.rate_ratio!, 12);
      expect(j.periods.map((p) => p.total)).toEqual([269, 262]);
    });
  }

  it('--per fortnight is a usage error', async () => {
    expect((await cli(...HEADLINE, '--per', 'fortnight')).code).toBe(2);
  });
});

describe('no data is never 0', () => {
  it('--status stolen: null totals and rates, NO_DATA per period, null comparisons (the MoD does not split theft from loss)', async () => {
    const j = await cliJson<CompareJson>(...HEADLINE.slice(0, 3), '--status', 'stolen');
    for (const p of j.periods) expect(p).toMatchObject({ total: null, total_min: null, total_max: null, rate: null, covered_days: 0 });
    expect(j.caveats.map((c) => c.code)).toEqual(['NO_DATA', 'NO_DATA']);
    expect(j.comparisons).toEqual([expect.objectContaining({ difference: null, ratio: null, rate_ratio: null })]);
  });

  it('--status stolen --by category still says NO_DATA (with null comparisons)', async () => {
    const j = await cliJson<CompareJson>(...HEADLINE.slice(0, 3), '--status', 'stolen', '--by', 'category');
    expect(j.periods.every((p) => p.total === null)).toBe(true);
    expect(j.comparisons).toHaveLength(1);
    expect(j.caveats.map((c) => c.code)).toContain('NO_DATA');
  });

  it('a period before any answer has no data, and its ratio is null, not infinite', async () => {
    const j = await cliJson<CompareJson>('compare', '2024', '2015', '--category', 'phone');
    expect(j.periods[1]).toMatchObject({ total: null, rate: null });
    expect(j.comparisons[0]).toMatchObject({ difference: null, ratio: null, rate_ratio: null });
  });

  it('all categories over years where they cover different days: no rate for the sum (UNEVEN_COVERAGE), rates by category', async () => {
    const j = await cliJson<CompareJson>('compare', '2021..2024', '2023', '--category', 'phone', '--category', 'hard-drive');
    expect(j.periods[0]!.total).not.toBeNull();
    expect(j.periods[0]!.rate).toBeNull();
    expect(j.caveats.map((c) => c.code)).toContain('UNEVEN_COVERAGE');
    const by = await cliJson<CompareJson>('compare', '2021..2024', '2023', '--category', 'phone', '--category', 'hard-drive', '--by', 'category');
    const hd = by.periods.find((p) => p.category === 'hard-drive' && p.period === '2021..2024')!;
    expect(hd).toMatchObject({ total: 25, covered_days: 365 });
    expect(hd.rate).toBeCloseTo(25 / 365, 12);
  });
});
