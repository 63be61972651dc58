// `assetloss check` end to end, in process through the CLI's runCli (src, so no stale dist):
// the Express story's claims, which baseline makes "almost tenfold" true, golden outputs of
// every format, JUnit as well-formed XML, GitHub annotations that round-trip through the
// workflow-command escaping, TAP 14, bad claims files (exit 2 with the claims file's line),
// --strict, every expectation, and the JSON Schemas against the zod schemas.
// Fixtures: test/check/. Goldens: test/golden/check-* (`npx vitest run -u test/check.test.ts` rewrites them).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

import { ROOT } from './helpers/files.js';
import { runInProcess } from './helpers/run.js';
import { spawnCli } from './helpers/spawn.js';
import { diagnostics, escapeRe } from './helpers/output.js';
import type { ClaimResult } from '../src/engine/claims.js';
import { RECORD_COLUMNS } from '../src/model/record-row.js';
import { escapeData, escapeProperty, renderCheck } from '../src/format/check.js';
import { ClaimsFileSchema } from '../src/model/claims.js';
import { type JsonSchema, validate } from './check/json-schema.js';
import { findAll, parseXml, XmlError } from './check/xml.js';

const FIX = 'test/check';
const EXPRESS = 'fixtures/claims/express-2025-03.yaml';

/** Runs `assetloss …` in process, NO_COLOR=1 unless `env` is given: then that environment alone. */
const cli = (args: string[], env?: Record<string, string>) => runInProcess(args, { env: env && { NO_COLOR: undefined, ...env } });

interface CheckJson {
  file: string;
  claims: { id: string; status: string; line: number; message: string; says: string; actual: { value: number | null; min: number | null; max: number | null; estimate: boolean }; expected: unknown; caveats: { code: string; severity: string; message: string }[] }[];
  summary: { pass: number; fail: number; undetermined: number };
}

async function checkJson(...args: string[]): Promise<{ code: number; doc: CheckJson; stderr: string }> {
  const r = await cli(['check', ...args, '-f', 'json', '-q']);
  return { code: r.code, doc: JSON.parse(r.stdout) as CheckJson, stderr: r.stderr };
}

/** The line of `- id: <id>` in a claims file, found by reading the file, not by asking the tool. */
function claimLine(file: string, id: string): number {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const n = lines.findIndex((l) => new RegExp(`^\\s*-\\s+id:\\s*${id}\\s*$`).test(l));
  if (n < 0) throw new Error(`no claim ${id} in ${file}`);
  return n + 1;
}


// The Express figures, from fixtures/builtin (phones): 1 Jan - 27 Feb 2025 is 124 + 145 = 269 over
// 58 days; 5 Jul - 31 Dec 2024 is 14 + 6 + 19 + 37 + 4 + 7 = 87 over 180 days; 2023 and 2024 are
// 101 + 161 = 262 over 731 days.
const RATE_SINCE_ELECTION = (269 / 58) / (87 / 180);
const RATE_VS_2023_2024 = (269 / 58) / (262 / 731);

describe('the Express story (fixtures/claims/express-2025-03.yaml) on the built-in dataset', () => {
  it('passes: exit 0, 11 claims, all pass, also under --strict', async () => {
    const { code, doc } = await checkJson(EXPRESS);
    expect(code).toBe(0);
    expect(doc.summary).toEqual({ pass: 11, fail: 0, undetermined: 0 });
    expect(doc.claims.map((c) => c.status)).toEqual(Array(11).fill('pass'));
    expect((await cli(['check', EXPRESS, '--strict', '-q'])).code).toBe(0);
  });

  it('says which figure each claim found', async () => {
    const { doc } = await checkJson(EXPRESS);
    const value = (id: string) => doc.claims.find((c) => c.id === id)!.actual.value;
    expect(value('phones-jan-feb-2025')).toBe(269);
    expect(value('phones-2023-2024')).toBe(262);
    expect(value('phones-february-2025')).toBe(145);
    expect(value('phones-october-2024')).toBe(37);
    expect([value('computers-since-5-july-2024'), value('usbs-since-5-july-2024'), value('phones-since-5-july-2024'), value('laptops-since-5-july-2024')]).toEqual([11, 13, 356, 62]);
    expect(value('phone-rate-almost-tenfold-since-election')).toBeCloseTo(RATE_SINCE_ELECTION, 9);
  });

  it('announces the built-in dataset on stderr, and each claim line is the line of its id', async () => {
    const r = await cli(['check', EXPRESS]);
    expect(r.stderr).toMatch(/built-in dataset/);
    const { doc } = await checkJson(EXPRESS);
    for (const c of doc.claims) expect(c.line, c.id).toBe(claimLine(EXPRESS, c.id));
  });

  it('as CI runs it: the built CLI in a child process exits 0', () => {
    const r = spawnCli(['check', EXPRESS, '-q']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^11 passed, 0 failed, 0 undetermined$/m);
  });
});

