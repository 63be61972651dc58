// trend: the series from the summary engine, the spike rule (on the built-in answers and on
// generated series, with the shift property), the terminal chart pinned byte for byte (UTF-8 and
// ASCII, 60 and 100 columns), machine formats, and the charts for articles: SVG well-formed with
// its footnotes and no bar for a gap, the Vega-Lite spec pinned, PNG. The CLI runs in process but
// for the README's chart, drawn by the real binary. `npx vitest run -u test/trend.test.ts`
// rewrites the golden files (review the diff before committing it).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { judgeSpikes, median, type RateCell, DEFAULT_SPIKES } from '../src/engine/trend.js';
import { displayWidth } from '../src/format/table.js';
import { parseXml, type XmlElement } from './check/xml.js';
import { spawnCli } from './helpers/spawn.js';
import { runInProcess } from './helpers/run.js';
import { ROOT, tempDir } from './helpers/files.js';

const GAPS = 'test/trend/gaps-and-ranges.csv';

/** The golden file test/golden/trend/NAME: a missing or changed one fails (vitest.config.ts). */
const matchGolden = (name: string, actual: string) => expect(actual).toMatchFileSnapshot(`golden/trend/${name}`);
const cli = (args: string[], env?: Record<string, string | undefined>) => runInProcess(args, { env });

