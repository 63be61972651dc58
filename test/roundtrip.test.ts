// The interchange contract (design §3 item 4): what `records` writes in json, ndjson, csv or tsv
// reads back with `-i` as the same records; and the input layouts the readers must know — long
// files with aliases, JSON arrays, wide and transposed answers with Totals and notes, fixed-period
// tables. Every validate run here keeps read = accepted + rejected + skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { spawnCli } from './helpers/spawn.js';
import { tempDir } from './helpers/files.js';
import { parseNdjson, project, type Row, validateJson } from './helpers/output.js';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => { tmp = tempDir(); });
afterAll(() => tmp.cleanup());

const recordsOf = (args: string[]): Row[] => {
  const r = spawnCli(['records', '-f', 'json', ...args], { cwd: tmp.dir });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { records: Row[] }).records;
};
const validateOf = (args: string[], code = 0) => {
  const r = spawnCli(['validate', '-f', 'json', ...args], { cwd: tmp.dir });
  expect(r.code, r.stderr).toBe(code);
  return validateJson(r.stdout);
};
const written = (args: string[], format: string): string => {
  const r = spawnCli(['records', '-q', '-f', format, ...args], { cwd: tmp.dir });
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
    ['suppressed, missing and flagged cells', ['-i', 'hard.csv']],
    ['formula-like text', ['-i', 'formula.csv']],
  ];

  for (const [what, args] of inputs) {
    it.each(Object.keys(ext) as (keyof typeof ext)[])(`${what} → %s → read back: identical records`, (format) => {
      const original = recordsOf(['-q', ...args]);
      expect(original.length).toBeGreaterThan(0);
      const file = tmp.write(`${what.replace(/\W+/g, '-')}.${ext[format]}`, written(args, format));
      expect(recordsOf(['-q', '-i', file])).toEqual(original);
      const v = validateOf(['-i', file]);
      expect(v.inputs[0]).toMatchObject({ layout: 'long', rows_rejected: 0, records: original.length });
    });
  }

  it('ndjson → csv → json: still identical', () => {
    const original = recordsOf(['-q']);
    const nd = tmp.write('chain.ndjson', written([], 'ndjson'));
    const csv = tmp.write('chain.csv', written(['-i', nd], 'csv'));
    expect(recordsOf(['-q', '-i', csv])).toEqual(original);
  });

  it('the built-in dataset keeps its vintages through csv (one source per source_id)', () => {
    const file = tmp.write('vintages.csv', written([], 'csv'));
    const doc = JSON.parse(spawnCli(['records', '-q', '-f', 'json', '-i', file], { cwd: tmp.dir }).stdout) as { sources: { id: string; vintage: { date: string | null } }[] };
    const byId = Object.fromEntries(doc.sources.map((s) => [s.id, s.vintage.date]));
    expect(byId['mod-devices-2017-2021']).toBe('2021-12-16');
    expect(byId['mod-devices-2024-07-05-to-2025-02-27']).toBe('2025-03-11');
  });

  it('a records file written with --lenient past rejects warns when read back (and fails --strict)', () => {
    tmp.write('partly-bad.csv', 'period,category,count,department\n2024-01,Laptops,1,HO\n2024-02,Laptops,x,HO\n');
    const lenient = spawnCli(['records', '-q', '-f', 'json', '--lenient', '-i', 'partly-bad.csv'], { cwd: tmp.dir });
    expect(lenient.code).toBe(0);
    tmp.write('partly-bad.json', lenient.stdout);
    const r = spawnCli(['records', '-f', 'ndjson', '-i', 'partly-bad.json'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(parseNdjson(r.stdout)).toHaveLength(1);
    expect(r.stderr).toMatch(/warning: partly-bad\.json:1: this records file says it is incomplete \(complete: false, 1 row rejected when it was written\)/);
    expect(spawnCli(['records', '--strict', '-i', 'partly-bad.json'], { cwd: tmp.dir }).code).toBe(2);
  });

  it('hard cells come back as what they said', () => {
    const rows = recordsOf(['-q', '-i', 'hard.csv']);
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

  it('a records CSV with the same month from two answers is not a duplicate; the same answer twice is', () => {
    const csv = written([], 'csv');
    const twice = tmp.write('twice.csv', csv + csv.split('\n').slice(1).join('\n'));
    const r = spawnCli(['records', '-q', '-i', twice], { cwd: tmp.dir });
    expect([r.code, r.stdout]).toEqual([2, '']);
    // The duplicate is cited at its line in this file (150), not at its original line in the answer.
    expect(r.stderr).toMatch(/^assetloss: .*twice\.csv:150:1: duplicate of line 2: laptop \(MOD, lost-or-stolen\) for 2017-01-01\.\.2017-12-31 appears twice/m);
    const v = validateOf(['-i', twice], 1);
    expect(v.inputs[0]).toMatchObject({ rows_read: 296, rows_accepted: 148, rows_rejected: 148 });
  });
});

describe('input layouts', () => {
  it('a long CSV: header variants, aliases, quoted thousands, optional department/status/unit', () => {
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
    expect(project(recordsOf(['-i', 'long.csv']), want)).toEqual(want);
    const v = validateOf(['-i', 'long.csv']);
    expect(v.inputs[0]).toMatchObject({ layout: 'long', rows_read: 4, rows_accepted: 4, warnings: 0 });
    expect(v.inputs[0]!.header_mapping).toEqual({ Period: 'period', CATEGORY: 'category', Count: 'count', DEPARTMENT: 'department', status: 'status', Unit: 'unit' });
  });

  it('a long CSV with the month and the year in separate columns', () => {
    tmp.write('month-year.csv', 'year,month,category,count,department\n2024,January,Laptops,1,HO\n2023,Feb,Laptops,2,HO\n2024,2023-05,Laptops,3,HO\n');
    const r = spawnCli(['records', '-q', '-f', 'ndjson', '--lenient', '-i', 'month-year.csv'], { cwd: tmp.dir });
    expect(parseNdjson(r.stdout).map((x) => [x.period, x.start, x.end])).toEqual([['January', '2024-01-01', '2024-01-31'], ['Feb', '2023-02-01', '2023-02-28']]);
    // A month that names another year than its row's year column is inconsistent, not silently re-dated.
    expect(r.stderr).toMatch(/month-year\.csv:4:1: period inconsistent: 2023-05 .* is not inside year 2024/);
  });

  it('a long CSV with start/end columns', () => {
    tmp.write('start-end.csv', 'start,end,category,count,department\n2024-07-05,2024-07-31,Phones,14,MOD\n');
    expect(project(recordsOf(['-i', 'start-end.csv']), [{ period: '2024-07-05..2024-07-31', start: '2024-07-05', end: '2024-07-31', days: 27, count: 14 }]))
      .toEqual([{ period: '2024-07-05..2024-07-31', start: '2024-07-05', end: '2024-07-31', days: 27, count: 14 }]);
  });

  it('a JSON array of long objects, keys matched like CSV headers', () => {
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
    expect(project(recordsOf(['-i', 'array.json']), want)).toEqual(want);
    expect(validateOf(['-i', 'array.json']).inputs[0]).toMatchObject({ format: 'json', rows_read: 3, rows_accepted: 3 });
  });

  it('NDJSON of long objects, and NDJSON sniffed from stdin', () => {
    const text = '{"period":"2024-01","category":"Laptops","count":1,"department":"HO"}\n{"period":"2024-02","category":"Laptops","count":2,"department":"HO"}\n';
    tmp.write('long.ndjson', text);
    expect(recordsOf(['-i', 'long.ndjson']).map((r) => r.count)).toEqual([1, 2]);
    const r = spawnCli(['records', '-f', 'json', '-i', '-'], { input: text });
    expect((JSON.parse(r.stdout) as { records: Row[] }).records.map((x) => [x.file, x.count])).toEqual([['<stdin>', 1], ['<stdin>', 2]]);
  });

  it('a wide answer with a Total row and a notes block: Totals checked, never summed; notes skipped and counted', () => {
    tmp.write('wide.csv', '# department: Ministry of Defence\n# year: 2024\nMonth,Computers,USBs,Phones,Laptops,Cost (£)\n'
      + 'January,0,1,4,2,£1000\nFebruary (1),1,0,<5,3,£20\nDecember (to 15th),0,0,5,1,£0\nTotal,1,1,13,6,£1020\n\n'
      + '(1) February figures are provisional.\nSource: MoD Information Security Incident database\n');
    const rows = recordsOf(['-i', 'wide.csv']);
    expect(rows).toHaveLength(12);
    expect(rows.some((r) => r.row_label === 'Total' || r.category === 'total')).toBe(false);
    expect(project(rows.filter((r) => r.category === 'phone'), [{ start: '', end: '', count_min: 0, count_max: 0, flags: [] }])).toEqual([
      { start: '2024-01-01', end: '2024-01-31', count_min: 4, count_max: 4, flags: [] },
      { start: '2024-02-01', end: '2024-02-29', count_min: 0, count_max: 4, flags: ['(1)'] },
      { start: '2024-12-01', end: '2024-12-15', count_min: 5, count_max: 5, flags: [] },
    ]);
    const i = validateOf(['-i', 'wide.csv']).inputs[0]!;
    expect(i).toMatchObject({ layout: 'wide', rows_read: 7, rows_accepted: 3, rows_rejected: 0, rows_skipped: 4, skipped_total: 1, skipped_notes: 2, skipped_blank: 1, total_checks: 4, total_mismatches: 0 });
    expect((i.note_details as Row[]).map((n) => n.code)).toEqual(['IGNORED_COLUMN', 'NOTES_ROW', 'NOTES_ROW', 'AMALGAMATED']);
  });

  it('notes whose unquoted commas spill into more cells are still notes; a mistyped label is not', () => {
    tmp.write('notes-commas.csv', '# department: MOD\nMonth,Laptops,Phones\nJan-24,1,2\nTotal,1,2\n\nNote: figures are provisional, and may change\nSource: MoD, 2024\n(1) Includes tablets, phones\n');
    const i = validateOf(['-i', 'notes-commas.csv']).inputs[0]!;
    expect(i).toMatchObject({ rows_read: 6, rows_accepted: 1, rows_rejected: 0, skipped_notes: 3, skipped_blank: 1, skipped_total: 1 });
    tmp.write('notember.csv', '# department: MOD\nMonth,Laptops,Phones\nJan-24,1,2\nNotember 2024,3,4\n');
    const r = spawnCli(['records', '-i', 'notember.csv'], { cwd: tmp.dir });
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/notember\.csv:4:1: .*got "Notember 2024"/);
  });

  it('a wide answer whose Total row disagrees: validate exits 1 and names the column', () => {
    tmp.write('wide-bad-total.csv', '# department: MOD\nMonth,Phones,Laptops\nJan-24,1,2\nFeb-24,3,4\nTotal,4,7\n');
    const i = validateOf(['-i', 'wide-bad-total.csv'], 1).inputs[0]!;
    expect(i).toMatchObject({ total_checks: 2, total_mismatches: 1 });
    expect((i.total_check_details as Row[]).find((c) => c.status === 'mismatch')).toMatchObject({ label: 'Laptops', stated: '7', sum_min: 6, line: 5, column: 9 });
  });

  it('a transposed answer (years across, asset types down) with Total column and row', () => {
    tmp.write('transposed.csv', '# department: MOD\n,2017,2018,Total\nLaptops,65,106,171\nMobile phones,50,69,119\nTotal,115,175,290\n');
    const rows = recordsOf(['-i', 'transposed.csv']);
    expect(rows.map((r) => [r.category, r.period, r.count])).toEqual([['laptop', '2017', 65], ['laptop', '2018', 106], ['phone', '2017', 50], ['phone', '2018', 69]]);
    const i = validateOf(['-i', 'transposed.csv']).inputs[0]!;
    expect(i).toMatchObject({ layout: 'transposed', rows_read: 3, rows_accepted: 2, skipped_total: 1, total_checks: 4, total_mismatches: 0 });
  });

  it('financial years across a transposed table, "2023 to 2024" in that context', () => {
    tmp.write('fy-transposed.csv', '# department: HO\nAsset,2022-23,2023 to 2024,FY2024-25\nLaptops,1,2,3\n');
    expect(recordsOf(['-i', 'fy-transposed.csv']).map((r) => [r.start, r.end, r.period_kind])).toEqual([
      ['2022-04-01', '2023-03-31', 'financial-year'], ['2023-04-01', '2024-03-31', 'financial-year'], ['2024-04-01', '2025-03-31', 'financial-year'],
    ]);
  });

  it('a fixed-period table: # period: metadata, asset types down, one count column, Total row checked', () => {
    tmp.write('fixed.csv', '# department: Home Office\n# period: 2024-04-01..2025-03-31\nDevice type,Number\nLaptops,12\nMobile phones,30\nUSB sticks,<5\nTotal,44\n');
    const rows = recordsOf(['-i', 'fixed.csv']);
    expect(rows.map((r) => [r.category, r.start, r.end, r.count_min, r.count_max, r.column_label])).toEqual([
      ['laptop', '2024-04-01', '2025-03-31', 12, 12, 'Number'], ['phone', '2024-04-01', '2025-03-31', 30, 30, 'Number'], ['usb', '2024-04-01', '2025-03-31', 0, 4, 'Number'],
    ]);
    const i = validateOf(['-i', 'fixed.csv']).inputs[0]!;
    expect(i).toMatchObject({ rows_read: 4, rows_accepted: 3, skipped_total: 1, total_checks: 1, total_mismatches: 0 });
  });

  it('a fixed-period long file (--layout long with # period:)', () => {
    tmp.write('fixed-long.csv', '# period: FY2023-24\ncategory,count,department\nLaptops,3,HO\nPhones,4,MOJ\n');
    expect(recordsOf(['-i', 'fixed-long.csv', '--layout', 'long']).map((r) => [r.department, r.category, r.start, r.end, r.count])).toEqual([
      ['HO', 'laptop', '2023-04-01', '2024-03-31', 3], ['MOJ', 'phone', '2023-04-01', '2024-03-31', 4],
    ]);
  });

  it('several inputs: one accounting row each, and the identity for each', () => {
    tmp.write('a.csv', 'period,category,count,department\n2024-01,Laptops,1,HO\n\n');
    tmp.write('b.csv', '# department: MOD\nMonth,Phones\nJan-24,2\nTotal,2\nNote: none\n');
    const v = validateOf(['-i', 'a.csv', '-i', 'b.csv']);
    expect(v.inputs.map((i) => [i.id, i.rows_read, i.rows_accepted, i.rows_skipped])).toEqual([['a', 2, 1, 1], ['b', 3, 1, 2]]);
  });
});
