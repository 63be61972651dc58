// Reading written answers: the saved API responses of fixtures/pq give the records of the CSVs
// of the same answers, with the question's identity as provenance; every HTML edge case reads as
// it should or is reported, never an empty result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureItem } from './helpers/pq.js';
import { runInProcess } from './helpers/run.js';
import { diagnostics } from './helpers/output.js';

/** The diagnostics of `assetloss ARGS --debug`, by code and position. */
const said = async (args: string[]) => diagnostics((await runInProcess([...args, '--debug'])).stderr);

type Row = Record<string, unknown>;
let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'assetloss-pq-read-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function records(args: string[]): Promise<{ code: number; rows: Row[]; doc: Row; stderr: string }> {
  const r = await runInProcess(['records', ...args, '-f', 'json']);
  const doc = r.stdout ? (JSON.parse(r.stdout) as Row) : {};
  return { code: r.code, rows: (doc.records as Row[] | undefined) ?? [], doc, stderr: r.stderr };
}

/** What a record says (series, period, count, the cell as written), not where it was read. */
function content(r: Row): Row {
  const { department, category, status, unit, period, start, end, period_kind, count, count_min, count_max, count_kind, flags, row_label, column_label, raw } = r;
  return { department, category, status, unit, period, start, end, period_kind, count, count_min, count_max, count_kind, flags, row_label, column_label, raw };
}
const bare = (r: Row): Row => ({ ...content(r), period: undefined, flags: [], row_label: undefined, raw: undefined, column_label: undefined });
const sortKey = (r: Row) => `${r.start}|${r.end}|${r.category}`;
const sorted = (rows: Row[]) => rows.slice().sort((a, b) => sortKey(a).localeCompare(sortKey(b)));

/** A single-question response around `answerText`, with the fields of the 2024 answer unless overridden. */
function answer(answerText: string, value: Row = {}): string {
  const item = fixtureItem('mod-devices-2024-to-15-dec.json');
  return JSON.stringify({ ...item, value: { ...item.value, answerText, ...value } });
}
function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const ANSWERS = ['mod-devices-2017-2021', 'mod-devices-2023', 'mod-devices-2024-to-15-dec', 'mod-devices-2024-07-05-to-2025-02-27'];

describe('the MoD answers as the API gives them read as their CSVs', () => {
  it.each(ANSWERS)('%s', async (name) => {
    const pq = await records(['-i', `fixtures/pq/${name}.json`]);
    const csv = await records(['-i', `fixtures/builtin/${name}.csv`]);
    expect(pq.code, pq.stderr).toBe(0);
    expect(pq.rows.length).toBeGreaterThan(0);
    expect(pq.rows.map(content)).toEqual(csv.rows.map(content));
    // Same source id (the file name), and the file names the question and table of each cell.
    const id = fixtureItem(`${name}.json`).value.id;
    for (const r of pq.rows) {
      expect(r.source_id).toBe(name);
      expect(r.file).toBe(`fixtures/pq/${name}.json#${id}/table1`);
    }
    expect(pq.doc.complete).toBe(true);
  });

  it('the question\'s identity is the metadata of the records\' source', async () => {
    const pq = await records(['-i', 'fixtures/pq/mod-devices-2024-07-05-to-2025-02-27.json']);
    const [source] = pq.doc.sources as { id: string; metadata: Row; vintage: Row }[];
    expect(source!.id).toBe('mod-devices-2024-07-05-to-2025-02-27');
    expect(source!.metadata).toMatchObject({
      id: '9100004', uin: '900004', house: 'Commons', tabled: '2025-02-27', answered: '2025-03-06',
      'asked-by': 'James Cartlidge', 'answered-by': 'Luke Pollard', department: 'Ministry of Defence', 'answering-body-id': '11',
      heading: 'Ministry of Defence: Mobile Phones',
      url: 'https://questions-statements.parliament.uk/written-questions/detail/2025-02-27/900004',
    });
    expect(source!.vintage).toEqual({ date: '2025-03-06', basis: 'answered', position: 0 });
    expect(pq.rows.every((r) => r.vintage === '2025-03-06')).toBe(true);
  });

  it('the real dates of UIN 89637 are calendar days, whatever the time zone', async () => {
    const pq = await records(['-i', 'fixtures/pq/mod-devices-2017-2021.json']);
    const [source] = pq.doc.sources as { metadata: Row }[];
    expect(source!.metadata).toMatchObject({ uin: '89637', tabled: '2021-12-08', answered: '2021-12-16' });
  });

  it('a saved list: one source per question, each with its own id and vintage', async () => {
    const pq = await records(['-i', 'fixtures/pq/search-mod-devices.json']);
    expect(pq.code, pq.stderr).toBe(0);
    const sources = pq.doc.sources as { id: string; metadata: Row }[];
    expect(sources.map((s) => s.id)).toEqual([9100001, 9100002, 9100003, 9100004].map((id) => `search-mod-devices-${id}`));
    expect(pq.rows).toHaveLength(148);
  });

  it('records -f json of an answer reads back to the same records', async () => {
    const first = await runInProcess(['records', '-i', 'fixtures/pq/mod-devices-2024-to-15-dec.json', '-f', 'json']);
    const file = write('roundtrip.json', first.stdout);
    const again = await records(['-i', file]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.rows).toEqual((JSON.parse(first.stdout) as { records: Row[] }).records);
  });
});

