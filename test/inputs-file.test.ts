// Inputs files: each input's department, answer date, period, status, header row or year given
// without editing the answer; a value of an entry wins over the command line's. Every bad value
// is exit 2 with the inputs file's line. And the per-input rules around them: a --header-row
// that does not fit an input, a table of costs only, one answer given twice, recovered items,
// and claims about approximate periods.
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInProcess } from './helpers/run.js';
import { diagnostics } from './helpers/output.js';
import { ROOT, tempDir } from './helpers/files.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const real = (name: string) => join(ROOT, 'fixtures/real', name);
for (const f of ['dwp-olney-2023-11-1669069.html', 'moj-olney-2023-11-1669074.html', 'dcms-olney-2023-11-1669065.html', 'co-olney-2023-11-1669075.html']) copyFileSync(real(f), join(tmp.dir, f));
const at = (name: string) => join(tmp.dir, name);

describe('inputs files', () => {
  it('give an answer what it does not say itself: department and answer date, read into the records', async () => {
    tmp.write('a.yaml', 'inputs:\n  - file: dwp-olney-2023-11-1669069.html\n    department: DWP\n    answered: 2023-11-20\n    uin: 1669069\n');
    const r = await runInProcess(['records', '-i', at('a.yaml'), '-f', 'ndjson', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((x) => [x.department, x.category, x.count, x.start, x.end, x.period_approximate, x.uin, x.answered])).toEqual([
      ['DWP', 'laptop', 94, '2022-11-21', '2023-11-20', true, '1669069', '2023-11-20'],
      ['DWP', 'phone', 24, '2022-11-21', '2023-11-20', true, '1669069', '2023-11-20'],
      ['DWP', 'usb', 6, '2022-11-21', '2023-11-20', true, '1669069', '2023-11-20'],
      ['DWP', 'hard-drive', 0, '2022-11-21', '2023-11-20', true, '1669069', '2023-11-20'],
    ]);
  });

  it('an entry\'s value wins over the command line\'s, which applies to the others', async () => {
    tmp.write('jan-a.csv', '# department: MOD\nMonth,Phones\nJanuary,3\n');
    tmp.write('jan-b.csv', '# department: MOD\nMonth,Laptops\nJanuary,4\n');
    tmp.write('years.yaml', 'inputs:\n  - file: jan-a.csv\n    year: 2023\n  - jan-b.csv\n');
    const r = await runInProcess(['records', '-i', at('years.yaml'), '--year', '2024', '-f', 'csv', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n');
    const cols = rows[0]!.split(',');
    expect(rows.slice(1).map((l) => [l.split(',')[cols.indexOf('category')], l.split(',')[cols.indexOf('start')]])).toEqual([['phone', '2023-01-01'], ['laptop', '2024-01-01']]);
  });

  it.each([
    ['unknown key', 'inputs:\n  - file: x.html\n    departmnet: DWP\n', /b\.yaml:3:5: input 1: unknown key "departmnet"/],
    ['bad date', 'inputs:\n  - file: x.html\n    answered: 2023-02-30\n', /:3:15: input 1: answered: expected a YYYY-MM-DD date/],
    ['bad period', 'inputs:\n  - file: x.html\n    period: next week\n', /:3:13: input 1: period: cannot read "next week" as a period/],
    ['no file', 'inputs:\n  - department: DWP\n', /:2:5: input 1: file: missing/],
    ['not a list', 'inputs: x.html\n', /bad\.yaml:1:9: inputs: /],
    ['bad YAML', 'inputs:\n  - file: [x\n', /bad\.yaml:3:1: not valid YAML/],
    ['a header row that is not a number', 'inputs:\n  - file: x.html\n    header-row: two\n', /:3:17: input 1: header-row: /],
  ])('%s: exit 2 with the inputs file\'s line', async (_name, text, message) => {
    tmp.write('bad.yaml', text);
    const r = await runInProcess(['records', '-i', at('bad.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.replace('b.yaml', 'bad.yaml')).toMatch(new RegExp(message.source.replace('b\\.yaml', 'bad\\.yaml')));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a sidecar (answer.html.yaml) gives one input its entry; an inputs file entry wins over it; a bad key is positioned in the sidecar', async () => {
    tmp.write('dwp-olney-2023-11-1669069.html.yaml', 'department: DWP\nanswered: 2023-11-20\n');
    const r = await runInProcess(['records', '-i', at('dwp-olney-2023-11-1669069.html'), '-f', 'csv', '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[1]).toMatch(/^dwp-olney-2023-11-1669069,DWP,laptop,.*,2022-11-21,2023-11-20,/);
    tmp.write('over.yaml', 'inputs:\n  - file: dwp-olney-2023-11-1669069.html\n    answered: 2023-11-22\n');
    const o = await runInProcess(['records', '-i', at('over.yaml'), '-f', 'csv', '-q']);
    expect(o.stdout.split('\n')[1]).toMatch(/,DWP,laptop,.*,2022-11-23,2023-11-22,/);
    tmp.write('dwp-olney-2023-11-1669069.html.yaml', 'department: DWP\nanswerd: 2023-11-20\n');
    const bad = await runInProcess(['records', '-i', at('dwp-olney-2023-11-1669069.html'), '--debug']);
    expect(bad.code).toBe(2);
    expect(diagnostics(bad.stderr)).toEqual([{ kind: 'error', at: `${at('dwp-olney-2023-11-1669069.html.yaml')}:2:1`, code: 'BAD_INPUTS_FILE' }]);
    // Which key is wrong is said only in the words.
    expect(bad.stderr).toMatch(/unknown key "answerd"/);
    tmp.write('dwp-olney-2023-11-1669069.html.yaml', '');
  });

  it('an answer whose period counts back from its unknown date says how to give the date', async () => {
    const r = await runInProcess(['records', '-i', at('dwp-olney-2023-11-1669069.html'), '--debug']);
    expect(r.code).toBe(2);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${at('dwp-olney-2023-11-1669069.html')}#table1:1`, code: 'NO_PERIOD' }]);
    // How to give the date is the point of the message: the words are the contract.
    expect(r.stderr).toMatch(/give it as "answered: YYYY-MM-DD" \(in an inputs file entry, or "# answered:" metadata\)/);
  });
});

describe('the new record columns round-trip', () => {
  it('item, period_approximate, period_from, uin and answered come back from the records CSV and JSON as they went out', async () => {
    tmp.write('rt.yaml', 'inputs:\n  - file: dwp-olney-2023-11-1669069.html\n    department: DWP\n    answered: 2023-11-20\n    uin: "1669069"\n');
    for (const format of ['csv', 'json']) {
      const first = await runInProcess(['records', '-i', at('rt.yaml'), '-q', '-f', format]);
      expect(first.code, first.stderr).toBe(0);
      tmp.write(`rt.${format}`, first.stdout);
      const again = await runInProcess(['records', '-i', at(`rt.${format}`), '-q', '-f', 'csv']);
      const csv = format === 'csv' ? first.stdout : (await runInProcess(['records', '-i', at('rt.yaml'), '-q', '-f', 'csv'])).stdout;
      expect(again.stdout).toBe(csv);
      expect(again.stdout.split('\n')[1]).toMatch(/,in the last year,2022-11-21,2023-11-20,custom,365,true,text,94,.*,2023-11-20,1669069,2023-11-20,/);
    }
  });
});

describe('claims files take the same input entries', () => {
  it('an entry in input: gives its answer its department and date; a bad key is positioned in the claims file', async () => {
    tmp.write('inline.yaml', 'input:\n  - file: dwp-olney-2023-11-1669069.html\n    department: DWP\n    answered: 2023-11-20\nclaims:\n  - id: laptops\n    says: "94 laptops"\n    total: { period: 2022-11-21..2023-11-20, category: laptop }\n    at-least: 90\n');
    const r = await runInProcess(['check', at('inline.yaml'), '-f', 'json']);
    const claim = (JSON.parse(r.stdout) as { claims: { status: string; actual: { value: number } }[] }).claims[0]!;
    expect([claim.status, claim.actual.value]).toEqual(['undetermined', 94]);
    tmp.write('inline-bad.yaml', 'input:\n  - file: dwp-olney-2023-11-1669069.html\n    departmnet: DWP\nclaims:\n  - id: a\n    says: x\n    total: { period: 2023 }\n    equals: 1\n');
    const bad = await runInProcess(['check', at('inline-bad.yaml'), '--debug']);
    expect(bad.code).toBe(2);
    expect(diagnostics(bad.stderr)).toEqual([{ kind: 'error', at: expect.stringMatching(new RegExp(`^${at('inline-bad.yaml')}:3:\\d+$`)), code: 'BAD_CLAIMS' }]);
    expect(bad.stderr).toMatch(/departmnet/);
  });
});

describe('options that belong to one input', () => {
  it('a --header-row that fits another input does not fit this one: exit 2 naming the row, never rows lost', async () => {
    tmp.write('wide.csv', 'Month,Laptops,Phones\nJanuary 2024,1,2\nFebruary 2024,3,4\n');
    const below = await runInProcess(['records', '-i', at('wide.csv'), '--header-row', '2', '--debug']);
    expect(below.code).toBe(2);
    expect(below.stdout).toBe('');
    expect(diagnostics(below.stderr)).toEqual([{ kind: 'error', at: `${at('wide.csv')}:2:1`, code: 'DATA_AS_HEADER' }]);
    tmp.write('titled.csv', 'Lost devices\nMonth,Laptops,Phones\nJanuary 2024,1,2\nFebruary 2024,3,4\n');
    const past = await runInProcess(['records', '-i', at('titled.csv'), '--header-row', '3', '--debug']);
    expect(past.code).toBe(2);
    expect(diagnostics(past.stderr)).toEqual([{ kind: 'error', at: `${at('titled.csv')}:3:1`, code: 'DATA_AS_HEADER' }]);
  });

  it('a table of costs only is an error naming the cause; --lenient keeps going with a warning', async () => {
    tmp.write('costs.csv', '# department: MOD\n# period: 2023\nItem,Cost\nLaptops,£300\nPhones,£200\n');
    const r = await runInProcess(['records', '-i', at('costs.csv'), '--debug']);
    expect(r.code).toBe(2);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${at('costs.csv')}:3`, code: 'NO_COUNTS' }]);
    // The cause is the point: the words name the column and why it is not counts.
    expect(r.stderr).toMatch(/"Cost" is a column of costs, not counts/);
    const l = await runInProcess(['records', '-i', at('costs.csv'), '--lenient', '-f', 'csv', '--debug']);
    expect(l.code).toBe(0);
    expect(diagnostics(l.stderr)).toEqual([{ kind: 'warning', at: `${at('costs.csv')}:3`, code: 'NO_COUNTS' }]);
  });

  it('a Lost/Stolen table with "# period:" gives its records (once silently empty)', async () => {
    tmp.write('ls.csv', '# department: HO\n# period: 2023-01-01..2023-12-31\n,Lost,Stolen\nLaptops,3,4\nPhones,5,6\n');
    const r = await runInProcess(['records', '-i', at('ls.csv'), '-f', 'csv', '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').slice(1).map((l) => l.split(',').slice(2, 4).join('/'))).toEqual(['laptop/lost', 'laptop/stolen', 'phone/lost', 'phone/stolen']);
  });

  it('one answer given twice (for a body and for the department as a whole) is warned of and counted once', async () => {
    tmp.write('twice.yaml', 'inputs:\n  - file: moj-olney-2023-11-1669074.html\n    department: MoJ\n    period: 2023\n  - file: moj-olney-2023-11-1669074.html\n    department: MoJ\n    period: 2023\n');
    const r = await runInProcess(['compare', '-i', at('twice.yaml'), '2023', '2023', '--category', 'laptop', '-f', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/the same 8 figures as moj-olney-2023-11-1669074: a repeated answer, counted once/);
    expect((JSON.parse(r.stdout) as { periods: { total: number }[] }).periods[0]!.total).toBe(225);
  });

  it('recovered items are not added to the lost: they count only when asked for', async () => {
    tmp.write('rec.csv', '# department: HMT\n# period: 2011-12\nItems lost or stolen,Recovered\n8 laptops,5\n');
    const all = await runInProcess(['compare', '-i', at('rec.csv'), 'FY2011-12', 'FY2011-12', '-f', 'json', '-q']);
    expect(all.code, all.stderr).toBe(0);
    expect((JSON.parse(all.stdout) as { periods: { total: number }[] }).periods[0]!.total).toBe(8);
    const rec = await runInProcess(['compare', '-i', at('rec.csv'), 'FY2011-12', 'FY2011-12', '--status', 'recovered', '-f', 'json', '-q']);
    expect((JSON.parse(rec.stdout) as { periods: { total: number }[] }).periods[0]!.total).toBe(5);
  });
});

describe('approximate periods are said, and settle no claim', () => {
  it('compare marks the figure approximate in csv and json; a claim on it is undetermined', async () => {
    tmp.write('dwp.yaml', 'inputs:\n  - file: dwp-olney-2023-11-1669069.html\n    department: DWP\n    answered: 2023-11-20\n');
    const csv = await runInProcess(['compare', '-i', at('dwp.yaml'), '2022-11-21..2023-11-20', '2022-11-21..2023-11-20', '-f', 'csv', '-q']);
    expect(csv.code, csv.stderr).toBe(0);
    const [head, first] = csv.stdout.split('\n');
    const cols = head!.split(',');
    expect(first!.split(',')[cols.indexOf('status')]).toBe('approximate');
    const json = await runInProcess(['compare', '-i', at('dwp.yaml'), '2022-11-21..2023-11-20', '2022-11-21..2023-11-20', '-f', 'json', '-q']);
    expect(json.stdout).toContain('"APPROXIMATE_PERIOD"');
    tmp.write('claims.yaml', 'input: dwp.yaml\nclaims:\n  - id: dwp-124\n    says: "DWP lost 124 devices in the last year"\n    total: { period: 2022-11-21..2023-11-20, department: DWP }\n    equals: 124\n');
    const check = await runInProcess(['check', at('claims.yaml'), '-f', 'json']);
    expect(check.code).toBe(1);
    const result = (JSON.parse(check.stdout) as { claims: { status: string; message: string; caveats: { code: string }[] }[] }).claims[0]!;
    expect(result.status).toBe('undetermined');
    expect(result.message).toMatch(/gives its period only roughly/);
    expect(result.caveats.map((c) => c.code)).toContain('APPROXIMATE_PERIOD');
  });
});

describe('rows by lost/stolen status keep their status apart from the figure\'s', () => {
  it('summary and compare --by status: series_status is lost or stolen, status is complete or partial', async () => {
    tmp.write('e3.csv', '# department: Home Office\n# period: 2023\nDevice,Lost,Stolen,Recovered,Total\nLaptops,4,2,1,6\nMobile phones,10,3,0,13\n');
    const s = await runInProcess(['summary', at('e3.csv'), '--by', 'status', '-q', '-f', 'csv', '--fields', 'series_status,laptop,phone,total,status']);
    expect(s.stdout).toBe('series_status,laptop,phone,total,status\nlost,4,10,14,complete\nstolen,2,3,5,complete\ntotal,6,13,19,complete\n');
    const c = await runInProcess(['compare', '2023', '2022', '-i', at('e3.csv'), '--by', 'status', '-q', '-f', 'csv', '--fields', 'series_status,period,total,status']);
    expect(c.stdout).toBe('series_status,period,total,status\nlost,2023,14,complete\nlost,2022,,no_data\nstolen,2023,5,complete\nstolen,2022,,no_data\n');
  });

  it('summary --per without --own-periods is a usage error', async () => {
    const r = await runInProcess(['summary', '--per', 'year']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--per gives the rate of --own-periods/);
  });
});

describe('figures in sentences, each with its own clause', () => {
  it('two figures in one sentence each take their own status and period', async () => {
    tmp.write('two.html', '<p>69 laptops were lost in 2023 and 12 mobile phones were stolen in the last year.</p>');
    tmp.write('two.html.yaml', 'department: HO\nanswered: 2024-03-01\ntext-figures: true\n');
    const r = await runInProcess(['records', '-i', at('two.html'), '-q', '-f', 'ndjson']);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((x) => [x.category, x.status, x.start, x.end, x.period_approximate, x.count])).toEqual([
      ['laptop', 'lost', '2023-01-01', '2023-12-31', false, 69],
      ['phone', 'stolen', '2023-03-02', '2024-03-01', true, 12],
    ]);
  });
});

describe('inputs files listing inputs files', () => {
  it('are read through, each entry with its own values; a loop is an error', async () => {
    tmp.write('inner.yaml', 'inputs:\n  - file: dwp-olney-2023-11-1669069.html\n    department: DWP\n    answered: 2023-11-20\n');
    tmp.write('outer.yaml', 'inputs:\n  - inner.yaml\n');
    const r = await runInProcess(['records', '-i', at('outer.yaml'), '-q', '-f', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(5);
    tmp.write('loop.yaml', 'inputs:\n  - loop.yaml\n');
    const loop = await runInProcess(['records', '-i', at('loop.yaml'), '--debug']);
    expect(loop.code).toBe(2);
    expect(diagnostics(loop.stderr)).toEqual([{ kind: 'error', at: at('loop.yaml'), code: 'BAD_INPUTS_FILE' }]);
    expect(loop.stderr).toMatch(/more than 8 deep/);
  });
});

describe('a claim on days an approximate figure crosses', () => {
  it('is undetermined, not failed: where the figure ends is not known', async () => {
    tmp.write('dwp2.yaml', 'inputs:\n  - file: dwp-olney-2023-11-1669069.html\n    department: DWP\n    answered: 2023-11-20\n');
    tmp.write('straddle.yaml', 'input: dwp2.yaml\nclaims:\n  - id: laptops-2023\n    says: "94 laptops in 2023"\n    total: { period: 2023, category: laptop }\n    equals: 94\n');
    const r = await runInProcess(['check', at('straddle.yaml'), '-f', 'json']);
    const claim = (JSON.parse(r.stdout) as { claims: { status: string }[] }).claims[0]!;
    expect(claim.status).toBe('undetermined');
  });
});
