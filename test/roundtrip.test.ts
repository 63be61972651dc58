// The interchange contract (design §3 item 4): what `records` writes in json, ndjson, csv or tsv
// reads back with `-i` as the same records; and the input layouts the readers must know — long
// files with aliases, JSON arrays, wide and transposed answers with Totals and notes, fixed-period
// tables. Every validate run here keeps read = accepted + rejected + skipped. The CLI runs in
// process; a file named here is one of the temporary folder's (`at`).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { tempDir } from './helpers/files.js';
import { runInProcess } from './helpers/run.js';
import { diagnostics, parseNdjson, project, type Row, validateJson } from './helpers/output.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const at = (name: string) => join(tmp.dir, name);

const recordsOf = async (args: string[]): Promise<Row[]> => {
  const r = await runInProcess(['records', '-f', 'json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { records: Row[] }).records;
};
const validateOf = async (args: string[], code = 0) => {
  const r = await runInProcess(['validate', '-f', 'json', ...args]);
  expect(r.code, r.stderr).toBe(code);
  return validateJson(r.stdout);
};
const written = async (args: string[], format: string): Promise<string> => {
  const r = await runInProcess(['records', '-q', '-f', format, ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
};

const ext = { json: 'json', ndjson: 'ndjson', csv: 'csv', tsv: 'tsv' } as const;

describe('records round-trip through their own formats', () => {
  // Suppressed, missing and flagged cells, footnotes on labels, formula-like text: the hard parts.
  const HARD = '# department: Home Office\n# answered: 2025-01-10\n# status: stolen\nMonth,Laptops,Mobile phones,Other items\n'
    + 'January 2024,<5,[c],..\nFebruary 2024*,123[r],"1,234",-\nMarch 2024,0,[x],=SUM(A1)\n';
  beforeAll(() => { tmp.write('hard.csv', HARD.replace('=SUM(A1)', '7')); tmp.write('formula.csv', '# department: -2+3\nperiod,category,count,department\n2024-01,@Laptops,1,"=HYPERLINK(""x"")"\n2024-02,Laptops,-,\'=quoted\n'); });

  const inputs: [string, string[]][] = [
    ['the built-in dataset (four answers, overlapping months)', []],
    ['suppressed, missing and flagged cells', ['-i', at('hard.csv')]],
    ['formula-like text', ['-i', at('formula.csv')]],
  ];

  for (const [what, args] of inputs) {
    it.each(Object.keys(ext) as (keyof typeof ext)[])(`${what} → %s → read back: identical records`, async (format) => {
      const original = await recordsOf(['-q', ...args]);
      expect(original.length).toBeGreaterThan(0);
      const file = tmp.write(`${what.replace(/\W+/g, '-')}.${ext[format]}`, await written(args, format));
      expect(await recordsOf(['-q', '-i', file])).toEqual(original);
      const v = await validateOf(['-i', file]);
      expect(v.inputs[0]).toMatchObject({ layout: 'long', rows_rejected: 0, records: original.length });
    });
  }

  it('ndjson → csv → json: still identical', async () => {
    const original = await recordsOf(['-q']);
    const nd = tmp.write('chain.ndjson', await written([], 'ndjson'));
    const csv = tmp.write('chain.csv', await written(['-i', nd], 'csv'));
    expect(await recordsOf(['-q', '-i', csv])).toEqual(original);
  });

  it('the built-in dataset keeps its vintages through csv (one source per source_id)', async () => {
    const file = tmp.write('vintages.csv', await written([], 'csv'));
    const doc = JSON.parse((await runInProcess(['records', '-q', '-f', 'json', '-i', file])).stdout) as { sources: { id: string; vintage: { date: string | null } }[] };
    const byId = Object.fromEntries(doc.sources.map((s) => [s.id, s.vintage.date]));
    expect(byId['mod-devices-2017-2021']).toBe('2021-12-16');
    expect(byId['mod-devices-2024-07-05-to-2025-02-27']).toBe('2025-03-11');
  });

  it('a records file written with --lenient past rejects warns when read back (and fails --strict)', async () => {
    tmp.write('partly-bad.csv', 'period,category,count,department\n2024-01,Laptops,1,HO\n2024-02,Laptops,x,HO\n');
    const lenient = await runInProcess(['records', '-q', '-f', 'json', '--lenient', '-i', at('partly-bad.csv')]);
    expect(lenient.code).toBe(0);
    tmp.write('partly-bad.json', lenient.stdout);
    const r = await runInProcess(['records', '-f', 'ndjson', '-i', at('partly-bad.json'), '--debug']);
    expect(r.code).toBe(0);
    expect(parseNdjson(r.stdout)).toHaveLength(1);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'warning', at: `${at('partly-bad.json')}:1`, code: 'INCOMPLETE_INPUT' }]);
    expect((await runInProcess(['records', '--strict', '-i', at('partly-bad.json')])).code).toBe(2);
  });

  it('hard cells come back as what they said', async () => {
    const rows = await recordsOf(['-q', '-i', at('hard.csv')]);
    const want = [
      { category: 'laptop', period: 'January 2024', count_kind: 'suppressed', count: null, count_min: 0, count_max: 4, flags: [] },
      { category: 'phone', count_kind: 'suppressed', count_min: 0, count_max: null, flags: ['c'] },
      { category: 'other', count_kind: 'missing', count: null, count_min: null, flags: ['not-available'] },
      { category: 'laptop', period: 'February 2024*', start: '2024-02-01', end: '2024-02-29', count: 123, flags: ['r', '*'] },
      { category: 'phone', count: 1234, flags: ['*'], raw: '1,234' },
      { category: 'other', count_kind: 'missing', flags: ['nil-or-not-applicable', '*'] },
      { category: 'laptop', count: 0, status: 'stolen', department: 'HO', vintage: '2025-01-10' },
      { category: 'phone', count_kind: 'missing', flags: ['not-available'] },
      { category: 'other', count: 7 },
    ];
    expect(project(rows, want)).toEqual(want);
  });

  it('a records CSV with the same month from two answers is not a duplicate; the same answer twice is', async () => {
    const csv = await written([], 'csv');
    const twice = tmp.write('twice.csv', csv + csv.split('\n').slice(1).join('\n'));
    const r = await runInProcess(['records', '-q', '-i', twice, '--debug']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    // The duplicate is cited at its line in this file (150), not at its original line in the answer.
    const said = diagnostics(r.stderr);
    expect(said).toHaveLength(148);
    expect(said[0]).toEqual({ kind: 'error', at: `${twice}:150:1`, code: 'DUPLICATE_ROW' });
    expect(said.every((d) => d.code === 'DUPLICATE_ROW')).toBe(true);
    const v = await validateOf(['-i', twice], 1);
    expect(v.inputs[0]).toMatchObject({ rows_read: 296, rows_accepted: 148, rows_rejected: 148 });
  });
});

describe('input layouts', () => {
  it('a long CSV: header variants, aliases, quoted thousands, optional department/status/unit', async () => {
    tmp.write('long.csv', ' Period ,CATEGORY,Count, DEPARTMENT ,status,Unit\n'
      + '2024-01,Mobile phones,"1,234",Home Office,lost or stolen,\n'
      + 'Feb 2024,Desktops,2,Ministry of Defence,misplaced,Royal Navy\n'
      + '2023-24,Memory sticks,3,DWP,stolen,\n'
      + 'Q1 2025,External hard drives,<5,ministry of justice,missing,\n');
    const want = [
      { department: 'HO', category: 'phone', status: 'lost-or-stolen', unit: null, start: '2024-01-01', end: '2024-01-31', count: 1234, line: 2 },
      { department: 'MOD', category: 'computer', status: 'lost', unit: 'Royal Navy', start: '2024-02-01', end: '2024-02-29', count: 2, line: 3 },
      { department: 'DWP', category: 'usb', status: 'stolen', start: '2023-04-01', end: '2024-03-31', period_kind: 'financial-year', count: 3, line: 4 },
      { department: 'MOJ', category: 'hard-drive', status: 'lost-or-stolen', start: '2025-01-01', end: '2025-03-31', period_kind: 'quarter', count_min: 0, count_max: 4, line: 5 },
    ];
    expect(project(await recordsOf(['-i', at('long.csv')]), want)).toEqual(want);
    const v = await validateOf(['-i', at('long.csv')]);
    expect(v.inputs[0]).toMatchObject({ layout: 'long', rows_read: 4, rows_accepted: 4, warnings: 0 });
    expect(v.inputs[0]!.header_mapping).toEqual({ Period: 'period', CATEGORY: 'category', Count: 'count', DEPARTMENT: 'department', status: 'status', Unit: 'unit' });
  });

  it('a long CSV with the month and the year in separate columns', async () => {
    tmp.write('month-year.csv', 'year,month,category,count,department\n2024,January,Laptops,1,HO\n2023,Feb,Laptops,2,HO\n2024,2023-05,Laptops,3,HO\n');
    const r = await runInProcess(['records', '-q', '-f', 'ndjson', '--lenient', '-i', at('month-year.csv'), '--debug']);
    expect(parseNdjson(r.stdout).map((x) => [x.period, x.start, x.end])).toEqual([['January', '2024-01-01', '2024-01-31'], ['Feb', '2023-02-01', '2023-02-28']]);
    // A month that names another year than its row's year column is inconsistent (rejected), not silently re-dated.
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'rejected', at: `${at('month-year.csv')}:4:1`, code: 'REJECTED_ROW' }]);
  });

  it('a long CSV with start/end columns', async () => {
    tmp.write('start-end.csv', 'start,end,category,count,department\n2024-07-05,2024-07-31,Phones,14,MOD\n');
    expect(project(await recordsOf(['-i', at('start-end.csv')]), [{ period: '2024-07-05..2024-07-31', start: '2024-07-05', end: '2024-07-31', days: 27, count: 14 }]))
      .toEqual([{ period: '2024-07-05..2024-07-31', start: '2024-07-05', end: '2024-07-31', days: 27, count: 14 }]);
  });

  it('a JSON array of long objects, keys matched like CSV headers', async () => {
    tmp.write('array.json', JSON.stringify([
      { Period: '2024-01', Category: 'Smartphones', Count: 5, Department: 'Home Office' },
      { period: 'January 2024', category: 'Laptops', count: '6', department: 'HO', status: 'theft' },
      { month: '2024-02', 'asset type': 'Tablets', number: null, dept: 'MOD' },
    ], null, 1));
    const want = [
      { department: 'HO', category: 'phone', status: 'lost-or-stolen', start: '2024-01-01', count: 5 },
      { department: 'HO', category: 'laptop', status: 'stolen', start: '2024-01-01', count: 6 },
      { department: 'MOD', category: 'tablet', start: '2024-02-01', end: '2024-02-29', count: null, count_kind: 'missing' },
    ];
    expect(project(await recordsOf(['-i', at('array.json')]), want)).toEqual(want);
    expect((await validateOf(['-i', at('array.json')])).inputs[0]).toMatchObject({ format: 'json', rows_read: 3, rows_accepted: 3 });
  });

  it('NDJSON of long objects, and NDJSON sniffed from stdin', async () => {
    const text = '{"period":"2024-01","category":"Laptops","count":1,"department":"HO"}\n{"period":"2024-02","category":"Laptops","count":2,"department":"HO"}\n';
    tmp.write('long.ndjson', text);
    expect((await recordsOf(['-i', at('long.ndjson')])).map((r) => r.count)).toEqual([1, 2]);
    const r = await runInProcess(['records', '-f', 'json', '-i', '-'], { input: text });
    expect((JSON.parse(r.stdout) as { records: Row[] }).records.map((x) => [x.file, x.count])).toEqual([['<stdin>', 1], ['<stdin>', 2]]);
  });

  it('a wide answer with a Total row and a notes block: Totals checked, never summed; notes skipped and counted', async () => {
    tmp.write('wide.csv', '# department: Ministry of Defence\n# year: 2024\nMonth,Computers,USBs,Phones,Laptops,Cost (£)\n'
      + 'January,0,1,4,2,£1000\nFebruary (1),1,0,<5,3,£20\nDecember (to 15th),0,0,5,1,£0\nTotal,1,1,13,6,£1020\n\n'
      + '(1) February figures are provisional.\nSource: MoD Information Security Incident database\n');
    const rows = await recordsOf(['-i', at('wide.csv')]);
    expect(rows).toHaveLength(12);
    expect(rows.some((r) => r.row_label === 'Total' || r.category === 'total')).toBe(false);
    expect(project(rows.filter((r) => r.category === 'phone'), [{ start: '', end: '', count_min: 0, count_max: 0, flags: [] }])).toEqual([
      { start: '2024-01-01', end: '2024-01-31', count_min: 4, count_max: 4, flags: [] },
      { start: '2024-02-01', end: '2024-02-29', count_min: 0, count_max: 4, flags: ['(1)'] },
      { start: '2024-12-01', end: '2024-12-15', count_min: 5, count_max: 5, flags: [] },
    ]);
    const i = (await validateOf(['-i', at('wide.csv')])).inputs[0]!;
    expect(i).toMatchObject({ layout: 'wide', rows_read: 7, rows_accepted: 3, rows_rejected: 0, rows_skipped: 4, skipped_total: 1, skipped_notes: 2, skipped_blank: 1, total_checks: 4, total_mismatches: 0 });
    expect((i.note_details as Row[]).map((n) => n.code)).toEqual(['IGNORED_COLUMN', 'NOTES_ROW', 'NOTES_ROW', 'AMALGAMATED']);
  });

  it('notes whose unquoted commas spill into more cells are still notes; a mistyped label is not', async () => {
    tmp.write('notes-commas.csv', '# department: MOD\nMonth,Laptops,Phones\nJan-24,1,2\nTotal,1,2\n\nNote: figures are provisional, and may change\nSource: MoD, 2024\n(1) Includes tablets, phones\n');
    const i = (await validateOf(['-i', at('notes-commas.csv')])).inputs[0]!;
    expect(i).toMatchObject({ rows_read: 6, rows_accepted: 1, rows_rejected: 0, skipped_notes: 3, skipped_blank: 1, skipped_total: 1 });
    tmp.write('notember.csv', '# department: MOD\nMonth,Laptops,Phones\nJan-24,1,2\nNotember 2024,3,4\n');
    const r = await runInProcess(['records', '-i', at('notember.csv'), '--debug']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${at('notember.csv')}:4:1`, code: 'REJECTED_ROW' }]);
  });

  it('a wide answer whose Total row disagrees: validate exits 1 and names the column', async () => {
    tmp.write('wide-bad-total.csv', '# department: MOD\nMonth,Phones,Laptops\nJan-24,1,2\nFeb-24,3,4\nTotal,4,7\n');
    const i = (await validateOf(['-i', at('wide-bad-total.csv')], 1)).inputs[0]!;
    expect(i).toMatchObject({ total_checks: 2, total_mismatches: 1 });
    expect((i.total_check_details as Row[]).find((c) => c.status === 'mismatch')).toMatchObject({ label: 'Laptops', stated: '7', sum_min: 6, line: 5, column: 9 });
  });

  it('a transposed answer (years across, asset types down) with Total column and row', async () => {
    tmp.write('transposed.csv', '# department: MOD\n,2017,2018,Total\nLaptops,65,106,171\nMobile phones,50,69,119\nTotal,115,175,290\n');
    const rows = await recordsOf(['-i', at('transposed.csv')]);
    expect(rows.map((r) => [r.category, r.period, r.count])).toEqual([['laptop', '2017', 65], ['laptop', '2018', 106], ['phone', '2017', 50], ['phone', '2018', 69]]);
    const i = (await validateOf(['-i', at('transposed.csv')])).inputs[0]!;
    expect(i).toMatchObject({ layout: 'transposed', rows_read: 3, rows_accepted: 2, skipped_total: 1, total_checks: 4, total_mismatches: 0 });
  });

  it('financial years across a transposed table, "2023 to 2024" in that context', async () => {
    tmp.write('fy-transposed.csv', '# department: HO\nAsset,2022-23,2023 to 2024,FY2024-25\nLaptops,1,2,3\n');
    expect((await recordsOf(['-i', at('fy-transposed.csv')])).map((r) => [r.start, r.end, r.period_kind])).toEqual([
      ['2022-04-01', '2023-03-31', 'financial-year'], ['2023-04-01', '2024-03-31', 'financial-year'], ['2024-04-01', '2025-03-31', 'financial-year'],
    ]);
  });

  it('a fixed-period table: # period: metadata, asset types down, one count column, Total row checked', async () => {
    tmp.write('fixed.csv', '# department: Home Office\n# period: 2024-04-01..2025-03-31\nDevice type,Number\nLaptops,12\nMobile phones,30\nUSB sticks,<5\nTotal,44\n');
    const rows = await recordsOf(['-i', at('fixed.csv')]);
    expect(rows.map((r) => [r.category, r.start, r.end, r.count_min, r.count_max, r.column_label])).toEqual([
      ['laptop', '2024-04-01', '2025-03-31', 12, 12, 'Number'], ['phone', '2024-04-01', '2025-03-31', 30, 30, 'Number'], ['usb', '2024-04-01', '2025-03-31', 0, 4, 'Number'],
    ]);
    const i = (await validateOf(['-i', at('fixed.csv')])).inputs[0]!;
    expect(i).toMatchObject({ rows_read: 4, rows_accepted: 3, skipped_total: 1, total_checks: 1, total_mismatches: 0 });
  });

  it('a fixed-period long file (--layout long with # period:)', async () => {
    tmp.write('fixed-long.csv', '# period: FY2023-24\ncategory,count,department\nLaptops,3,HO\nPhones,4,MOJ\n');
    expect((await recordsOf(['-i', at('fixed-long.csv'), '--layout', 'long'])).map((r) => [r.department, r.category, r.start, r.end, r.count])).toEqual([
      ['HO', 'laptop', '2023-04-01', '2024-03-31', 3], ['MOJ', 'phone', '2023-04-01', '2024-03-31', 4],
    ]);
  });

  it('several inputs: one accounting row each, and the identity for each', async () => {
    tmp.write('a.csv', 'period,category,count,department\n2024-01,Laptops,1,HO\n\n');
    tmp.write('b.csv', '# department: MOD\nMonth,Phones\nJan-24,2\nTotal,2\nNote: none\n');
    const v = await validateOf(['-i', at('a.csv'), '-i', at('b.csv')]);
    expect(v.inputs.map((i) => [i.id, i.rows_read, i.rows_accepted, i.rows_skipped])).toEqual([['a', 2, 1, 1], ['b', 3, 1, 2]]);
  });
});
