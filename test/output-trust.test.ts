// Output people can trust at a glance: filters that name nothing are errors, empty results say
// so in every format, incomplete figures are marked in every format, compare names both sides,
// the summary's totals row is the sum of its rows, human tables fit the terminal.
import { describe, expect, it } from 'vitest';
import { displayWidth, wrap } from '../src/format/table.js';
import { humanNumber } from '../src/format/report.js';
import { runInProcess } from './helpers/run.js';
import { diagnostics, parseNdjson } from './helpers/output.js';

const HEADLINE = ['compare', '2025-01-01..2025-02-27', '2023..2024', '--category', 'phone'];
const FORMATS = ['table', 'csv', 'tsv', 'json', 'ndjson', 'markdown'];

describe('filters', () => {
  it.each([
    ['--category', 'phnoe', /--category "phnoe" matches no known category and nothing in the data; did you mean "phone"\?/],
    ['--status', 'stolne', /--status "stolne" matches no known status .*did you mean "stolen"\?/],
    ['--department', 'Home Offce', /--department "Home Offce" matches no known department .*did you mean "home office \(HO\)"\?/],
    ['--unit', 'Royal Navy', /--unit "Royal Navy" matches no known unit and nothing in the data \(the inputs have no units\)/],
  ])('%s %s: a usage error with the nearest known names, nothing on stdout', async (flag, value, message) => {
    for (const cmd of [['summary'], ['records'], HEADLINE.slice(0, 3)]) {
      const r = await runInProcess([...cmd, flag, value, '-q']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
  });

  it('an alias or a slug the data holds is a filter, not an error', async () => {
    expect((await runInProcess(['records', '-q', '--category', 'Mobile phones', '-f', 'ndjson'])).code).toBe(0);
    expect((await runInProcess(['records', '-q', '--department', 'Ministry of Defence', '-f', 'ndjson'])).code).toBe(0);
  });

  it.each(FORMATS)('a known name with no data (--department "Home Office" on MoD answers): exit 0, NO_DATA, and stderr says so in -f %s', async (format) => {
    const r = await runInProcess([...HEADLINE, '--department', 'Home Office', '-f', format, '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: no data: no records match --category phone --department HO \(not zero; the inputs have .*department MOD\)/);
  });

  it('summary --from 2030: a warning in every format, status no_data in every row', async () => {
    for (const format of FORMATS) {
      const r = await runInProcess(['summary', '--from', '2030', '-f', format, '-q']);
      expect(r.code).toBe(0);
      expect(r.stderr, format).toMatch(/warning: no data for 2030-01-01\.\.2030-12-31 in this selection \(not zero\)/);
    }
    const rows = parseNdjson((await runInProcess(['summary', '--from', '2030', '-f', 'ndjson', '-q'])).stdout);
    expect(rows.every((r) => r.status === 'no_data' && r.complete === 'false')).toBe(true);
  });

  it('compare with a period that has no data: a warning on stderr, status no_data', async () => {
    const r = await runInProcess(['compare', '2030', '2024', '--category', 'phone', '-f', 'ndjson', '-q']);
    expect(r.stderr).toMatch(/warning: 2030: no data for this selection \(not zero\)/);
    expect(parseNdjson(r.stdout).map((x) => x.status)).toEqual(['no_data', 'no_data']);
  });
});

describe('compare', () => {
  it('names both sides in words: finding and A/B tables in table and markdown', async () => {
    const md = (await runInProcess([...HEADLINE, '-f', 'markdown', '-q'])).stdout;
    expect(md.split('\n')[0]).toBe('269 phones in 58 days, 4.6 a day: 12.9× the daily rate of 2023..2024, 262 in 731 days.');
    expect(md).toContain('| A | 2025-01-01..2025-02-27 | 58 | 58 | 269 | 4.64 |');
    expect(md).toContain('| comparison | change A−B | A ÷ B | rate A ÷ B |');
    expect(md).toContain('| A vs B | +7 | 1.03 | 12.94 |');
    const table = (await runInProcess([...HEADLINE, '-f', 'table', '-q'])).stdout;
    expect(table).toMatch(/^269 phones in 58 days, 4\.6 a day: 12\.9× the daily rate of 2023\.\.2024, 262 in 731\ndays\.\n/);
    expect(table).toMatch(/A vs B +\+7 +1\.03 +12\.94/);
  });

  it('csv: a comparison column "A vs B", and complete/status/note columns; json: finding, labels', async () => {
    const rows = parseNdjson((await runInProcess([...HEADLINE, '-f', 'ndjson', '-q'])).stdout);
    expect(rows[1]).toMatchObject({ comparison: '2025-01-01..2025-02-27 vs 2023..2024', difference: 7, complete: 'true', status: 'complete' });
    const doc = JSON.parse((await runInProcess([...HEADLINE, '-f', 'json', '-q'])).stdout) as { finding: string; comparisons: { label: string; finding: string }[] };
    expect(doc.finding).toBe('269 phones in 58 days, 4.6 a day: 12.9× the daily rate of 2023..2024, 262 in 731 days.');
    expect(doc.comparisons[0]).toMatchObject({ label: '2025-01-01..2025-02-27 vs 2023..2024', a: '2025-01-01..2025-02-27', b: '2023..2024' });
  });

  it('a period covered only in part (2025: 58 of 365 days) is said in every format', async () => {
    const args = ['compare', '2025', '2024', '--category', 'phone', '-q'];
    const csv = await runInProcess([...args, '-f', 'csv']);
    const head = csv.stdout.split('\n')[0]!.split(',');
    const first = csv.stdout.split('\n')[1]!;
    expect(head).toEqual(expect.arrayContaining(['complete', 'status', 'note']));
    expect(first).toMatch(/,false,partial,2025-02-28\.\.2025-12-31,/);
    expect(csv.stderr).toMatch(/warning: 2025: figures cover 58 of 365 days; the total is incomplete/);
    const doc = JSON.parse((await runInProcess([...args, '-f', 'json'])).stdout) as { finding: string; periods: { complete: boolean; status: string }[]; caveats: { code: string }[] };
    expect(doc.periods[0]).toMatchObject({ complete: false, status: 'partial' });
    expect(doc.caveats.map((c) => c.code)).toContain('GAP');
    expect(doc.finding).toMatch(/^269 phones in 58 of its 365 days \(the others have no figure\)/);
    const table = (await runInProcess([...args, '-f', 'table'])).stdout;
    expect(table).toMatch(/A +2025 +365 +58 +269\*/);
    expect(table).toMatch(/\* part of the period has no figure/);
  });

  it('the csv columns are the same whatever the data (exact or suppressed, with or without gaps)', async () => {
    const a = (await runInProcess([...HEADLINE, '-f', 'csv', '-q'])).stdout.split('\n')[0];
    const b = (await runInProcess(['compare', '2025', '2017', '-f', 'csv', '-q'])).stdout.split('\n')[0];
    expect(a).toBe(b);
    expect(a).toBe('period,start,end,days,covered_days,total,total_min,total_max,rate,rate_min,rate_max,complete,status,gaps,comparison,difference,difference_min,difference_max,ratio,ratio_min,ratio_max,rate_ratio,rate_ratio_min,rate_ratio_max,note');
  });
});

describe('summary totals and blank rows', () => {
  it('--by fy: the totals row is the sum of the rows shown; the span figure is labelled in a note', async () => {
    const rows = parseNdjson((await runInProcess(['summary', '--by', 'fy', '-f', 'ndjson', '-q'])).stdout);
    const body = rows.filter((r) => r.period !== 'total');
    const totals = rows.at(-1)!;
    expect(totals.period).toBe('total');
    expect(totals.total).toBe(body.reduce((n, r) => n + ((r.total as number | null) ?? 0), 0));
    expect(totals.total).toBe(1035);
    const table = (await runInProcess(['summary', '--by', 'fy', '-f', 'table', '-q'], { env: { COLUMNS: '200' } })).stdout;
    expect(table).toMatch(/total is the sum of the rows shown; over 2017-01-01\.\.2025-02-27 as a whole the figures give 2,518\*/);
  });

  it('a blank row says why: in the note column, and beside it in the table', async () => {
    const rows = parseNdjson((await runInProcess(['summary', '--by', 'fy', '-f', 'ndjson', '-q'])).stdout);
    expect(rows.find((r) => r.period === 'FY2019-20')).toMatchObject({
      total: null, complete: 'false', status: 'no_data',
      note: 'no figure fits this period: the figures for "2019" (1 Jan 2019–31 Dec 2019) and "2020" (1 Jan 2020–31 Dec 2020) cross its boundaries and are left out (--partial exclude)',
    });
    const md = (await runInProcess(['summary', '--by', 'year', '-f', 'markdown', '-q'])).stdout;
    const n = /\| 2022 \|[ |]*\| \[(\d+)\] \|/.exec(md)?.[1];
    expect(n).toBeDefined();
    expect(md).toContain(`${n}. 2022: blank: no data (not zero)`);
  });

  it('table: empty leading rows are trimmed with a note, empty columns hidden with a note', async () => {
    const r = await runInProcess(['summary', '--by', 'month', '-f', 'table', '-q'], { env: { COLUMNS: '120' } });
    const lines = r.stdout.split('\n');
    expect(lines[2]).toMatch(/^2023-01 /);
    expect(r.stdout).toMatch(/not shown: 72 rows before 2023-01, with no figure/);
    expect(r.stdout).toMatch(/no data for tablet, pda, pager, hard-drive, removable-media, other \(not zero\): those columns are not shown/);
    // csv keeps every row
    expect((await runInProcess(['summary', '--by', 'month', '-f', 'csv', '-q'])).stdout.split('\n')[1]).toMatch(/^2017-01,/);
  });
});

describe('human tables fit the terminal', () => {
  const widest = (text: string) => Math.max(...text.split('\n').map(displayWidth));

  it.each([['80', 80], ['60', 60], ['120', 120]])('COLUMNS=%s: no line wider, no rule between rows', async (cols, width) => {
    for (const args of [HEADLINE, ['summary', '--by', 'year'], ['records'], ['validate']]) {
      const r = await runInProcess([...args, '-f', 'table', '-q'], { env: { COLUMNS: cols } });
      expect(r.code, r.stderr).toBe(0);
      expect(widest(r.stdout), `${args.join(' ')}`).toBeLessThanOrEqual(width);
      expect(r.stdout).not.toMatch(/[├┼┤]/);
    }
  });

  it('not a terminal and -f table: 80 columns', async () => {
    const r = await runInProcess(['records', '-f', 'table', '-q']);
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
  });

  it('records: the key columns, with what was left out named', async () => {
    const r = await runInProcess(['records', '-i', 'fixtures/builtin/mod-devices-2024-07-05-to-2025-02-27.csv', '-f', 'table', '-q']);
    expect(r.stdout.split('\n')[0]).toMatch(/^period +start +end +category +status +count$/);
    expect(r.stdout.replace(/\n(?=\S)/g, ' ')).toMatch(/\(left out to fit 80 columns: unit, flags, where, department; -f csv has every column\)/);
  });

  it('thousands separators in tables and markdown, never in csv', async () => {
    expect((await runInProcess(['summary', '--by', 'year', '-f', 'markdown', '-q'])).stdout).toMatch(/\*\*2,518\*\*\*/);
    expect((await runInProcess(['summary', '--by', 'year', '-f', 'csv', '-q'])).stdout).toMatch(/^total,.*,2518,/m);
    expect(humanNumber(1234567)).toBe('1,234,567');
    expect(humanNumber(0.3584, 2)).toBe('0.36');
    expect(humanNumber(12345.678, 2)).toBe('12,345.68');
  });

  it('notes wrap at word boundaries', async () => {
    expect(wrap('one two three four five six', 10, '  ')).toEqual(['one two', '  three', '  four', '  five six']);
    const r = await runInProcess([...HEADLINE, '-f', 'table', '-q']);
    for (const line of r.stdout.split('\n')) expect(line).not.toMatch(/\S-$|^\s+[a-z]{1,2}\s/);
    expect(displayWidth('表格')).toBe(4);
    expect(displayWidth('\u001b[1mbold\u001b[22m')).toBe(4);
  });
});

describe('errors say a thing once', () => {
  it('a bad date in an incident log: expected … got … once', async () => {
    const args = ['records', '-i', '-', '--layout', 'incidents'];
    const input = 'date,category\n2/1/24,phone\n';
    const r = await runInProcess(args, { input });
    expect(r.code).toBe(2);
    expect(diagnostics((await runInProcess([...args, '--debug'], { input })).stderr)).toEqual([{ kind: 'error', at: '<stdin>:2:1', code: 'REJECTED_ROW' }]);
    // The wording is this test's point: what was expected and what was found, each said once.
    const first = r.stderr.split('\n')[0]!;
    expect(first).toBe('assetloss: <stdin>:2:1: expected a date (YYYY-MM-DD or dd/mm/yyyy), got "2/1/24"');
  });
});
