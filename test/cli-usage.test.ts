// The command line as people type it: -i one file per use (never eating the periods or the claims
// file), input files as arguments, choices in any case, help for a command that does not exist.
// Parsed in process; help through the real binary (its exit status).
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/files.js';
import { spawnCli } from './helpers/spawn.js';
import { runInProcess } from './helpers/run.js';
import { parseNdjson } from './helpers/output.js';

const A2023 = 'fixtures/builtin/mod-devices-2023.csv';
const A2024 = 'fixtures/builtin/mod-devices-2024-to-15-dec.csv';

describe('-i takes one file per use', () => {
  it('compare -i FILE P1 P2: the periods stay periods', async () => {
    const r = await runInProcess(['compare', '-i', A2023, '2023-01', '2023-02', '-f', 'ndjson']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseNdjson(r.stdout).map((x) => [x.period, x.total])).toEqual([['2023-01', 24], ['2023-02', 13]]);
  });

  it('check -i FILE CLAIMS: the claims file stays the argument', async () => {
    const r = await runInProcess(['check', '-i', A2023, '-i', A2024, 'fixtures/claims/express-2025-03.yaml', '-f', 'json']);
    // The claims about 2025 have no data in these two answers: they fail, but the run is a check (exit 1), not a usage error.
    expect(r.code, r.stderr).toBe(1);
    expect((JSON.parse(r.stdout) as { claims: unknown[] }).claims.length).toBe(11);
  });

  it('repeated -i reads every file', async () => {
    const r = await runInProcess(['records', '-q', '-i', A2023, '-i', A2024, '-f', 'ndjson']);
    expect(r.code, r.stderr).toBe(0);
    expect(new Set(parseNdjson(r.stdout).map((x) => x.source_id))).toEqual(new Set(['mod-devices-2023', 'mod-devices-2024-to-15-dec']));
  });

  it('records, validate and summary take their files as arguments too', async () => {
    const r = await runInProcess(['records', '-q', A2023, A2024, '-f', 'ndjson']);
    expect(r.code, r.stderr).toBe(0);
    expect(new Set(parseNdjson(r.stdout).map((x) => x.source_id)).size).toBe(2);
    const v = await runInProcess(['validate', '-q', A2023, '-f', 'json']);
    expect((JSON.parse(v.stdout) as { inputs: unknown[] }).inputs).toHaveLength(1);
  });

  it('a file where a period should be: exit 2 with a hint to give it its own -i', async () => {
    const r = await runInProcess(['compare', '-i', A2023, A2024, '2023', '2024']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`"${A2024}" is a file, not a period: -i takes one file, so give each its own -i`);
  });

  it('a file too many after -i: exit 2 with the same hint', async () => {
    const r = await runInProcess(['check', '-i', A2023, A2024, 'fixtures/claims/express-2025-03.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/too many arguments/);
    expect(r.stderr).toMatch(/hint: -i takes one file; give each file its own -i/);
  });
});

describe('choices in any case', () => {
  it('-f CSV is -f csv; --by MONTH is --by month', async () => {
    const upper = await runInProcess(['summary', '-q', '--by', 'MONTH', '--category', 'phone', '--from', '2024-06', '--to', '2024-07', '-f', 'CSV']);
    const lower = await runInProcess(['summary', '-q', '--by', 'month', '--category', 'phone', '--from', '2024-06', '--to', '2024-07', '-f', 'csv']);
    expect(upper.code, upper.stderr).toBe(0);
    expect(upper.stdout).toBe(lower.stdout);
  });

  it('check -f JUnit', async () => {
    const r = await runInProcess(['check', '-q', 'fixtures/claims/express-2025-03.yaml', '-f', 'JUnit']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^<\?xml/);
  });

  it('an unknown format is still a usage error listing the choices', async () => {
    const r = await runInProcess(['records', '-f', 'xlsx']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are table, csv, tsv, json, ndjson, markdown/);
  });
});

describe('help', () => {
  it('assetloss help nosuch: exit 2, naming the commands', () => {
    const r = spawnCli(['help', 'nosuch']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown command 'nosuch'.*compare, summary, trend, records/);
  });

  it('assetloss help compare: the command\'s help, exit 0', () => {
    const r = spawnCli(['help', 'compare']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: assetloss compare/);
  });
});

describe('--aliases FILE', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());
  const BAD: [string, string, string][] = [
    ['not JSON', '{"departments": ', 'BAD_JSON'],
    ['not an object', '["phone"]', 'expected an object, found array'],
    ['an unknown table', '{"departmnets": {"MoD": "MOD"}}', 'unknown table "departmnets" (the tables are categories, departments, statuses, headers)'],
    ['a table that is not an object', '{"categories": "phone"}', 'at categories: expected an object of "variant": "canonical", found string'],
    ['a name that is not a string', '{"categories": {"BlackBerrys": 1}}', 'at categories.BlackBerrys: expected a string, found number'],
    ['an empty name', '{"departments": {"Ministry of Defence": ""}}', 'at departments.Ministry of Defence: the canonical name is empty'],
  ];
  it.each(BAD)('%s: exit 2, the file and what is wrong, nothing on stdout', async (_, text, says) => {
    const file = t.write(`aliases-${BAD.findIndex((b) => b[1] === text)}.json`, text);
    const r = await runInProcess(['records', '--aliases', file, '--debug']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const line = r.stderr.split('\n')[0]!;
    expect(line).toContain(`assetloss: ${file}`);
    expect(line).toContain(says);
    if (!says.includes('_')) expect(line).toMatch(/ \[BAD_ALIASES\]$/);
  });

  it('a good one is used: an extra category name reads as the category', async () => {
    const csv = t.write('answer.csv', '# period: 2024\n# department: MoD\ncategory,count\nBlackBerrys,7\n');
    const aliases = t.write('aliases.json', '{"categories": {"BlackBerrys": "phone"}}');
    const r = await runInProcess(['records', '-q', '-i', csv, '--aliases', aliases, '-f', 'ndjson']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseNdjson(r.stdout).map((x) => [x.category, x.count])).toEqual([['phone', 7]]);
  });
});
