// `summary` on the built-in dataset through the CLI (in process): the pivot's cells are the
// engine's totals (never disagreeing with `compare`), machine formats hold exactly the contract
// columns, no data is empty (never 0). Golden files: test/golden (`npx vitest run -u` rewrites them).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSources, total, vintageLookup, type Dataset } from '../src/index.js';
import { span } from './helpers/engine.js';
import { runInProcess, runJson } from './helpers/run.js';
import { CATEGORIES as VOCAB_CATEGORIES } from '../src/model/vocab.js';
import { summarise } from '../src/engine/summary.js';

const cli = (...args: string[]) => runInProcess(args);
const cliJson = <T>(...args: string[]) => runJson<T>(args);

type Row = Record<string, string | number | null>;
interface SummaryJson {
  by: string;
  columns: string[];
  rows: Row[];
  coverage: { period: string; column: string; days: number; covered_days: number; gaps: { start: string; end: string }[] }[];
  caveats: { code: string; message: string; record?: { label: string }; other?: { label: string } }[];
}
interface ComparePeriod { period: string; category?: string; total: number | null; total_min: number | null; total_max: number | null }

const CATEGORIES = ['computer', 'hard-drive', 'laptop', 'phone', 'usb'];
/** Every canonical category, in the vocabulary's order: the columns whatever the data. */
const ALL_CATEGORIES: string[] = [...VOCAB_CATEGORIES];
const header = (keys: string[]) => ['period', 'start', 'end', ...[...keys, 'total'].flatMap((k) => [k, `${k}_min`, `${k}_max`]), 'complete', 'status', 'note'].join(',');
/** Notes as one line each (the table wraps them to the terminal's width). */
const unwrap = (text: string) => text.replace(/\n {2,}/g, ' ');

function csvRows(text: string): Row[] {
  const [head, ...lines] = text.trimEnd().split('\n');
  const keys = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i]!, v])));
}

