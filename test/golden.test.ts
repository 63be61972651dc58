// Golden outputs: one real answer (the MoD's 5 July 2024 – 27 February 2025 table) through
// `records` in every format and `validate` in csv and json, pinned byte for byte; and formula-like
// text, neutralised in csv/tsv and left alone in json/ndjson. The CLI runs in process (bin.test.ts
// checks the built binary prints the same). A missing or changed golden fails, in CI or not;
// `npx vitest run -u test/golden.test.ts` rewrites the files (review the diff before committing it).
import { describe, expect, it } from 'vitest';

import { renderDelimited } from '../src/format/csv.js';
import { json, ndjson } from '../src/format/json.js';
import type { Report } from '../src/format/report.js';
import { runInProcess } from './helpers/run.js';
import { parseNdjson, validateJson } from './helpers/output.js';

const ANSWER = 'fixtures/builtin/mod-devices-2024-07-05-to-2025-02-27.csv';
const FORMULA = 'test/golden/formula-text/input.csv';

const CASES: { golden: string; args: string[]; code?: number }[] = [
  ...(['csv', 'tsv', 'json', 'ndjson', 'markdown', 'table'] as const).map((f) => ({
    golden: `mod-devices-2024-07-05-to-2025-02-27/records.${f === 'markdown' ? 'md' : f === 'table' ? 'table.txt' : f}`,
    args: ['records', '-i', ANSWER, '-f', f],
  })),
  { golden: 'mod-devices-2024-07-05-to-2025-02-27/validate.csv', args: ['validate', '-i', ANSWER, '-f', 'csv'] },
  { golden: 'mod-devices-2024-07-05-to-2025-02-27/validate.json', args: ['validate', '-i', ANSWER, '-f', 'json'] },
  ...(['csv', 'tsv', 'json', 'ndjson'] as const).map((f) => ({ golden: `formula-text/records.${f}`, args: ['records', '-q', '-i', FORMULA, '-f', f] })),
];