type Row = Record<string, unknown>;
const rows = async (args: string[]): Promise<Row[]> => {
  const r = await cli(['trend', '-q', '-f', 'json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { rows: Row[] }).rows;
};
const byPeriod = (rs: Row[]) => new Map(rs.map((r) => [r.period as string, r]));

describe('trend on the built-in answers', () => {
  let phones: Map<string, Row>;
  let usbs: Map<string, Row>;
  beforeAll(async () => {
    phones = byPeriod(await rows(['--category', 'phone']));
    usbs = byPeriod(await rows(['--category', 'usb']));
  });

  it('each period is the summary engine\'s total: the same figures as summary', async () => {
    const summary = await cli(['summary', '-q', '--category', 'phone', '--from', '2023-01', '--to', '2025-01', '-f', 'json']);
    const sRows = (JSON.parse(summary.stdout) as { rows: Row[] }).rows.filter((r) => r.period !== 'total');
    for (const s of sRows) expect(phones.get(s.period as string)?.total, s.period as string).toBe(s.phone);
  });

  it('January and February 2025 phones are spikes; October 2024 (37) is not, against the months before it', () => {
    expect(phones.get('2025-01')).toMatchObject({ total: 124, spike: 'true', spike_status: 'spike' });
    expect(phones.get('2025-02')).toMatchObject({ total: 145, spike: 'true', spike_status: 'spike' });
    expect(phones.get('2024-10')).toMatchObject({ total: 37, spike: 'false', spike_status: 'none' });
    expect(phones.get('2024-10')!.score as number).toBeGreaterThan(3.5); // high, but not far above
    expect(phones.get('2024-10')!.score as number).toBeLessThan(DEFAULT_SPIKES.threshold);
    const flagged = [...phones.values()].filter((r) => r.spike === 'true').map((r) => r.period);
    expect(flagged).toEqual(['2025-01', '2025-02']);
  });

  it('June 2024 USBs (84) are a spike, and no other month', () => {
    expect(usbs.get('2024-06')).toMatchObject({ total: 84, spike: 'true' });
    expect([...usbs.values()].filter((r) => r.spike === 'true').map((r) => r.period)).toEqual(['2024-06']);
  });

  it('the baseline is the median and MAD of the 12 months before, from the data', () => {
    const jan = phones.get('2025-01')!;
    // Jan 2024 – Dec 2024 per-day rates.
    const months = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12'];
    const rates = months.map((m) => phones.get(m)!.rate as number);
    const m = median(rates);
    expect(jan.baseline).toBeCloseTo(m, 5);
    expect(jan.baseline_mad).toBeCloseTo(median(rates.map((r) => Math.abs(r - m))), 5);
    expect(jan.baseline_periods).toBe(12);
    expect(jan.factor).toBeCloseTo(4 / m, 4);
  });

  it('a part month is a part of a whole month, scaled by its per-day rate: February 2025, 145 in 27 of 28 days', () => {
    expect(phones.get('2025-02')).toMatchObject({ start: '2025-02-01', end: '2025-02-28', days: 28, covered_days: 27, total: 145, partial: 'true', status: 'partial' });
    expect(phones.get('2025-02')!.scaled).toBeCloseTo((145 / 27) * 28, 5);
  });

  it('months no figure fits are empty, never 0, and said so', () => {
    const early = phones.get('2019-05')!;
    expect(early).toMatchObject({ total: null, scaled: null, rate: null, status: 'no_data', no_data: 'true', spike: null, spike_status: 'no_rate' });
    expect(early.note).toMatch(/"2019".*left out/);
  });

  it('a threshold, window and method can be changed', async () => {
    const low = byPeriod(await rows(['--category', 'phone', '--spike-threshold', '5']));
    expect(low.get('2024-10')!.spike).toBe('true');
    const others = byPeriod(await rows(['--category', 'phone', '--spike-method', 'others']));
    expect(others.get('2025-01')!.baseline_periods).toBe(25);
    const short = byPeriod(await rows(['--category', 'phone', '--spike-window', '3', '--spike-min-periods', '3']));
    expect(short.get('2025-01')!.baseline_periods).toBe(3);
  });
});

describe('the spike rule on generated series', () => {
  const cells = (rates: number[], days = 30): RateCell[] => rates.map((r) => ({ rate: r, rate_min: r, rate_max: r, days }));

  it('flags a period far above a noisy flat series, and nothing else', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const rates = Array.from({ length: 36 }, () => 10 + Math.floor(rand() * 5));
    rates[30] = 40;
    const judged = judgeSpikes(cells(rates));
    expect(judged.map((j, i) => (j.status === 'spike' ? i : -1)).filter((i) => i >= 0)).toEqual([30]);
    expect(judged.slice(0, 6).every((j) => j.status === 'too_few_periods')).toBe(true);
  });

  it('a baseline of equal rates (MAD 0) is floored at one item in the period: a rise of one is not a spike', () => {
    const perDay = (n: number) => n / 30;
    const judged = judgeSpikes(cells([0, 0, 0, 0, 0, 0, 0, 1, 0, 11].map(perDay)));
    expect(judged[7]).toMatchObject({ status: 'none', mad: 0 });
    expect(judged[7]!.score).toBeCloseTo(1, 9);
    expect(judged[9]).toMatchObject({ status: 'spike' });
    expect(judged[9]!.score).toBeCloseTo(11, 9);
  });

  it('a range is a spike only when its lower bound is; undetermined when only its upper bound (or no bound) is', () => {
    const base = cells([1, 2, 1, 2, 1, 2], 1);
    const judged = judgeSpikes([...base, { rate: null, rate_min: 20, rate_max: 30, days: 1 }, { rate: null, rate_min: 0, rate_max: 40, days: 1 }, { rate: null, rate_min: 0, rate_max: null, days: 1 }, { rate: null, rate_min: 0, rate_max: 4, days: 1 }], { ...DEFAULT_SPIKES, window: 0 });
    expect(judged.slice(6).map((j) => j.status)).toEqual(['spike', 'undetermined', 'undetermined', 'none']);
  });

  it('gaps and ranges are left out of the baseline', () => {
    const judged = judgeSpikes([...cells([1, 1, 1]), { rate: null, rate_min: null, rate_max: null, days: 30 }, { rate: null, rate_min: 0, rate_max: 100, days: 30 }, ...cells([1, 1, 1, 1])], { ...DEFAULT_SPIKES, minPeriods: 3 });
    expect(judged[3]!.status).toBe('no_rate');
    expect(judged.at(-1)).toMatchObject({ periods: 6, baseline: 1 });
  });

  it('property: adding a constant to every period\'s rate flags nothing new (and unflags nothing)', () => {
    const series = fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 40 });
    const options = fc.record({
      method: fc.constantFrom('preceding' as const, 'others' as const),
      window: fc.integer({ min: 0, max: 15 }),
      threshold: fc.constantFrom(2, 3.5, 5, 10),
      minPeriods: fc.integer({ min: 1, max: 8 }),
    });
    fc.assert(fc.property(series, fc.integer({ min: -100, max: 1000 }), options, fc.integer({ min: 1, max: 31 }), (rates, c, opts, days) => {
      const before = judgeSpikes(cells(rates, days), opts).map((j) => j.status);
      const after = judgeSpikes(cells(rates.map((r) => r + c), days), opts).map((j) => j.status);
      expect(after).toEqual(before);
    }), { numRuns: 300 });
  });
});