let all: Dataset;
let tmp: string;
beforeAll(async () => {
  all = await loadSources();
  tmp = mkdtempSync(join(tmpdir(), 'assetloss-summary-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('summary --by month on the built-in dataset', () => {
  let j: SummaryJson;
  beforeAll(async () => { j = await cliJson<SummaryJson>('summary', '--by', 'month'); });
  const row = (p: string) => j.rows.find((r) => r.period === p)!;

  it('July 2024 is 19 phones and December 2024 is 7', () => {
    expect(row('2024-07').phone).toBe(19);
    expect(row('2024-12').phone).toBe(7);
    expect(row('2024-10').phone).toBe(37);
    expect(row('2025-01').phone).toBe(124);
  });

  it('the overlaps behind July and December are explained (5–31 July inside July; 1–15 December inside the newer December)', async () => {
    const phoneOverlaps = j.caveats.filter((c) => c.code === 'OVERLAP' && c.message.includes('phone'));
    expect(phoneOverlaps.map((c) => `${c.record?.label} < ${c.other?.label}`)).toEqual(expect.arrayContaining(['From 5 July 24 < July', 'December (to 15th) < December 24']));
    const table = await cli('summary', '--by', 'month', '--category', 'phone', '-f', 'table', '-q');
    expect(table.code).toBe(0);
    expect(unwrap(table.stdout)).toMatch(/\[\d+\] 2024-07: MOD phone .*"From 5 July 24".*lies inside the older, fuller figure "July"/);
    expect(unwrap(table.stdout)).toMatch(/\[\d+\] 2024-12: MOD phone .*"December \(to 15th\)".*lies inside the newer figure "December 24"/);
  });

  it('February 2025 stops where the data stops: labelled 2025-02 (2025-02-01..2025-02-27), 145 phones', () => {
    expect(j.rows.at(-2)).toMatchObject({ period: '2025-02 (2025-02-01..2025-02-27)', start: '2025-02-01', end: '2025-02-27', phone: 145 });
  });

  it('months that only a year figure covers have no data: empty, never 0, with the year left out by a caveat', async () => {
    expect(row('2019-05')).toMatchObject({ phone: null, laptop: null, total: null });
    expect(row('2022-06')).toMatchObject({ phone: null, total: null });
    expect(j.caveats.some((c) => c.code === 'PARTIAL_EXCLUDED' && c.record?.label === '2019')).toBe(true);
    const csv = csvRows((await cli('summary', '--by', 'month', '-f', 'csv', '-q')).stdout);
    const may2019 = csv.find((r) => r.period === '2019-05')!;
    for (const k of [...CATEGORIES, 'total']) expect(may2019[k]).toBe('');
    // A category an answer did not give (hard drives in 2023) is empty, while 0 computers is 0.
    const jan2023 = csv.find((r) => r.period === '2023-01')!;
    expect(jan2023['hard-drive']).toBe('');
    expect(jan2023.computer).toBe('0');
  });
});

describe('machine formats', () => {
  it('csv: period, start, end, every canonical category and total each with _min/_max, complete, status, note — whatever the data', async () => {
    const r = await cli('summary', '--by', 'year', '-f', 'csv', '-q');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(header(ALL_CATEGORIES));
    // Another answer with other categories: the same columns.
    const only2023 = await cli('summary', '-i', 'fixtures/builtin/mod-devices-2023.csv', '--by', 'year', '-f', 'csv', '-q');
    expect(only2023.stdout.split('\n')[0]).toBe(header(ALL_CATEGORIES));
    // A filter on the column dimension chooses the columns.
    expect((await cli('summary', '--category', 'phone', '--category', 'laptop', '-f', 'csv', '-q')).stdout.split('\n')[0]).toBe(header(['phone', 'laptop']));
  });

  it('--no-total leaves out the totals row and the total columns; --fields picks columns for a clean sheet', async () => {
    const r = await cli('summary', '--by', 'year', '--from', '2023', '--to', '2024', '--category', 'phone', '--no-total', '-f', 'csv', '-q');
    expect(r.stdout).toBe(`${header(['phone']).replace(',total,total_min,total_max', '')}\n2023,2023-01-01,2023-12-31,101,101,101,true,complete,\n2024,2024-01-01,2024-12-31,161,161,161,true,complete,\n`);
    const sheet = await cli('summary', '--by', 'year', '--from', '2023', '--to', '2024', '--no-total', '--fields', 'period,phone,laptop', '-f', 'csv', '-q');
    expect(sheet.stdout).toBe('period,phone,laptop\n2023,101,176\n2024,161,140\n');
    const bad = await cli('summary', '--fields', 'period,phones', '-q');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/--fields: no column "phones" \(the columns: period, start, end, phone, /);
  });

  it('json rows and ndjson lines have the same keys as the csv columns', async () => {
    const head = (await cli('summary', '--by', 'quarter', '-f', 'csv', '-q')).stdout.split('\n')[0]!.split(',');
    const j = await cliJson<SummaryJson>('summary', '--by', 'quarter');
    for (const r of j.rows) expect(Object.keys(r)).toEqual(head);
    const nd = (await cli('summary', '--by', 'quarter', '-f', 'ndjson', '-q')).stdout.trim().split('\n').map((l) => JSON.parse(l) as Row);
    for (const r of nd) expect(Object.keys(r)).toEqual(head);
    expect(nd).toEqual(j.rows);
  });

  it('ranges (suppressed cells): the figure empty, its bounds beside it, status range; the columns are there for exact figures too', async () => {
    const file = join(tmp, 'suppressed.csv');
    writeFileSync(file, '# department: Ministry of Defence\n# year: 2024\n# answered: 2025-01-01\nMonth,Phones,Laptops,USBs\nJanuary,3,<5,1\nFebruary,4,2,0\nMarch,[c],1,2\n');
    const r = await cli('summary', '-i', file, '--by', 'month', '--category', 'phone', '--category', 'laptop', '--category', 'usb', '-f', 'csv', '-q');
    expect(r.code).toBe(0);
    const [head, ...lines] = r.stdout.trimEnd().split('\n');
    expect(head).toBe(header(['phone', 'laptop', 'usb']));
    expect(lines[0]).toBe('2024-01,2024-01-01,2024-01-31,3,3,3,,0,4,1,1,1,,4,8,false,range,"suppressed cells make a range: laptop, total"');
    // [c]: no upper bound, so the max is empty too (unknown, not 0).
    expect(lines[1]).toBe('2024-02,2024-02-01,2024-02-29,4,4,4,2,2,2,0,0,0,6,6,6,true,complete,');
    expect(lines[2]).toBe('2024-03,2024-03-01,2024-03-31,,0,,1,1,1,2,2,2,,3,,false,range,"suppressed cells make a range: phone, total"');
    expect(lines[3]).toBe('total,2024-01-01,2024-03-31,,7,,,3,7,3,3,3,,13,,false,range,"suppressed cells make a range: phone, laptop, total"');
    // --fields without the bounds: a range must not pass for "no data".
    const cut = await cli('summary', '-i', file, '--by', 'month', '--fields', 'period,phone', '-f', 'csv', '-q');
    expect(cut.stderr).toMatch(/warning: some phone figures are ranges \(suppressed cells\), empty without their bounds: add phone_min,phone_max to --fields/);
  });

  it('cells covering only part of their period are listed with their gaps beside the rows, not inside them', async () => {
    const only2025 = ['-i', 'fixtures/builtin/mod-devices-2024-07-05-to-2025-02-27.csv', '--category', 'phone'];
    // Without --from, rows start where the data starts, and the label says so.
    expect((await cliJson<SummaryJson>('summary', '--by', 'month', ...only2025)).rows[0]).toMatchObject({ period: '2024-07 (2024-07-05..2024-07-31)', phone: 14 });
    const j = await cliJson<SummaryJson>('summary', '--by', 'month', '--from', '2024-07', ...only2025);
    expect(j.rows[0]).toMatchObject({ period: '2024-07', phone: 14 });
    expect(j.coverage).toContainEqual({ period: '2024-07', column: 'phone', days: 31, covered_days: 27, gaps: [{ start: '2024-07-01', end: '2024-07-04' }] });
  });

  it('--status stolen: no rows at all (never a row of zeros), the same columns, NO_DATA said in JSON and on stderr', async () => {
    const r = await cli('summary', '--status', 'stolen', '-f', 'csv', '-q');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${header(ALL_CATEGORIES)}\n`);
    expect(r.stderr).toMatch(/warning: no data: no records match --status stolen \(not zero; the inputs have status lost-or-stolen\)/);
    expect((await cliJson<SummaryJson>('summary', '--status', 'stolen')).caveats.map((c) => c.code)).toEqual(['NO_DATA']);
  });
});

describe('cells and compare never disagree', () => {
  for (const by of ['month', 'quarter', 'year', 'fy'] as const) {
    it(`--by ${by}: every cell equals total() for its period and category, and compare --partial exclude for the same period`, async () => {
      const j = await cliJson<SummaryJson>('summary', '--by', by);
      const vintage = vintageLookup(all.sources);
      const rows = j.rows.filter((r) => r.period !== 'total');
      expect(rows.length).toBeGreaterThan(0);
      // The totals row is the sum of the rows (never more, never a figure from elsewhere).
      const totals = j.rows.at(-1)!;
      expect(totals.period).toBe('total');
      for (const c of [...j.columns, 'total']) {
        const sum = rows.reduce((n, r) => n + (typeof r[`${c}_min`] === 'number' ? Number(r[`${c}_min`]) : 0), 0);
        const any = rows.some((r) => r[`${c}_min`] !== null);
        expect(totals[`${c}_min`], `total ${c}`).toBe(any ? sum : null);
      }
      // The span as a whole is in json.span, from the engine.
      const whole = total(all.records, span(String(totals.start), String(totals.end)), vintage, { partial: 'exclude' });
      expect((j as unknown as { span: { total_min: number } }).span.total_min).toBe(whole.total_min);
      for (const r of rows) {
        const p = span(String(r.start), String(r.end));
        for (const c of j.columns) {
          const t = total(all.records.filter((rec) => rec.series.category === c), p, vintage, { partial: 'exclude' });
          expect(r[c], `${r.period} ${c}`).toBe(t.total);
        }
        expect(r.total, `${r.period} total`).toBe(total(all.records, p, vintage, { partial: 'exclude' }).total);
      }
      // The same periods through compare (one run, every period).
      const ranges = rows.map((r) => `${r.start}..${r.end}`);
      const cmp = await cliJson<{ periods: ComparePeriod[] }>('compare', ...ranges, '--by', 'category', '--partial', 'exclude');
      for (const r of rows) {
        for (const c of j.columns) {
          const entry = cmp.periods.find((e) => e.category === c && e.period === `${r.start}..${r.end}`);
          expect(entry?.total ?? null, `${r.period} ${c}`).toBe(r[c]);
        }
      }
    });
  }
});

describe('the records each cell used', () => {
  it('are those total() chooses for its period and column, made again when asked for (a row keeps no series totals)', () => {
    const vintage = vintageLookup(all.sources);
    const result = summarise(all.records, vintage, { by: 'quarter' });
    const ids = (rs: { provenance: { source_id: string; line: number } }[]) => rs.map((r) => `${r.provenance.source_id}:${r.provenance.line}`);
    let used = 0;
    for (const row of result.rows) {
      for (const [c, cell] of row.cells) {
        const t = total(all.records.filter((r) => r.series.category === c), row.period, vintage);
        expect(ids(cell.chosen), `${row.period.label} ${c}`).toEqual(ids(t.chosen));
        used += cell.chosen.length;
      }
      expect(ids(row.total.chosen), row.period.label).toEqual(ids(total(all.records, row.period, vintage).chosen));
    }
    expect(used).toBeGreaterThan(0);
  });
});

describe('labels and spans', () => {
  it('--by fy labels financial years FY2023-24 (April to March)', async () => {
    const j = await cliJson<SummaryJson>('summary', '--by', 'fy', '--category', 'phone');
    const fy = j.rows.find((r) => r.period === 'FY2023-24')!;
    expect(fy).toMatchObject({ start: '2023-04-01', end: '2024-03-31', phone: 3 + 8 + 12 + 8 + 9 + 8 + 9 + 11 + 11 + 13 + 6 + 16 });
    expect(j.rows.map((r) => r.period)).toEqual(expect.arrayContaining(['FY2017-18', 'FY2022-23', 'FY2024-25 (2024-04-01..2025-02-27)']));
  });

  it('--by quarter labels 2024-Q3; --by year labels 2024', async () => {
    expect((await cliJson<SummaryJson>('summary', '--by', 'quarter')).rows.find((r) => r.period === '2024-Q3')).toMatchObject({ start: '2024-07-01', end: '2024-09-30', phone: 19 + 6 + 19 });
    expect((await cliJson<SummaryJson>('summary', '--by', 'year')).rows.find((r) => r.period === '2024')).toMatchObject({ start: '2024-01-01', end: '2024-12-31', phone: 13 + 6 + 16 + 13 + 10 + 11 + 19 + 6 + 19 + 37 + 4 + 7 });
  });

  it('--from/--to clip the first and last rows and say so in the label', async () => {
    const j = await cliJson<SummaryJson>('summary', '--by', 'quarter', '--from', '2024-07-10', '--to', '2024-11', '--category', 'phone');
    expect(j.rows.map((r) => [r.period, r.start, r.end])).toEqual([
      ['2024-Q3 (2024-07-10..2024-09-30)', '2024-07-10', '2024-09-30'],
      ['2024-Q4 (2024-10-01..2024-11-30)', '2024-10-01', '2024-11-30'],
      ['total', '2024-07-10', '2024-11-30'],
    ]);
    // July straddles 10 July: left out (summary's default --partial exclude), so Q3 is August and September.
    expect(j.rows[0]!.phone).toBe(6 + 19);
    expect(j.caveats.map((c) => c.code)).toContain('PARTIAL_EXCLUDED');
  });

  it('--from after --to is a usage error before any file is read', async () => {
    const r = await cli('summary', '--from', '2025', '--to', '2024', '-i', '/nonexistent/answer.csv');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--from/);
    expect(r.stderr).not.toMatch(/nonexistent/);
  });

  it('a bad --from is a usage error naming the period', async () => {
    const r = await cli('summary', '--from', '2025-13', '-i', '/nonexistent/answer.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/2025-13/);
    expect(r.stderr).not.toMatch(/nonexistent/);
  });
});

describe('the totals row reproduces each answer’s published Total row over its own span', () => {
  const cases: [string, string, Record<string, number>][] = [
    ['2024-01-01', '2024-12-15', { computer: 25, usb: 125, phone: 159, laptop: 138 }],
    ['2024-07-05', '2025-02-27', { computer: 11, usb: 13, phone: 356, laptop: 62 }],
    ['2023', '2023', { computer: 0, laptop: 176, usb: 20, phone: 101 }],
  ];
  for (const [from, to, expected] of cases) {
    it(`--from ${from} --to ${to}`, async () => {
      const j = await cliJson<SummaryJson>('summary', '--by', 'month', '--from', from, '--to', to);
      const totals = j.rows.at(-1)!;
      expect(totals.period).toBe('total');
      for (const [c, v] of Object.entries(expected)) expect(totals[c], c).toBe(v);
      expect(totals['hard-drive']).toBeNull();
    });
  }
});

describe('golden outputs (`npx vitest run -u` rewrites them)', () => {
  it('summary --by month -f csv (test/golden/summary-month.csv)', async () => {
    const r = await cli('summary', '--by', 'month', '-f', 'csv', '-q');
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('golden/summary-month.csv');
  });

  it('the headline compare -f json (test/golden/compare-headline.json)', async () => {
    const r = await cli('compare', '2025-01-01..2025-02-27', '2023..2024', '--category', 'phone', '-f', 'json', '-q');
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('golden/compare-headline.json');
  });
});

describe('column keys never collide with data values', () => {
  const input = (name: string, text: string) => { const f = join(tmp, name); writeFileSync(f, text); return f; };

  it('units named period, start and total get keys of their own; the period label, start date and row total stay', async () => {
    const file = input('units.csv', 'period,category,unit,count\n2024-01,phone,total,2\n2024-01,phone,period,50\n2024-01,phone,start,7\n');
    const j = await cliJson<SummaryJson & { renamed_columns: Record<string, string> }>('summary', '-i', file, '--department', 'MOD', '--columns', 'unit');
    expect(j.rows[0]).toMatchObject({ period: '2024-01', start: '2024-01-01', end: '2024-01-31', unit_period: 50, unit_start: 7, unit_total: 2, total: 59 });
    expect(j.renamed_columns).toEqual({ period: 'unit_period', start: 'unit_start', total: 'unit_total' });
    const csv = csvRows((await cli('summary', '-i', file, '--department', 'MOD', '--columns', 'unit', '-f', 'csv', '-q')).stdout);
    expect(csv[0]).toMatchObject({ period: '2024-01', start: '2024-01-01', end: '2024-01-31', unit_period: '50', unit_start: '7', unit_total: '2', total: '59' });
    expect(Object.keys(csv[0]!).filter((k) => k === 'period' || k === 'start' || k === 'total')).toEqual(['period', 'start', 'total']);
  });

  it('a column value equal to another column\'s _min key is renamed, not overwritten', async () => {
    const file = input('minmax.csv', 'period,category,unit,count\n2024-01,phone,navy,<5\n2024-01,phone,navy_min,40\n');
    const j = await cliJson<SummaryJson>('summary', '-i', file, '--department', 'MOD', '--columns', 'unit');
    expect(j.rows[0]).toMatchObject({ navy: null, navy_min: 0, navy_max: 4, unit_navy_min: 40, total_min: 40, total_max: 44 });
  });

  it('a long-layout category "Total" is skipped with a warning, never added into the grand total', async () => {
    const file = input('long-total.csv', '# department: MOD\nperiod,category,count\n2024-01,phone,2\n2024-01,laptop,3\n2024-01,Total,5\n');
    const j = await cliJson<SummaryJson>('summary', '-i', file);
    expect(j.rows[0]).toMatchObject({ period: '2024-01', start: '2024-01-01', end: '2024-01-31', laptop: 3, phone: 2, total: 5 });
    expect(j.columns).not.toContain('total');
    expect(j.rows[0]).not.toHaveProperty('category_total');
    const v = await cli('validate', '-i', file, '-f', 'json');
    expect(JSON.parse(v.stdout).inputs[0]).toMatchObject({ rows_read: 3, rows_accepted: 2, rows_skipped: 1, skipped_total: 1 });
    expect(JSON.parse(v.stdout).inputs[0].warning_details).toEqual([expect.objectContaining({ line: 5, column: 9, code: 'TOTAL_ROW_SKIPPED' })]);
  });
});
