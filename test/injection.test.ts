// Input text that tries to act on the reader's terminal or CI log: terminal control sequences
// (OSC title, clear screen, OSC 8 links, 8-bit CSI), bidirectional overrides, and line breaks that
// would start a line of their own such as `::error …` (a GitHub Actions command). Everything
// written for people (stderr, table, markdown, check text and github) shows them as \uXXXX escapes;
// machine formats keep the data exact.
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from './helpers/run.js';
import { tempDir } from './helpers/files.js';
import { diagnostics } from './helpers/output.js';

const PAYLOADS = {
  osc: '\u001b]0;pwned\u0007',
  clear: '\u001b[2J\u001b[H',
  link: '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\',
  csi8: '\u009b2J',
  bidi: '\u202egnp.exe',
  command: '\n::error file=x,line=1::injected',
};
const ALL = Object.values(PAYLOADS).join('');
/** What must never reach a terminal: ESC, BEL, C1 controls, bidi overrides. */
const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function expectInert(text: string, where: string): void {
  expect(ACTIVE.exec(text)?.[0], `${where} holds a control character`).toBeUndefined();
  for (const line of text.split('\n')) expect(line.startsWith('::'), `${where}: a line starts with "::": ${line}`).toBe(false);
}

describe('control characters in cells never reach the screen', () => {
  const file = tmp.write('answer.csv', [
    '# department: MOD',
    `Month,"Phones${ALL}",Laptops`,
    '2024-01,3,4',
    `"Jan${PAYLOADS.command}${PAYLOADS.osc}",1,2`,
  ].join('\n'));
  const long = tmp.write('long.csv', `period,category,unit,count\n2024-01,phone,"Navy${ALL}",3\n2024-02,phone,"Navy${ALL}",1\n`);

  it.each([
    ['records -f table', ['records', '-i', file, '--lenient', '-f', 'table']],
    ['records -f markdown', ['records', '-i', file, '--lenient', '-f', 'markdown']],
    ['validate -f table', ['validate', '-i', file, '-f', 'table']],
    ['summary -f table by unit', ['summary', '-i', long, '--department', 'MOD', '--columns', 'unit', '-f', 'table']],
    ['summary -f markdown by unit', ['summary', '-i', long, '--department', 'MOD', '--columns', 'unit', '-f', 'markdown']],
    ['records, rejected rows on stderr', ['records', '-i', file]],
  ])('%s', async (_, args) => {
    const r = await runInProcess(args);
    expect(r.stdout + r.stderr).toMatch(/\\u001B/);
    expectInert(r.stdout, 'stdout');
    expectInert(r.stderr, 'stderr');
  });

  it('machine formats keep the text exactly (JSON round-trips it)', async () => {
    const r = await runInProcess(['records', '-i', long, '--department', 'MOD', '-f', 'json', '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { records: { unit: string }[] }).records[0]!.unit).toBe(`Navy${ALL}`);
  });
});

describe('check: claims whose words or periods carry control characters', () => {
  const answer = tmp.write('check-answer.csv', '# department: MOD\nMonth,Phones\nJanuary 2024,12\n');
  const claims = tmp.write('claims.yaml', [
    `input: ${answer}`,
    'claims:',
    `  - id: ${JSON.stringify(`c1${PAYLOADS.osc}`)}`,
    `    says: ${JSON.stringify(`twelve${ALL}`)}`,
    `    source: ${JSON.stringify(`Hansard${PAYLOADS.clear}`)}`,
    '    total: { period: 2024-01, category: phone }',
    '    equals: 13',
    `  - says: ${JSON.stringify(`bad period${PAYLOADS.command}`)}`,
  ].join('\n'));
  const badPeriod = tmp.write('bad-period.yaml', [
    `input: ${answer}`,
    'claims:',
    `  - says: x`,
    `    total: { period: ${JSON.stringify(`2024-01${PAYLOADS.command}${PAYLOADS.osc}`)}, category: phone }`,
    '    equals: 1',
  ].join('\n'));

  it.each(['text', 'github', 'tap'])('-f %s', async (format) => {
    const ok = tmp.write(`ok-${format}.yaml`, [
      `input: ${answer}`, 'claims:',
      '  - id: c1',
      `    says: ${JSON.stringify(`twelve${ALL}`)}`,
      `    source: ${JSON.stringify(`Hansard${PAYLOADS.clear}`)}`,
      '    total: { period: 2024-01, category: phone }',
      '    equals: 13',
    ].join('\n'));
    const r = await runInProcess(['check', ok, '-f', format, '-q']);
    expect(r.code, r.stderr).toBe(1);
    if (format === 'github') {
      // Our own annotation is the one line that starts with "::".
      const lines = r.stdout.split('\n').filter((l) => l.startsWith('::'));
      expect(lines).toHaveLength(1);
      expectInert(r.stdout.split('\n').filter((l) => !l.startsWith('::error file=')).join('\n'), 'stdout');
      expect(ACTIVE.exec(lines[0]!)).toBeNull();
    } else {
      expectInert(r.stdout, 'stdout');
    }
    expectInert(r.stderr, 'stderr');
  });

  it('a bad claim or a bad period is a positioned error with the text escaped', async () => {
    for (const file of [claims, badPeriod]) {
      const r = await runInProcess(['check', file]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expectInert(r.stderr, 'stderr');
      expect(diagnostics((await runInProcess(['check', file, '--debug'])).stderr)).toEqual([
        { kind: 'error', at: expect.stringMatching(new RegExp(`^${file}:\\d+(:\\d+)?$`)), code: 'BAD_CLAIMS' },
      ]);
    }
  });
});

describe('full-width formula signs in csv and tsv', () => {
  it('a unit starting with ＝, ＋, － or ＠ gets the leading quote, and the records CSV reads back exactly', async () => {
    const units = ['＝HYPERLINK("https://evil.example")', '＋1', '－1', '＠SUM(A1)'];
    const file = tmp.write('fullwidth.csv', `period,category,unit,count\n${units.map((u, i) => `2024-0${i + 1},phone,"${u.replace(/"/g, '""')}",1`).join('\n')}\n`);
    const csv = await runInProcess(['records', '-i', file, '--department', 'MOD', '-f', 'csv', '-q']);
    expect(csv.code, csv.stderr).toBe(0);
    const unitCells = csv.stdout.trimEnd().split('\n').slice(1).map((line) => line.split(',lost-or-stolen,')[1]!.replace(/,+2024-0\d.*$/, ''));
    expect(unitCells).toEqual(['"\'＝HYPERLINK(""https://evil.example"")"', "'＋1", "'－1", "'＠SUM(A1)"]);
    const back = tmp.write('back.csv', csv.stdout);
    const json = await runInProcess(['records', '-i', back, '-f', 'json', '-q']);
    expect((JSON.parse(json.stdout) as { records: { unit: string }[] }).records.map((r) => r.unit)).toEqual(units);
  });
});