describe('the terminal chart', () => {
  const chart = async (args: string[], env: Record<string, string | undefined>) => {
    const r = await cli(['trend', '-q', '-f', 'table', ...args], env);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };
  const CASES = [
    { name: 'phones-utf8-60.txt', args: ['--category', 'phone'], env: { COLUMNS: '60', LANG: 'en_GB.UTF-8' }, width: 60, ascii: false },
    { name: 'phones-utf8-100.txt', args: ['--category', 'phone'], env: { COLUMNS: '100', LC_ALL: 'C.UTF-8' }, width: 100, ascii: false },
    { name: 'phones-ascii-60.txt', args: ['--category', 'phone'], env: { COLUMNS: '60', LANG: 'C' }, width: 60, ascii: true },
    { name: 'phones-ascii-100.txt', args: ['--category', 'phone'], env: { COLUMNS: '100' }, width: 100, ascii: true },
    { name: 'gaps-utf8-80.txt', args: ['-i', GAPS], env: { LANG: 'en_GB.UTF-8' }, width: 80, ascii: false },
    { name: 'gaps-ascii-60.txt', args: ['-i', GAPS, '--charset', 'ascii'], env: { COLUMNS: '60', LANG: 'en_GB.UTF-8' }, width: 60, ascii: true },
  ];

  it.each(CASES)('$name', async ({ name, args, env, width, ascii }) => {
    const out = await chart(args, env);
    await matchGolden(name, out);
    for (const line of out.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
    expect(out).not.toMatch(/\u001b\[/);
    if (ascii) expect(out).toMatch(/^[\x20-\x7e\n]*$/);
    else expect(out).toContain('█');
  });

  it('marks what it draws: the part month scaled, spikes, a gap as "no data" (never 0), a zero as 0, ranges as ranges', async () => {
    const phones = await chart(['--category', 'phone'], { COLUMNS: '100', LANG: 'C.UTF-8' });
    expect(phones).toMatch(/^2025-02 │[█▏▎▍▌▋▊▉]+▒+ +150\* ▲/m);
    expect(phones).toMatch(/^2025-01 │[█▏▎▍▌▋▊▉]+ +124 ▲/m);
    expect(phones).toMatch(/^2024-10 │[█▏▎▍▌▋▊▉]+ +37$/m);
    expect(phones).toMatch(/145 in 27 of 28 days,\s+drawn as 150\.4/);
    const gaps = await chart(['-i', GAPS], { LANG: 'C.UTF-8' });
    expect(gaps).toMatch(/^2024-05 ┊ +no data \[\d+\]$/m);
    expect(gaps).toMatch(/^2024-06 │ +0$/m);
    expect(gaps).toMatch(/^2024-03 │░+ +0–4 /m);
    expect(gaps).toMatch(/^2024-09 │░+→ +0–\? △ /m);
    expect(gaps).toMatch(/Source: written answer, UIN 12345 \(answered 20 Nov 2024\)/);
  });

  it('colour only when asked for: FORCE_COLOR colours it, NO_COLOR and --no-color do not', async () => {
    expect(await chart(['--category', 'usb'], { NO_COLOR: undefined, FORCE_COLOR: '1', LANG: 'C.UTF-8' })).toMatch(/\u001b\[/);
    expect(await chart(['--category', 'usb', '--no-color'], { NO_COLOR: undefined, FORCE_COLOR: '1', LANG: 'C.UTF-8' })).not.toMatch(/\u001b\[/);
  });
});

describe('trend machine formats', () => {
  const COLUMNS = 'period,start,end,days,covered_days,total,total_min,total_max,rate,rate_min,rate_max,scaled,scaled_min,scaled_max,status,partial,range,estimate,approximate,no_data,spike,spike_status,score,score_min,score_max,factor,baseline,baseline_mad,baseline_periods,note';

  it('csv has the same columns whatever the data, colour-free, ranges with bounds and gaps empty', async () => {
    for (const args of [['--category', 'phone'], ['-i', GAPS], ['--department', 'Home Office']]) {
      const r = await cli(['trend', '-q', '-f', 'csv', ...args], { FORCE_COLOR: '1', NO_COLOR: undefined });
      expect(r.stdout.split('\n')[0]).toBe(COLUMNS);
      expect(r.stdout).not.toMatch(/\u001b\[/);
    }
    const gaps = (await cli(['trend', '-q', '-f', 'csv', '-i', GAPS, '--fields', 'period,total,total_min,total_max,scaled,status'])).stdout;
    expect(gaps).toContain('2024-05,,,,,no_data\n');
    expect(gaps).toContain('2024-03,,0,4,,range\n');
    expect(gaps).toContain('2024-09,,0,,,range\n');
    expect(gaps).toContain('2024-11,6,6,6,12,partial\n');
  });

  it('ndjson and json give the same series; json says the spike rule and every note', async () => {
    const nd = (await cli(['trend', '-q', '-f', 'ndjson', '--category', 'usb'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
    const doc = JSON.parse((await cli(['trend', '-q', '-f', 'json', '--category', 'usb'])).stdout);
    expect(nd).toEqual(doc.rows);
    expect(doc.spike_rule).toMatchObject({ method: 'preceding', window: 12, threshold: 10, min_periods: 6 });
    expect(doc.notes.join('\n')).toMatch(/spike/);
    expect(doc.source).toMatch(/^Source: written answers, /);
  });

  it('a part period is said on stderr for csv', async () => {
    const r = await cli(['trend', '-f', 'csv', '--category', 'phone', '-q']);
    expect(r.stderr).toMatch(/2025-02, 27 of 28 days/);
  });
});

function all(e: XmlElement, pred: (e: XmlElement) => boolean, out: XmlElement[] = []): XmlElement[] {
  if (pred(e)) out.push(e);
  for (const c of e.children) all(c, pred, out);
  return out;
}

describe('charts for articles', () => {
  it('the Vega-Lite spec is pinned, and says its notes and source', async () => {
    const t = tempDir();
    try {
      const file = join(t.dir, 'phones.vl.json');
      const r = await cli(['trend', '--category', 'phone', '--chart', file]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/chart written to .*phones\.vl\.json/);
      const text = readFileSync(file, 'utf8');
      await matchGolden('phones.vl.json', text);
      const spec = JSON.parse(text);
      expect(spec.$schema).toMatch(/vega-lite\/v6/);
      expect(JSON.stringify(spec)).toContain('Source: written answers');
    } finally {
      t.cleanup();
    }
  });

  it('SVG: well-formed, title and axis labels, the notes numbered under it, the source line, no bar for a gap', async () => {
    const t = tempDir();
    try {
      const file = join(t.dir, 'gaps.svg');
      const r = await cli(['trend', '-i', GAPS, '--chart', file]);
      expect(r.code, r.stderr).toBe(0);
      const svg = readFileSync(file, 'utf8');
      const root = parseXml(svg);
      expect(root.name).toBe('svg');
      const texts = all(root, (e) => e.name === 'text').map((e) => e.text);
      expect(texts).toContain('MOD: laptops lost or stolen, by month');
      expect(texts).toContain('month');
      expect(texts).toContain('items per month');
      const notes = JSON.parse((await cli(['trend', '-q', '-f', 'json', '-i', GAPS])).stdout).notes as string[];
      expect(notes.length).toBeGreaterThanOrEqual(5);
      const joined = texts.join(' ');
      for (const [i, n] of notes.entries()) expect(joined.replace(/\s+/g, ' '), `note ${i + 1}`).toContain(`${i + 1}. ${n.split(' ').slice(0, 6).join(' ')}`);
      expect(joined).toMatch(/Source: written answer, UIN 12345/);
      // Bars are marks with a description; May (no data) has none, June (0) has one of height 0, and a "no data" label.
      const bars = all(root, (e) => e.attrs['aria-roledescription'] === 'bar').map((e) => e.attrs['aria-label'] ?? '');
      expect(bars.some((b) => b.includes('2024-04'))).toBe(true);
      expect(bars.filter((b) => b.includes('2024-05'))).toEqual([]);
      expect(bars.some((b) => b.includes('2024-06'))).toBe(true);
      expect(texts.some((x) => /^no data/.test(x))).toBe(true);
    } finally {
      t.cleanup();
    }
  });

  it('SVG of the headline chart is pinned', async () => {
    const t = tempDir();
    try {
      const file = join(t.dir, 'phones.svg');
      expect((await cli(['trend', '--category', 'phone', '--from', '2023-01', '--chart', file])).code).toBe(0);
      const svg = readFileSync(file, 'utf8');
      parseXml(svg);
      await matchGolden('phones.svg', svg);
    } finally {
      t.cleanup();
    }
  });

  it('PNG: an image, twice the SVG\'s size', async () => {
    const t = tempDir();
    try {
      const png = join(t.dir, 'usb.png');
      const svg = join(t.dir, 'usb.svg');
      expect((await cli(['trend', '--category', 'usb', '--chart', png])).code).toBe(0);
      expect((await cli(['trend', '--category', 'usb', '--chart', svg])).code).toBe(0);
      const bytes = readFileSync(png);
      expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const width = bytes.readUInt32BE(16);
      const svgWidth = Number(/width="(\d+)"/.exec(readFileSync(svg, 'utf8'))![1]);
      expect(width).toBe(svgWidth * 2);
    } finally {
      t.cleanup();
    }
  });

  it('--chart with -f also writes the series to standard output; a file name that says no chart is a usage error', async () => {
    const t = tempDir();
    try {
      const r = await cli(['trend', '-q', '--category', 'phone', '--chart', join(t.dir, 'a.svg'), '-f', 'csv', '--fields', 'period,total']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^period,total\n/);
      const bad = await cli(['trend', '--chart', join(t.dir, 'a.gif')]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/\.svg, \.png or \.vl\.json/);
    } finally {
      t.cleanup();
    }
  });

  it('summary --chart draws the pivot\'s total column with the same chart', async () => {
    const t = tempDir();
    try {
      const file = join(t.dir, 'years.vl.json');
      const r = await cli(['summary', '-q', '--by', 'year', '--category', 'phone', '--chart', file]);
      expect(r.code, r.stderr).toBe(0);
      const spec = JSON.parse(readFileSync(file, 'utf8'));
      const values = spec.vconcat[0].data.values as { period: string; bar: number | null }[];
      const summary = (JSON.parse((await cli(['summary', '-q', '--by', 'year', '--category', 'phone', '-f', 'json'])).stdout).rows as Row[]).filter((x) => x.period !== 'total');
      expect(values.map((v) => v.period)).toEqual(summary.map((s) => s.period));
      expect(values.find((v) => v.period === '2023')!.bar).toBe(101);
      const own = await cli(['summary', '-q', '--by', 'department', '--own-periods', '--chart', file]);
      expect(own.code).toBe(2);
    } finally {
      t.cleanup();
    }
  });
});

describe('cold start', () => {
  /** The packages (node_modules folders) a run of the built CLI loaded, by require or by import. */
  function packagesLoaded(args: string[]): Set<string> {
    const t = tempDir();
    try {
      const list = join(t.dir, 'loaded.txt');
      const r = spawnCli(args, { env: { NODE_OPTIONS: `--require ${join(ROOT, 'test/helpers/loaded-packages.cjs')}`, ASSETLOSS_LOADED: list } });
      expect(r.code, r.stderr).toBe(0);
      const names = readFileSync(list, 'utf8').split('\n').map((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p)?.[1]);
      return new Set(names.filter((n): n is string => n !== undefined));
    } finally {
      t.cleanup();
    }
  }

  it('the chart libraries are loaded by the commands that draw, and by no other', () => {
    const t = tempDir();
    try {
      expect(packagesLoaded(['trend', '-q', '--category', 'phone', '--chart', join(t.dir, 'c.svg')])).toContain('vega');
    } finally {
      t.cleanup();
    }
    for (const args of [['trend', '-q', '--category', 'phone'], ['compare', '-q', '2025-01-01..2025-02-27', '2023..2024']]) {
      const loaded = packagesLoaded(args);
      for (const p of ['vega', 'vega-lite', '@resvg/resvg-js']) expect(loaded, args.join(' ')).not.toContain(p);
    }
  });

  it('reading a CSV or records JSON input loads neither zod nor YAML: those load with an inputs file, a sidecar, a claims file or a cited answer', () => {
    expect(packagesLoaded(['check', '-q', 'fixtures/claims/express-2025-03.yaml'])).toEqual(new Set(['yaml', 'zod']));
    const t = tempDir();
    try {
      const json = join(t.dir, 'records.json');
      expect(spawnCli(['records', '-q', '-f', 'json', '-o', json]).code).toBe(0);
      for (const input of ['fixtures/real/defra-2008-03-06-2716W.csv', json]) {
        expect(packagesLoaded(['records', '-q', '-i', input]), input).toEqual(new Set());
      }
    } finally {
      t.cleanup();
    }
  });
});

describe('the README chart', () => {
  it('is made by the command the README shows: the same picture size from the same command, today', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const m = /^assetloss (trend [^\n]*--chart (docs\/[\w.-]+\.png))$/m.exec(readme);
    expect(m, 'the README shows a trend --chart docs/….png command').not.toBeNull();
    const [, command, image] = m!;
    expect(readme).toContain(`](${image})`);
    const committed = readFileSync(join(ROOT, image!));
    const t = tempDir();
    try {
      const out = join(t.dir, 'chart.png');
      const args = command!.split(' ').map((a) => (a === image ? out : a));
      const r = spawnCli(args);
      expect(r.code, r.stderr).toBe(0);
      const fresh = readFileSync(out);
      // Width and height (the PNG header): the layout is the command's; pixels depend on the machine's fonts.
      expect([fresh.readUInt32BE(16), fresh.readUInt32BE(20)]).toEqual([committed.readUInt32BE(16), committed.readUInt32BE(20)]);
    } finally {
      t.cleanup();
    }
  });
});