describe('HTML edge cases (fixtures/pq/edge)', () => {
  const csvRows = async (name: string) => (await records(['-i', `fixtures/builtin/${name}.csv`])).rows;

  it('upper-case tags: the 2017–2021 table', async () => {
    const pq = await records(['-i', 'fixtures/pq/edge/upper-case-tags.json']);
    expect(pq.code, pq.stderr).toBe(0);
    expect(pq.rows.map(content)).toEqual((await csvRows('mod-devices-2017-2021')).map(content));
  });

  it('<br> in header cells: "Desktop<br>computers" is "Desktop computers", a computer column', async () => {
    const pq = await records(['-i', 'fixtures/pq/edge/br-in-header-cells.json']);
    expect(pq.code, pq.stderr).toBe(0);
    expect([...new Set(pq.rows.map((r) => r.column_label))]).toEqual(['Desktop computers', 'USB sticks', 'Mobile phones', 'Laptops']);
    expect(pq.rows.map(bare)).toEqual((await csvRows('mod-devices-2024-07-05-to-2025-02-27')).map(bare));
  });

  it('&nbsp; around cells, spacer paragraphs and a spacer row: the same records, no invisible-character rejects', async () => {
    const pq = await records(['-i', 'fixtures/pq/edge/nbsp-padding.json']);
    expect(pq.code, pq.stderr).toBe(0);
    expect(pq.stderr).toBe('');
    expect(pq.rows.map(content)).toEqual((await csvRows('mod-devices-2024-07-05-to-2025-02-27')).map(content));
  });

  it('two tables in one answer: both read, each with its own Total row checked', async () => {
    const pq = await records(['-i', 'fixtures/pq/edge/two-tables.json']);
    expect(pq.code, pq.stderr).toBe(0);
    expect(sorted(pq.rows).map(content)).toEqual(sorted(await csvRows('mod-devices-2024-to-15-dec')).map(content));
    expect(new Set(pq.rows.map((r) => r.file))).toEqual(new Set(['fixtures/pq/edge/two-tables.json#9100003/table1', 'fixtures/pq/edge/two-tables.json#9100003/table2']));
    const v = await runInProcess(['validate', '-i', 'fixtures/pq/edge/two-tables.json', '-f', 'json']);
    expect(v.code).toBe(0);
    const input = (JSON.parse(v.stdout) as { inputs: Row[] }).inputs[0]!;
    expect(input).toMatchObject({ total_checks: 4, total_matches: 4, rows_read: 26, rows_accepted: 24, rows_skipped: 2, rows_rejected: 0 });
  });

  it('a Total row in <tfoot> under a <th> header: checked, never a record', async () => {
    const pq = await records(['-i', 'fixtures/pq/edge/total-row.json']);
    expect(pq.code, pq.stderr).toBe(0);
    expect(pq.rows.some((r) => /total/i.test(String(r.row_label)))).toBe(false);
    expect(pq.rows.map(content)).toEqual((await csvRows('mod-devices-2024-07-05-to-2025-02-27')).map(content));
    const v = await runInProcess(['validate', '-i', 'fixtures/pq/edge/total-row.json', '-f', 'json']);
    expect((JSON.parse(v.stdout) as { inputs: Row[] }).inputs[0]).toMatchObject({ total_checks: 4, total_matches: 4 });
  });

  it('a Total row that does not add up: a warning naming the table cell; an error with --strict', async () => {
    const html = '<table><tr><td>Month</td><td>Phones</td></tr><tr><td>January</td><td>13</td></tr><tr><td>February</td><td>6</td></tr><tr><td><strong>Total</strong></td><td><strong>20</strong></td></tr></table>';
    const file = write('mismatch.json', answer(html));
    const r = await runInProcess(['records', '-i', file, '-f', 'csv', '--debug']);
    expect(r.code).toBe(0);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'warning', at: `${file}#9100003/table1:4:2`, code: 'TOTAL_MISMATCH' }]);
    const strict = await runInProcess(['records', '-i', file, '-f', 'csv', '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe('');
  });

  it('footnote markers: <sup> digits and * are flags; the footnotes below are not rows', async () => {
    const pq = await records(['-i', 'fixtures/pq/edge/footnote-markers.json']);
    expect(pq.code, pq.stderr).toBe(0);
    expect(pq.rows.map(bare)).toEqual((await csvRows('mod-devices-2024-to-15-dec')).map(bare));
    const july = pq.rows.filter((r) => r.start === '2024-07-01');
    expect(july.every((r) => (r.flags as string[]).includes('(1)'))).toBe(true);
    const octoberPhones = pq.rows.find((r) => r.start === '2024-10-01' && r.category === 'phone')!;
    expect(octoberPhones).toMatchObject({ count: 37, flags: ['*'], raw: '37*' });
    const v = await runInProcess(['validate', '-i', 'fixtures/pq/edge/footnote-markers.json', '-f', 'json']);
    expect((JSON.parse(v.stdout) as { inputs: Row[] }).inputs[0]).toMatchObject({ total_checks: 4, total_matches: 4, rows_rejected: 0 });
  });

  it('counts glued to labels in an old answer: split, each with a warning', async () => {
    const pq = await records(['-i', 'fixtures/pq/edge/counts-glued-to-labels.json']);
    expect(pq.code, pq.stderr).toBe(0);
    expect(pq.rows.map(bare)).toEqual((await csvRows('mod-devices-2017-2021')).map(bare));
    const glued = await said(['records', '-i', 'fixtures/pq/edge/counts-glued-to-labels.json']);
    const at = 'fixtures/pq/edge/counts-glued-to-labels.json#9100001/table1';
    expect(glued).toEqual([2, 3, 4, 5].map((line) => ({ kind: 'warning', at: `${at}:${line}:1`, code: 'GLUED_COUNT' })));
    // How it was split is the warning's point: the words say it.
    expect(pq.stderr).toMatch(/"Mobile phones50" read as label "Mobile phones" and count 50/);
  });

  describe('answers with nothing to read: exit 2 with the reason; --lenient: a warning and zero records', () => {
    it.each([
      ['attachment-only.json', 'ANSWER_IN_ATTACHMENT', /#9100011:1: question 9100011 \(UIN 900011\): the figures are in an attachment \(PQ 900011 devices lost or stolen\), not in the answer's text/],
      ['holding-answer.json', 'HOLDING_ANSWER', /#9100012:1: question 9100012 \(UIN 900012\) has a holding answer only \(2025-03-06\): fetch it again once it is answered \(assetloss pq fetch 9100012\)/],
      ['list-preview.json', 'TRUNCATED_PREVIEW', /#9100004:4: question 9100004 \(UIN 900004\): the answer is a list preview cut short with "\.\.\.": fetch it in full \(assetloss pq fetch 9100004\)/],
    ])('%s', async (name, code, message) => {
      const file = `fixtures/pq/edge/${name}`;
      const strict = await runInProcess(['records', '-i', file, '-f', 'json']);
      expect(strict.code).toBe(2);
      expect(strict.stdout).toBe('');
      expect((await said(['records', '-i', file, '-f', 'json'])).map((d) => d.code)).toEqual([code]);
      // What to do next (fetch it again, fetch it in full) is said in the words.
      expect(strict.stderr).toMatch(message);
      const lenient = await records(['-i', file, '--lenient']);
      expect(lenient.code).toBe(0);
      expect(lenient.rows).toEqual([]);
      expect(lenient.doc.complete).toBe(false);
      expect((lenient.doc.rejects as Row[]).map((r) => r.code)).toEqual([code]);
      expect(lenient.stderr).toMatch(/--lenient: 1 row rejected; the output is incomplete/);
      const v = await runInProcess(['validate', '-i', file]);
      expect(v.code).toBe(1);
    });

    it('an answer in words only (no table, no attachment): NO_TABLE, quoting it', async () => {
      const file = write('words.json', answer('<p>The information is not held centrally and could be obtained only at disproportionate cost.</p>'));
      const r = await runInProcess(['records', '-i', file]);
      expect(r.code).toBe(2);
      expect(await said(['records', '-i', file])).toEqual([{ kind: 'error', at: `${file}#9100003:1`, code: 'NO_TABLE' }]);
      expect(r.stderr).toMatch(/\(got "The information is not held centrally/);
    });

    it('a list result in plain text without "...": NO_TABLE, saying it may be a preview to fetch in full', async () => {
      const item = fixtureItem('mod-devices-2023.json');
      const list = { totalResults: 1, results: [{ ...item, value: { ...item.value, answerText: 'The figures are:MonthPhonesJan-239' } }] };
      const file = write('plain-list.json', JSON.stringify(list));
      const r = await runInProcess(['records', '-i', file]);
      expect(r.code).toBe(2);
      expect((await said(['records', '-i', file])).map((d) => d.code)).toEqual(['NO_TABLE']);
      expect(r.stderr).toMatch(/the answer has no table to read; in a list result this may be a preview without its tags: assetloss pq fetch 9100002 gets it in full/);
    });

    it('a withdrawn question: WITHDRAWN', async () => {
      const file = write('withdrawn.json', answer('', { isWithdrawn: true }));
      expect((await runInProcess(['records', '-i', file])).code).toBe(2);
      expect(await said(['records', '-i', file])).toEqual([{ kind: 'error', at: `${file}#9100003:1`, code: 'WITHDRAWN' }]);
    });

    it('notes under a table, in rows of one cell: skipped and counted, not rejected', async () => {
      const html = '<table><tr><td>Month</td><td>Phones</td><td>Laptops</td></tr><tr><td>January</td><td>13</td><td>13</td></tr><tr><td>Figures are for cases closed by 15 December.</td></tr></table>';
      const v = await runInProcess(['validate', '-i', write('notes-row.json', answer(html)), '-f', 'json']);
      expect(v.code, v.stderr).toBe(0);
      expect((JSON.parse(v.stdout) as { inputs: Row[] }).inputs[0]).toMatchObject({ rows_read: 2, rows_accepted: 1, rows_skipped: 1, skipped_notes: 1, warnings: 0 });
    });

    it('a question not answered yet: UNANSWERED', async () => {
      const file = write('unanswered.json', answer('', { dateAnswered: null }));
      expect((await runInProcess(['records', '-i', file])).code).toBe(2);
      expect(await said(['records', '-i', file])).toEqual([{ kind: 'error', at: `${file}#9100003:1`, code: 'UNANSWERED' }]);
    });

    it('a holding answer in words, not flagged: still a holding answer', async () => {
      const file = write('holding-words.json', answer('<p>I will write to the hon. Member as soon as possible.</p>'));
      expect((await runInProcess(['records', '-i', file])).code).toBe(2);
      expect(await said(['records', '-i', file])).toEqual([{ kind: 'error', at: `${file}#9100003:1`, code: 'HOLDING_ANSWER' }]);
    });

    it('a list mixing a full answer and a preview: the full one reads, the preview is reported', async () => {
      const list = { totalResults: 2, results: [fixtureItem('mod-devices-2023.json'), (JSON.parse(JSON.stringify(fixtureItem('edge/list-preview.json'))) as { results: unknown[] }).results[0]] };
      const file = write('mixed.json', JSON.stringify(list, null, 2));
      const r = await records(['-i', file, '--lenient']);
      expect(r.code).toBe(0);
      expect(r.rows).toHaveLength(48);
      expect((r.doc.rejects as Row[]).map((x) => x.code)).toEqual(['TRUNCATED_PREVIEW']);
    });
  });
});

describe('the year of month labels without one', () => {
  const months = '<table><tr><td>Month</td><td>Phones</td></tr><tr><td>January</td><td>13</td></tr><tr><td>February</td><td>6</td></tr></table>';

  it('from the question text ("in each month of 2024")', async () => {
    const r = await records(['-i', write('q-year.json', answer(months))]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.rows.map((x) => x.start)).toEqual(['2024-01-01', '2024-02-01']);
  });

  it('from the answer date, when the question names no year and the months are before it', async () => {
    const r = await records(['-i', write('a-year.json', answer(months, { questionText: 'how many phones were lost in each month of this year.', dateAnswered: '2025-03-10T00:00:00' }))]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.rows.map((x) => x.start)).toEqual(['2025-01-01', '2025-02-01']);
  });

  it('ambiguous: every row rejected with a reason naming --year; --year reads them', async () => {
    const file = write('no-year.json', answer(months, { questionText: 'how many phones were lost in (a) 2023 and (b) 2024.' }));
    const r = await runInProcess(['records', '-i', file]);
    expect(r.code).toBe(2);
    expect(await said(['records', '-i', file])).toEqual([
      { kind: 'error', at: `${file}#9100003/table1:2:1`, code: 'REJECTED_ROW' },
      { kind: 'error', at: `${file}#9100003/table1:3:1`, code: 'REJECTED_ROW' },
    ]);
    // The reason names the way out: the words are the contract.
    expect(r.stderr).toMatch(/the question names several years \(2023, 2024\): use --year/i);
    const withYear = await records(['-i', file, '--year', '2023']);
    expect(withYear.code, withYear.stderr).toBe(0);
    expect(withYear.rows.map((x) => x.start)).toEqual(['2023-01-01', '2023-02-01']);
  });
});

describe('more shapes of answers and responses', () => {
  it('the answer\'s HTML on its own (.html): --department and --year stand in for the question', async () => {
    const file = write('answer.html', '<P>The figures are:</P><TABLE><TR><TD>Month</TD><TD>Mobile<BR>phones</TD></TR><TR><TD>January</TD><TD>13</TD></TR></TABLE>');
    const r = await records(['-i', file, '--department', 'Ministry of Defence', '--year', '2024']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.rows).toEqual([expect.objectContaining({ department: 'MOD', category: 'phone', start: '2024-01-01', count: 13, file: `${file}#table1`, line: 2, column: 2 })]);
    const noYear = await runInProcess(['records', '-i', file]);
    expect(noYear.code).toBe(2);
    expect((await said(['records', '-i', file])).map((d) => [d.at, d.code])).toEqual([[`${file}#table1:2:1`, 'REJECTED_ROW']]);
    expect(noYear.stderr).toMatch(/no year in the question, and no answer date: use --year/);
  });

  it('answer HTML on standard input is recognised by its first character', async () => {
    const { code, stdout: out } = await runInProcess(['records', '-i', '-', '-f', 'csv', '-q', '--department', 'MoD'], {
      env: { NO_COLOR: undefined },
      input: '<table><tr><td>Month</td><td>Laptops</td></tr><tr><td>May 2024</td><td>9</td></tr></table>',
    });
    expect(code).toBe(0);
    expect(out).toMatch(/^stdin,MOD,laptop,lost-or-stolen,,,May 2024,2024-05-01,2024-05-31,month,31,false,,9,/m);
  });

  it('the same series and period in two tables of one answer: the later row is rejected', async () => {
    const t = '<table><tr><td>Month</td><td>Phones</td></tr><tr><td>January</td><td>13</td></tr></table>';
    const file = write('twice.json', answer(t + t));
    expect((await runInProcess(['records', '-i', file])).code).toBe(2);
    expect(await said(['records', '-i', file])).toEqual([{ kind: 'error', at: `${file}#9100003/table2:2:2`, code: 'DUPLICATE_ROW' }]);
  });

  it('a broken saved response: exit 2 at the line and column of the problem', async () => {
    const file = write('broken.json', '{\n  "value": {\n    "id": 1,\n    "answerText": "<table>\n  }\n}\n');
    expect((await runInProcess(['records', '-i', file])).code).toBe(2);
    expect(await said(['records', '-i', file])).toEqual([{ kind: 'error', at: expect.stringMatching(new RegExp(`^${file}:4:\\d+$`)), code: 'BAD_JSON' }]);
  });

  it('a response of the wrong shape: exit 2 with the path', async () => {
    const file = write('shape.json', '{"value": {"id": "one", "answerText": ""}}');
    const r = await runInProcess(['records', '-i', file]);
    expect(r.code).toBe(2);
    expect(await said(['records', '-i', file])).toEqual([{ kind: 'error', at: `${file}:1`, code: 'BAD_PQ_SHAPE' }]);
    expect(r.stderr).toMatch(/at \$\.value\.id: /);
  });

  it('a records document is still read as records (the API shape is looked for first, not assumed)', async () => {
    const r = await records(['-i', write('plain.json', JSON.stringify([{ period: '2024-01', category: 'phone', count: 3, department: 'MOD' }]))]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.rows).toHaveLength(1);
  });

  it('the department is the answering body, not --department', async () => {
    const r = await records(['-i', 'fixtures/pq/mod-devices-2023.json', '--department', 'Home Office']);
    expect(r.code).toBe(0);
    // --department also filters: nothing is the Home Office's, so nothing is shown.
    expect(r.rows).toEqual([]);
    const all = await records(['-i', 'fixtures/pq/mod-devices-2023.json']);
    expect(new Set(all.rows.map((x) => x.department))).toEqual(new Set(['MOD']));
  });
});