describe('golden outputs', () => {
  it.each(CASES)('$args → $golden', async ({ golden, args, code = 0 }) => {
    const r = await runInProcess(args);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toBe('');
    await expect(r.stdout).toMatchFileSnapshot(`golden/${golden}`);
  });

  it('the pinned answer is what the answer says: 32 records, Total row checked, row accounting holds', async () => {
    const records = parseNdjson((await runInProcess(['records', '-i', ANSWER, '-f', 'ndjson'])).stdout);
    expect(records).toHaveLength(32);
    const sum = (category: string) => records.filter((r) => r.category === category).reduce((n, r) => n + (r.count as number), 0);
    // The answer's Total row: 11 computers, 13 USBs, 356 phones, 62 laptops.
    expect([sum('computer'), sum('usb'), sum('phone'), sum('laptop')]).toEqual([11, 13, 356, 62]);
    expect(records[0]).toMatchObject({ period: 'From 5 July 24', start: '2024-07-05', end: '2024-07-31', period_kind: 'custom', vintage: '2025-03-11' });
    expect(records.at(-1)).toMatchObject({ period: 'Up to 27 Feb 25', start: '2025-02-01', end: '2025-02-27', count: 4 });
    const v = validateJson((await runInProcess(['validate', '-i', ANSWER, '-f', 'json'])).stdout);
    expect(v.inputs[0]).toMatchObject({ rows_read: 9, rows_accepted: 8, rows_skipped: 1, total_checks: 4, total_mismatches: 0 });
  });

  it('the table is colourless with NO_COLOR and coloured with FORCE_COLOR, same text otherwise', async () => {
    const plain = (await runInProcess(['records', '-i', ANSWER, '-f', 'table'])).stdout;
    const coloured = (await runInProcess(['records', '-i', ANSWER, '-f', 'table'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } })).stdout;
    expect(plain).not.toMatch(/\u001b\[/);
    expect(coloured).toMatch(/\u001b\[1m/);
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });

  it('--crlf and --bom: CRLF line ends and a UTF-8 BOM, otherwise the same CSV', async () => {
    const lf = (await runInProcess(['records', '-i', ANSWER, '-f', 'csv'])).stdout;
    const excel = (await runInProcess(['records', '-i', ANSWER, '-f', 'csv', '--crlf', '--bom'])).stdout;
    expect(excel.startsWith('\ufeffsource_id,')).toBe(true);
    expect(excel.match(/\r\n/g)).toHaveLength(33);
    expect(excel.slice(1).replace(/\r\n/g, '\n')).toBe(lf);
  });
});

describe('formula-like text (bad-inputs 40, 41)', () => {
  const csvOut = async () => (await runInProcess(['records', '-q', '-i', FORMULA, '-f', 'csv'])).stdout;
  const tsvOut = async () => (await runInProcess(['records', '-q', '-i', FORMULA, '-f', 'tsv'])).stdout;

  it('csv: text cells starting with = + - @ get a leading quote; counts do not', async () => {
    const lines = (await csvOut()).split('\n');
    expect(lines[1]).toMatch(/^input,"'=HYPERLINK\(""http:\/\/x"",""Home Office""\)",hyperlink-http-x-home-office,lost,.*,month,31,false,,12,12,12,exact,/);
    expect(lines[2]).toMatch(/^input,'\+cmd,cmd,stolen,.*,3,3,3,exact,.*,2024-02,'\+cmd,3$/);
    expect(lines[3]).toMatch(/^input,'-2\+3,2-3,lost,.*,4,4,4,exact,.*,2024-03,'-2\+3,4$/);
    expect(lines[4]).toMatch(/^input,'@SUM\(A1\),sum-a1,lost,.*,2024-04,'@SUM\(A1\),5$/);
    expect(lines[5]).toMatch(/^input,HO,laptop,lost,/);
  });

  it('tsv: the same guard (a value with quotes is quoted, as Excel writes tab-delimited text)', async () => {
    const lines = (await tsvOut()).split('\n');
    expect(lines[1]!.split('\t').slice(0, 2)).toEqual(['input', `"'=HYPERLINK(""http://x"",""Home Office"")"`]);
    expect(lines[3]!.split('\t')[1]).toBe("'-2+3");
  });

  it('header cells that come from the data (summary --columns department) get the same guard', async () => {
    for (const f of ['csv', 'tsv']) {
      const head = (await runInProcess(['summary', '-q', '-i', FORMULA, '--columns', 'department', '-f', f])).stdout.split('\n')[0]!.split(f === 'csv' ? ',' : '\t');
      expect(head).toEqual(expect.arrayContaining(["'+cmd", "'-2+3", "'@SUM(A1)", 'HO', 'total']));
      expect(head.some((h) => /^"?[=+\-@]/.test(h))).toBe(false);
    }
  });

  it('json and ndjson: the text as written, numbers as numbers', async () => {
    const doc = JSON.parse((await runInProcess(['records', '-q', '-i', FORMULA, '-f', 'json'])).stdout) as { records: Record<string, unknown>[] };
    expect(doc.records.map((r) => [r.department, r.column_label, r.count])).toEqual([
      ['=HYPERLINK("http://x","Home Office")', '=HYPERLINK("http://x","Home Office")', 12],
      ['+cmd', '+cmd', 3], ['-2+3', '-2+3', 4], ['@SUM(A1)', '@SUM(A1)', 5], ['HO', 'Laptops', 0],
    ]);
    const lines = parseNdjson((await runInProcess(['records', '-q', '-i', FORMULA, '-f', 'ndjson'])).stdout);
    expect(lines.map((r) => r.department)).toEqual(['=HYPERLINK("http://x","Home Office")', '+cmd', '-2+3', '@SUM(A1)', 'HO']);
  });

  it('a negative number is never escaped, the same text is (formatter level: records have no negative numbers)', () => {
    const report: Report = {
      columns: [{ key: 'label', type: 'text' }, { key: 'difference', type: 'number' }, { key: 'ratio', type: 'number' }],
      rows: [{ label: '-12', difference: -12, ratio: -0.5 }, { label: "'=x", difference: 0, ratio: null }],
      json: { rows: [{ label: '-12', difference: -12 }] },
      notes: [],
    };
    expect([...renderDelimited(report, { color: false }, ',')].join('')).toBe("label,difference,ratio\n'-12,-12,-0.5\n''=x,0,\n");
    expect([...renderDelimited(report, { color: false }, '\t')].join('')).toBe("label\tdifference\tratio\n'-12\t-12\t-0.5\n''=x\t0\t\n");
    expect([...ndjson(report, { color: false })].join('')).toBe('{"label":"-12","difference":-12,"ratio":-0.5}\n{"label":"\'=x","difference":0,"ratio":null}\n');
    expect(JSON.parse([...json(report, { color: false })].join(''))).toEqual({ rows: [{ label: '-12', difference: -12 }] });
  });
});