describe('"almost tenfold": which baseline makes it true', () => {
  it('the rate since the election (5 July - 31 December 2024) is 9.6: between 9 and 10 passes, exit 0', async () => {
    const { code, doc } = await checkJson(`${FIX}/tenfold-since-election.yaml`);
    expect(code).toBe(0);
    const c = doc.claims[0]!;
    expect(c.status).toBe('pass');
    expect(c.actual.value).toBeCloseTo(RATE_SINCE_ELECTION, 9);
    expect(RATE_SINCE_ELECTION).toBeGreaterThan(9.5);
    expect(RATE_SINCE_ELECTION).toBeLessThan(10);
  });

  it('the rate of 2023 and 2024 together is 12.9: the same claim fails, exit 1, actual and expected printed', async () => {
    const file = `${FIX}/tenfold-vs-2023-2024.yaml`;
    const { code, doc } = await checkJson(file);
    expect(code).toBe(1);
    const c = doc.claims[0]!;
    expect(c.status).toBe('fail');
    expect(c.actual.value).toBeCloseTo(RATE_VS_2023_2024, 9);
    expect(c.expected).toEqual({ op: 'between', low: 9, high: 10 });
    const text = await cli(['check', file, '-q']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('✗ phone-rate-almost-tenfold-vs-2023-2024: actual 12.9402, expected between 9 and 10');
    expect(text.stdout).toContain('0 passed, 1 failed, 0 undetermined');
  });
});

const MIXED = `${FIX}/mixed.yaml`;
const MIXED_DOC = parseYaml(readFileSync(join(ROOT, MIXED), 'utf8')) as { claims: { id: string; says: string }[] };
const SPECIAL = MIXED_DOC.claims.find((c) => c.id === 'phones-february-2024')!;

describe('a claim that passes, one that fails and one that a "<5" cell leaves undetermined', () => {
  it('exit codes: 1 with the undetermined; still 1 with --allow-undetermined while one fails', async () => {
    expect((await cli(['check', MIXED])).code).toBe(1);
    expect((await cli(['check', MIXED, '--allow-undetermined'])).code).toBe(1);
  });

  it('exit codes without the failure: 1 for the undetermined, 0 with --allow-undetermined', async () => {
    const file = `${FIX}/pass-and-undetermined.yaml`;
    expect((await cli(['check', file])).code).toBe(1);
    expect((await cli(['check', file, '--allow-undetermined'])).code).toBe(0);
    for (const f of ['json', 'junit', 'tap', 'github']) expect((await cli(['check', file, '--allow-undetermined', '-f', f])).code, f).toBe(0);
  });

  it('the input: of the claims file is read relative to the claims file, from any working directory', async () => {
    const { doc } = await checkJson(MIXED);
    expect(doc.summary).toEqual({ pass: 1, fail: 1, undetermined: 1 });
    const und = doc.claims.find((c) => c.status === 'undetermined')!;
    expect(und.actual).toEqual({ value: null, min: 0, max: 4, estimate: false });
    expect(und.caveats.map((c) => c.code)).toContain('SUPPRESSED');
  });

  it('-i overrides the input: of the claims file', async () => {
    const r = await cli(['check', MIXED, '-i', 'fixtures/builtin/mod-devices-2023.csv', '-f', 'json', '-q']);
    const doc = JSON.parse(r.stdout) as CheckJson;
    expect(doc.claims.every((c) => c.status === 'fail' && c.message.startsWith('no data'))).toBe(true);
  });

  const FORMATS = [['text', 'check-text.txt'], ['json', 'check-json.json'], ['junit', 'check-junit.xml'], ['tap', 'check-tap.txt'], ['github', 'check-github.txt']] as const;
  for (const [format, name] of FORMATS) {
    it(`golden: -f ${format} (test/golden/${name}), nothing on stderr, exit 1`, async () => {
      const r = await cli(['check', MIXED, '-f', format]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('');
      await expect(r.stdout).toMatchFileSnapshot(`golden/${name}`);
    });
  }

  it('text: no ANSI codes with NO_COLOR or on a pipe; colour with FORCE_COLOR', async () => {
    const plain = await cli(['check', MIXED], { NO_COLOR: '1' });
    expect(plain.stdout).not.toMatch(/\u001b\[/);
    expect((await cli(['check', MIXED], {})).stdout).not.toMatch(/\u001b\[/);
    const coloured = await cli(['check', MIXED], { FORCE_COLOR: '1' });
    expect(coloured.stdout).toMatch(/\u001b\[\d+m✓/);
    expect(coloured.stdout.replace(/\u001b\[\d+m/g, '')).toBe(plain.stdout);
    expect((await cli(['check', MIXED, '--no-color'], { FORCE_COLOR: '1' })).stdout).toBe(plain.stdout);
  });

  it('json: {claims: [{id, status, actual, expected, caveats}], summary}', async () => {
    const { doc } = await checkJson(MIXED);
    expect(doc.claims.map((c) => [c.id, c.status])).toEqual([['phones-q1-2024', 'pass'], ['phones-february-2024', 'fail'], ['laptops-january-2024', 'undetermined']]);
    for (const c of doc.claims) expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'status', 'actual', 'expected', 'caveats']));
    expect(doc.claims[1]!.says).toBe(SPECIAL.says);
    expect(doc.claims[1]!.actual.value).toBe(7);
    expect(doc.claims[1]!.expected).toEqual({ op: 'equals', value: 8 });
  });
});

describe('junit is well-formed XML', () => {
  it('the strict checker in test/check/xml.ts rejects what XML rejects', () => {
    for (const bad of ['<a>', '<a></b>', '<a b="1" b="2"/>', '<a b="<"/>', '<a>&</a>', '<a>&nbsp;</a>', '<a>&#0;</a>', '<a/><b/>', '<a>]]></a>', '<a b=1/>', 'text', '<a>\u0001</a>', '<a>\ud800</a>', '<!--a--b--><a/>', '<a/><?xml version="1.0"?>']) {
      expect(() => parseXml(bad), bad).toThrow(XmlError);
    }
    expect(parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a x="1&#10;2&amp;" y=\'q\'>t&lt;<b/><![CDATA[<&>]]></a>\n')).toMatchObject({ name: 'a', attrs: { x: '1\n2&', y: 'q' }, text: 't<<&>' });
  });

  it('one testcase per claim; failures for the fail and the undetermined; says escaped and intact', async () => {
    const r = await cli(['check', MIXED, '-f', 'junit']);
    const root = parseXml(r.stdout);
    expect(root.name).toBe('testsuites');
    const cases = findAll(root, 'testcase');
    expect(cases.map((c) => c.attrs.name)).toEqual(MIXED_DOC.claims.map((c) => c.id));
    expect(cases.map((c) => Number(c.attrs.line))).toEqual(MIXED_DOC.claims.map((c) => claimLine(MIXED, c.id)));
    expect(findAll(root, 'failure')).toHaveLength(2);
    expect(findAll(root, 'testsuite')[0]!.attrs).toMatchObject({ tests: '3', failures: '2', skipped: '0' });
    // The special characters of `says` (<, &, both quotes) are escaped in the XML …
    expect(SPECIAL.says).toMatch(/[<&"']/);
    expect(r.stdout).toContain('Phones &amp; laptops: &quot;8 &lt;b&gt;phones&lt;/b&gt;&quot; in February');
    expect(r.stdout).not.toContain('<b>');
    // … and come back intact from the parser.
    const failure = findAll(cases[1]!, 'failure')[0]!;
    expect(failure.text).toContain(`says: ${SPECIAL.says}`);
    expect(failure.attrs.message).toBe('actual 7, expected = 8');
  });

  it('with --allow-undetermined the undetermined claim is skipped, not failed', async () => {
    const root = parseXml((await cli(['check', MIXED, '-f', 'junit', '--allow-undetermined'])).stdout);
    expect(findAll(root, 'failure')).toHaveLength(1);
    expect(findAll(root, 'skipped')).toHaveLength(1);
    expect(findAll(root, 'testsuite')[0]!.attrs).toMatchObject({ failures: '1', skipped: '1' });
  });

  it('property: any says, source and file name make well-formed XML that decodes to the same text (less what XML cannot hold)', () => {
    // What XML 1.0 cannot carry at all is dropped; everything else must survive.
    const xmlable = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('<', '>', '&', '"', "'", '\n', '\r', '\t', ']]>', '\u0000', '\ud800', '\udfff', '😀', '%', ',', ':'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 30 });
    fc.assert(fc.property(text, text, text, fc.constantFrom('pass', 'fail', 'undetermined'), fc.boolean(), (says, source, file, status, allow) => {
      const r = fakeResult({ says, source, status: status as ClaimResult['status'] });
      const out = [...renderCheck('junit', { file, results: [r], summary: { pass: 0, fail: 0, undetermined: 0 }, color: false }, allow)].join('');
      const root = parseXml(out);
      const tc = findAll(root, 'testcase')[0]!;
      // Attributes: raw CR, LF and tab would be normalised to spaces, so they must be references.
      expect(tc.attrs.file).toBe(xmlable(file));
      const sysout = findAll(tc, 'system-out')[0]!.text;
      // Character data: CR LF and lone CR become LF in any parser.
      expect(sysout).toContain(`says: ${xmlable(says)}`.replace(/\r\n?/g, '\n'));
    }), { numRuns: 300 });
  });
});

function fakeResult(over: Partial<ClaimResult>): ClaimResult {
  return {
    id: 'a-claim', says: 'x', line: 3, status: 'fail', reason: 'MISMATCH',
    actual: { value: 7, min: 7, max: 7, estimate: false }, expected: { op: 'equals', value: 8 }, caveats: [], ...over,
  };
}

/** Splits `::cmd k=v,k=v::message` on its unescaped separators and un-escapes each part. */
function parseAnnotation(line: string): { command: string; props: Record<string, string>; message: string } {
  const m = /^::([a-z]+) ([^:]*)::(.*)$/s.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const unescape = (s: string) => s.replace(/%(25|0D|0A|3A|2C)/g, (_, c: string) => ({ 25: '%', '0D': '\r', '0A': '\n', '3A': ':', '2C': ',' })[c]!);
  const props: Record<string, string> = {};
  for (const part of m[2]!.split(',')) {
    const eq = part.indexOf('=');
    props[part.slice(0, eq)] = unescape(part.slice(eq + 1));
  }
  return { command: m[1]!, props, message: unescape(m[3]!) };
}

describe('github annotations round-trip through the workflow-command escaping', () => {
  let dir: string;
  let claimsFile: string;
  const doc = parseYaml(readFileSync(join(ROOT, FIX, 'escaping.yaml'), 'utf8')) as { claims: { id: string; says: string; source?: string }[] };
  beforeAll(() => {
    // A folder whose name has a comma and a colon: the file= property must carry both.
    dir = join(mkdtempSync(join(tmpdir(), 'assetloss-check-')), 'claims, v2: draft');
    mkdirSync(dir);
    copyFileSync(join(ROOT, FIX, 'escaping.yaml'), join(dir, 'escaping.yaml'));
    copyFileSync(join(ROOT, FIX, 'escaping-answer.csv'), join(dir, 'escaping-answer.csv'));
    claimsFile = join(dir, 'escaping.yaml');
  });
  afterAll(() => rmSync(dirname(dir), { recursive: true, force: true }));

  it('the fixture has what it should: commas, colons, "::", % and line breaks (LF, and CR LF)', () => {
    const [block, crlf] = doc.claims;
    expect(block!.says).toMatch(/,.*:.*%.*\n::/s);
    expect(crlf!.says).toContain('\r\n');
    expect(claimsFile).toMatch(/,.*:/);
  });

  it('one ::error line per failing claim, each parsed back to the original file, line, title and message', async () => {
    const r = await cli(['check', claimsFile, '-f', 'github', '-q']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(lines).toHaveLength(doc.claims.length);
    const text = readFileSync(claimsFile, 'utf8').split('\n');
    for (const [n, line] of lines.entries()) {
      const claim = doc.claims[n]!;
      expect(line).not.toMatch(/\r/);
      const a = parseAnnotation(line);
      expect(a.command).toBe('error');
      expect(Object.keys(a.props)).toEqual(['file', 'line', 'title']);
      expect(a.props.file).toBe(claimsFile);
      expect(text[Number(a.props.line) - 1]).toMatch(new RegExp(`- id: ${claim.id}$`));
      expect(a.props.title).toBe(`claim ${claim.id} failed`);
      const says = `says: "${claim.says}"${claim.source ? ` (${claim.source})` : ''}`;
      expect(a.message.split('\n')[0]).toMatch(/^actual \d+, expected = \d+$/);
      expect(a.message).toContain(`\n${says}`);
    }
  });

  it('a department name with a comma and a colon (bad-inputs 42) arrives intact in the message', async () => {
    const r = await cli(['check', claimsFile, '-f', 'github', '-q']);
    const last = parseAnnotation(r.stdout.split('\n').filter((l) => l.startsWith('::'))[2]!);
    expect(last.message).toContain('caveat: 2024-Q1: Border Force, Home Office: UKBF phone lost-or-stolen: no figure covers 1 Mar 2024–31 Mar 2024');
  });

  it('undetermined claims are errors, or warnings with --allow-undetermined; passes are not annotated', async () => {
    const errors = (await cli(['check', MIXED, '-f', 'github'])).stdout;
    expect(errors.match(/^::error /gm)).toHaveLength(2);
    const allowed = (await cli(['check', MIXED, '-f', 'github', '--allow-undetermined'])).stdout;
    expect(allowed.match(/^::error /gm)).toHaveLength(1);
    expect(allowed).toMatch(/^::warning file=test\/check\/mixed\.yaml,line=18,title=claim laptops-january-2024 undetermined::/m);
  });

  it('property: escapeProperty and escapeData invert, and escaped properties hold no separators', () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('%', ',', ':', '\r', '\n', '%25', '%2C', '::', '='), fc.string({ unit: 'grapheme', maxLength: 1 })), maxLength: 40 });
    fc.assert(fc.property(text, text, (prop, data) => {
      const line = `::error file=${escapeProperty(prop)},title=${escapeProperty(prop)}::${escapeData(data)}`;
      expect(escapeProperty(prop)).not.toMatch(/[,:\r\n]/);
      expect(escapeData(data)).not.toMatch(/[\r\n]/);
      const a = parseAnnotation(line);
      expect(a.props).toEqual({ file: prop, title: prop });
      expect(a.message).toBe(data);
    }));
  });
});

describe('TAP version 14', () => {
  it('version line, plan, ok / not ok, a YAML diagnostic block for a failure', async () => {
    const r = await cli(['check', MIXED, '-f', 'tap']);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('TAP version 14');
    expect(lines[1]).toBe('1..3');
    expect(lines[2]).toBe('ok 1 - phones-q1-2024');
    expect(lines[3]).toBe('not ok 2 - phones-february-2024');
    expect(lines[4]).toBe('  ---');
    const end = lines.indexOf('  ...', 4);
    expect(end).toBeGreaterThan(4);
    const diag = parseYaml(lines.slice(5, end).map((l) => l.replace(/^ {2}/, '')).join('\n')) as Record<string, string>;
    expect(diag).toMatchObject({ message: 'actual 7, expected = 8', says: SPECIAL.says, at: `${MIXED}:${claimLine(MIXED, SPECIAL.id)}`, status: 'fail' });
    expect(lines[end + 1]).toBe('not ok 3 - laptops-january-2024');
    // Every test line is one of: version, plan, test point, or an indented YAML block line.
    expect(lines.filter((l) => l !== '').every((l) => /^(TAP version 14|1\.\.\d+|(not )?ok \d+ - .*|  .*)$/.test(l))).toBe(true);
  });

  it('--allow-undetermined: the undetermined claim is ok with # SKIP', async () => {
    const r = await cli(['check', MIXED, '-f', 'tap', '--allow-undetermined']);
    expect(r.stdout).toMatch(/^ok 3 - laptops-january-2024 # SKIP undetermined$/m);
  });
});

describe('bad claims files exit 2 with the claims file and line on stderr, nothing on stdout', () => {
  // [file under test/check/bad, line, words the message must have]
  const CASES: [string, number, RegExp][] = [
    ['unknown-key-top.yaml', 7, /unknown key "extra"/],
    ['unknown-key-claim.yaml', 7, /claim "a": unknown key "colour"/],
    ['unknown-key-total.yaml', 7, /claim "a": unknown key "catgory"/],
    ['unknown-key-compared-total.yaml', 6, /claim "a": unknown key "catgory"/],
    ['bad-period.yaml', 6, /claim "a": bad period: "2024-13": month 13 does not exist/],
    ['bad-period-in-ratio.yaml', 7, /claim "a": bad period: "2024-03\.\.2024-01" ends before it starts/],
    ['missing-subject.yaml', 3, /claim "a": missing subject: give total, ratio or rate-ratio/],
    ['missing-expectation.yaml', 3, /claim "a": missing expectation/],
    ['two-subjects.yaml', 3, /claim "a": give one subject, not total and ratio/],
    ['two-expectations.yaml', 3, /claim "a": give one expectation, not equals and at-least/],
    ['missing-says.yaml', 3, /claim "a": missing "says"/],
    ['yaml-syntax.yaml', 5, /not valid YAML/],
    ['duplicate-key.yaml', 5, /not valid YAML: a key repeated/],
    ['empty.yaml', 1, /the claims file is empty/],
    ['comments-only.yaml', 1, /the claims file is empty/],
    ['no-claims.yaml', 2, /claims: expected at least 1 item/],
    ['duplicate-id.yaml', 7, /claim "a": duplicate id \(first at line 3\)/],
    ['tolerance-without-approx.yaml', 7, /claim "a": tolerance goes with approx/],
    ['wrong-type.yaml', 6, /claim "a": equals: expected a number \(got "lots"\)/],
    ['between-reversed.yaml', 6, /claim "a": between: the low bound is above the high bound/],
    ['bad-json.json', 1, /not valid JSON: trailing comma/],
    ['json-unknown-key.json', 3, /claim "a": unknown key "oops"/],
  ];
  for (const [name, line, words] of CASES) {
    it(`${name}: line ${line}`, async () => {
      const file = `${FIX}/bad/${name}`;
      const r = await cli(['check', file]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(diagnostics((await cli(['check', file, '--debug'])).stderr)).toEqual([
        { kind: 'error', at: expect.stringMatching(new RegExp(`^${escapeRe(file)}:${line}(:\\d+)?$`)), code: 'BAD_CLAIMS' },
      ]);
      // One code for every problem of a claims file: the words say which it is (what was expected).
      expect(r.stderr).toMatch(words);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  }

  it('a bad claims file writes nothing on stdout in text and json; the CI formats report the error', async () => {
    for (const f of ['text', 'json']) {
      const r = await cli(['check', `${FIX}/bad/bad-period.yaml`, '-f', f]);
      expect([r.code, r.stdout], f).toEqual([2, '']);
    }
    for (const [f, start] of [['junit', '<?xml'], ['tap', 'TAP version 14\nBail out! '], ['github', '::error file=']] as const) {
      const r = await cli(['check', `${FIX}/bad/bad-period.yaml`, '-f', f]);
      expect(r.code, f).toBe(2);
      expect(r.stdout.startsWith(start), f).toBe(true);
      expect(r.stdout, f).toContain('bad-period.yaml');
    }
  });

  it('a claims file that does not exist', async () => {
    const r = await cli(['check', `${FIX}/no-such-claims.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(diagnostics((await cli(['check', `${FIX}/no-such-claims.yaml`, '--debug'])).stderr)).toEqual([{ kind: 'error', at: `${FIX}/no-such-claims.yaml`, code: 'CANNOT_OPEN' }]);
  });

  it('bad data named by input: exits 2 naming that CSV, its line and column', async () => {
    const r = await cli(['check', `${FIX}/bad-data.yaml`, '--debug']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: 'test/check/bad-count.csv:7:15', code: 'REJECTED_ROW' }]);
  });

  it('an input: that does not exist exits 2 naming it relative to the claims file', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'assetloss-check-'));
    try {
      writeFileSync(join(tmp, 'c.yaml'), 'input: data/nothere.csv\nclaims:\n  - id: a\n    says: x\n    total: { period: 2024-01 }\n    equals: 1\n');
      const r = await cli(['check', join(tmp, 'c.yaml'), '--debug']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: join(tmp, 'data/nothere.csv'), code: 'CANNOT_OPEN' }]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('--strict, --partial, filters and every kind of expectation', () => {
  it('a total for 2025-02 passes with a GAP caveat (the answer stops on the 27th) and fails under --strict', async () => {
    const file = `${FIX}/strict-gap.yaml`;
    const plain = await checkJson(file);
    expect(plain.code).toBe(0);
    const c = plain.doc.claims[0]!;
    expect(c.status).toBe('pass');
    expect(c.caveats.find((k) => k.code === 'GAP')).toMatchObject({ severity: 'warning' });
    expect(c.caveats.find((k) => k.code === 'GAP')!.message).toContain('28 Feb 2025');
    const strict = await cli(['check', file, '--strict', '-q']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('✗ phones-february-2025: actual 145 meets = 145, but caveats fail it under --strict');
    expect(strict.stdout).toContain('caveat: 2025-02: MOD phone lost-or-stolen: no figure covers 28 Feb 2025');
  });

  it('every expectation: each -pass claim passes and each -fail claim fails, with the figures', async () => {
    const { code, doc } = await checkJson(`${FIX}/expectations.yaml`);
    expect(code).toBe(1);
    for (const c of doc.claims) {
      if (c.id.endsWith('-pass')) expect(c.status, c.id).toBe('pass');
      if (c.id.endsWith('-fail')) expect(c.status, c.id).toBe('fail');
    }
    const by = (id: string) => doc.claims.find((c) => c.id === id)!;
    // approx's default tolerance is 5%: 269 is within 280 ± 14, not within 300 ± 15; ± 15% takes it.
    expect(by('approx-pass').expected).toEqual({ op: 'approx', value: 280, tolerance: 0.05 });
    expect(by('approx-fail').message).toBe('actual 269, expected ≈ 300 (±5%)');
    expect(by('approx-tolerance-pass').expected).toEqual({ op: 'approx', value: 300, tolerance: 0.15 });
    // greater-than and less-than are strict.
    expect(by('greater-than-number-fail').message).toBe('actual 269, expected > 269');
    expect(by('less-than-number-fail').message).toBe('actual 269, expected < 269');
    // Against another total, the other figure is reported too.
    expect(by('greater-than-total-pass').expected).toMatchObject({ op: 'greater-than', period: '2023..2024', figure: { value: 262 } });
    expect(by('less-than-total-fail').message).toBe('actual 145, expected < 37 (2024-10)');
    expect(by('ratio-pass').actual.value).toBeCloseTo(269 / 87, 9);
    expect(by('at-least-fail').message).toBe('actual 37, expected ≥ 40');
    expect(by('year-as-number')).toMatchObject({ status: 'pass', actual: { value: 161 } });
  });

  it('status: stolen has no data, which is not zero: equals 0 fails', async () => {
    const { doc } = await checkJson(`${FIX}/expectations.yaml`);
    const c = doc.claims.find((k) => k.id === 'stolen-no-data')!;
    expect(c.status).toBe('fail');
    expect(c.actual).toEqual({ value: null, min: null, max: null, estimate: false });
    expect(c.message).toBe('no data for this claim (not zero); expected = 0');
  });

  it('a record across the boundary fails the claim; --partial on the command line chooses a policy', async () => {
    const file = `${FIX}/straddle.yaml`;
    const { code, doc } = await checkJson(file);
    expect(code).toBe(1);
    expect(doc.claims[0]!.message).toMatch(/^a record crosses the period boundary: .*use --partial/);
    const prorated = await checkJson(file, '--partial', 'prorate');
    expect(prorated.code).toBe(0);
    expect(prorated.doc.claims[0]!.actual).toMatchObject({ value: null, estimate: true });
    // July (19 phones, 31 days) prorated to 20 days.
    expect(prorated.doc.claims[0]!.actual.min).toBeCloseTo(19 * 20 / 31, 9);
    expect(prorated.doc.claims[0]!.message).toBe('actual 12.2581 (estimate), expected ≥ 10');
    // A prorated figure is an estimate: a caveat that --strict fails.
    expect((await cli(['check', file, '--partial', 'prorate', '--strict', '-q'])).code).toBe(1);
  });

  it('--aliases: the claims resolve names through the same tables as the data', async () => {
    const file = `${FIX}/aliases.yaml`;
    expect((await cli(['check', file, '-q'])).code).toBe(1);
    const { code, doc } = await checkJson(file, '--aliases', `${FIX}/aliases.json`);
    expect(code).toBe(0);
    expect(doc.claims[0]!.actual.value).toBe(37);
  });

  it('the global filters narrow the data the claims are checked against', async () => {
    const { code, doc } = await checkJson(`${FIX}/strict-gap.yaml`, '--category', 'laptop');
    expect(code).toBe(1);
    expect(doc.claims[0]!.message).toMatch(/^no data for this claim/);
  });
});

describe('assetloss schema', () => {
  let claimsSchema: Record<string, unknown> & { properties: Record<string, JsonSchema>; required: string[] };
  beforeAll(async () => {
    const r = await cli(['schema', 'claims']);
    expect(r.code).toBe(0);
    claimsSchema = JSON.parse(r.stdout);
  });

  it('claims: a JSON Schema with properties.claims, required claims, no other keys allowed', () => {
    expect(claimsSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(claimsSchema.type).toBe('object');
    expect(Object.keys(claimsSchema.properties)).toEqual(['input', 'defaults', 'claims']);
    expect(claimsSchema.required).toEqual(['claims']);
    expect(claimsSchema.additionalProperties).toBe(false);
  });

  const fixtures = [EXPRESS, MIXED, `${FIX}/expectations.yaml`, `${FIX}/escaping.yaml`, `${FIX}/straddle.yaml`];
  it('every good fixture is accepted by the JSON Schema and by zod', () => {
    for (const f of fixtures) {
      const data = parseYaml(readFileSync(join(ROOT, f), 'utf8'));
      expect(validate(claimsSchema, data), f).toEqual([]);
      expect(ClaimsFileSchema.safeParse(data).success, f).toBe(true);
    }
  });

  it('the bad fixtures that are YAML: the JSON Schema and zod agree, except between\'s order (zod only)', () => {
    const zodOnly = new Set(['between-reversed.yaml']);
    // Period syntax and unique ids are the claims reader's, beyond both schemas.
    const neither = new Set(['bad-period.yaml', 'bad-period-in-ratio.yaml', 'duplicate-id.yaml']);
    for (const name of ['unknown-key-top.yaml', 'unknown-key-claim.yaml', 'unknown-key-total.yaml', 'unknown-key-compared-total.yaml', 'bad-period.yaml', 'bad-period-in-ratio.yaml', 'missing-subject.yaml', 'missing-expectation.yaml', 'two-subjects.yaml', 'two-expectations.yaml', 'missing-says.yaml', 'no-claims.yaml', 'duplicate-id.yaml', 'tolerance-without-approx.yaml', 'wrong-type.yaml', 'between-reversed.yaml', 'json-unknown-key.json']) {
      const data = parseYaml(readFileSync(join(ROOT, FIX, 'bad', name), 'utf8'));
      const bySchema = validate(claimsSchema, data).length === 0;
      const byZod = ClaimsFileSchema.safeParse(data).success;
      if (neither.has(name)) expect([bySchema, byZod], name).toEqual([true, true]);
      else if (zodOnly.has(name)) expect([bySchema, byZod], name).toEqual([true, false]);
      else expect([bySchema, byZod], name).toEqual([false, false]);
    }
  });

  it('property: on generated claims documents the JSON Schema accepts exactly what zod accepts (but between\'s order)', () => {
    // Valid claims, then none, one or two mutations, each of which may or may not break it.
    const spec = fc.record({ period: fc.constantFrom('2024-01', 2024, '2023..2024'), category: fc.constantFrom('phone', ['phone', 'laptop']), status: fc.constant('lost') }, { requiredKeys: ['period'] });
    const subject = fc.oneof(
      spec.map((t) => ({ total: t })),
      fc.tuple(spec, spec).map(([a, b]) => ({ ratio: { a, b } })),
      fc.tuple(spec, spec, fc.constantFrom(undefined, 'week')).map(([a, b, per]) => ({ 'rate-ratio': per ? { a, b, per } : { a, b } })),
    );
    const expectation = fc.oneof(
      fc.integer({ min: 0, max: 500 }).map((v) => ({ equals: v })),
      fc.integer({ min: 0, max: 500 }).map((v) => ({ 'at-most': v })),
      fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 })).map(([x, y]) => ({ between: [Math.min(x, y), Math.max(x, y)] })),
      fc.tuple(fc.double({ min: 0, max: 20, noNaN: true }), fc.option(fc.constantFrom(0.01, 0.1))).map(([v, t]) => (t === null ? { approx: v } : { approx: v, tolerance: t })),
      fc.oneof(fc.integer(), spec).map((v) => ({ 'less-than': v })),
    );
    type Doc = Record<string, unknown> & { claims: Record<string, unknown>[] };
    const without = (o: Record<string, unknown>, ...keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
    const claimMutations: ((c: Record<string, unknown>) => Record<string, unknown>)[] = [
      (c) => ({ ...c, extra: 1 }),
      (c) => ({ ...c, total: { period: '2024-02' } }),
      (c) => without(c, 'total', 'ratio', 'rate-ratio'),
      (c) => without(c, 'equals', 'at-most', 'between', 'approx', 'less-than', 'tolerance'),
      (c) => without(c, 'says'),
      (c) => without(c, 'id'),
      (c) => ({ ...c, equals: 'lots' }),
      (c) => ({ ...c, 'at-least': 3 }),
      (c) => ({ ...c, tolerance: 0.2 }),
      (c) => ({ ...c, tolerance: 0 }),
      (c) => ({ ...c, id: 'a b' }),
      (c) => ({ ...c, says: '' }),
      (c) => ({ ...c, source: 12 }),
      (c) => ({ ...c, total: { period: 2024.5 } }),
      (c) => ({ ...c, total: { period: '' } }),
      (c) => ({ ...c, total: { period: '2024', oops: 1 } }),
      (c) => ({ ...c, total: { period: '2024', department: [] } }),
      (c) => ({ ...without(c, 'equals', 'at-most', 'between', 'approx', 'less-than', 'tolerance'), between: [1] }),
      (c) => ({ ...without(c, 'equals', 'at-most', 'between', 'approx', 'less-than', 'tolerance'), between: [5, 1] }),
      (c) => ({ ...without(c, 'equals', 'at-most', 'between', 'approx', 'less-than', 'tolerance'), 'greater-than': { period: '2024', catgory: 'x' } }),
      (c) => ({ ...without(c, 'total', 'ratio', 'rate-ratio'), 'rate-ratio': { a: { period: '2024' }, b: { period: '2024' }, per: 'fortnight' } }),
      (c) => ({ ...without(c, 'total', 'ratio', 'rate-ratio'), ratio: { a: { period: '2024' } } }),
    ];
    const docMutations: ((d: Doc) => Doc)[] = [
      (d) => ({ ...d, other: 1 }),
      (d) => ({ ...d, input: ['a.csv', 'b.csv'] }),
      (d) => ({ ...d, input: 3 }),
      (d) => ({ ...d, defaults: { category: 'phone', partial: 'exclude' } }),
      (d) => ({ ...d, defaults: { partial: 'sometimes' } }),
      (d) => ({ ...d, defaults: { period: '2024' } }),
      (d) => ({ ...d, claims: [] }),
    ];
    // Half the claims unmutated: with up to three claims a document, fewer would leave too few
    // valid documents (about 11% of 3,000 runs, near the floor below: a flaky test).
    const mutations = fc.oneof(fc.constant([]), fc.array(fc.constantFrom(...claimMutations), { minLength: 1, maxLength: 2 }));
    const claim = fc.tuple(fc.constantFrom('a', 'x.y-z_1'), fc.constantFrom('said', 'said, with: punctuation'), subject, expectation, mutations)
      .map(([id, says, sub, exp, muts]) => muts.reduce((c, m) => m(c), { id, says, ...sub, ...exp } as Record<string, unknown>));
    const doc = fc.tuple(fc.array(claim, { minLength: 1, maxLength: 3 }), fc.array(fc.constantFrom(...docMutations), { maxLength: 1 }))
      .map(([claims, muts]) => muts.reduce((d, m) => m(d), { claims } as Doc));
    let accepted = 0;
    let rejected = 0;
    fc.assert(fc.property(doc, (d) => {
      const byZod = ClaimsFileSchema.safeParse(d).success;
      const bySchema = validate(claimsSchema, d).length === 0;
      const reversed = d.claims.some((c) => Array.isArray(c.between) && c.between.length === 2 && (c.between[0] as number) > (c.between[1] as number));
      if (byZod) accepted++;
      else rejected++;
      if (reversed && bySchema && !byZod) return;
      expect(bySchema, JSON.stringify(d)).toBe(byZod);
    }), { numRuns: 3000 });
    // The generator must reach both sides, or the property says little.
    expect(accepted).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(300);
  });

  it('records: the record row\'s keys are RECORD_COLUMNS, in order, all required (no drift)', async () => {
    const r = await cli(['schema', 'records']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { properties: { records: { items: { properties: Record<string, unknown>; required: string[] } } } };
    const row = s.properties.records.items;
    const columns = RECORD_COLUMNS.map(([name]) => name);
    expect(Object.keys(row.properties)).toEqual(columns);
    expect([...row.required].sort()).toEqual([...columns].sort());
  });

  it('an unknown schema is a usage error (exit 2)', async () => {
    const r = await cli(['schema', 'nonsense']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown schema "nonsense"/);
  });
});
