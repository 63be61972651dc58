// Inputs written to break the tool (issue "nothing lost, nothing injected, nothing unbounded"):
// numbers past what JSON can hold exactly, labels that only look like periods, files and streams
// that fail underneath. Each is a clear positioned message and exit 2 (or a warning), never an
// internal error, a stack trace or a number quietly changed.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, statSync, symlinkSync } from 'node:fs';
import { spawnCli, runShell } from './helpers/spawn.js';
import { tempDir } from './helpers/files.js';
import { expectNoStack } from './helpers/output.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('numbers and labels that are not what they look like', () => {
  it('"count": 1e400 is a rejected row saying the number is too large, not an empty count', () => {
    const r = spawnCli(['records', '-i', '-', '--department', 'MOD'], { input: '[{"period":"2024-01","category":"phone","count":1e400}]' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^assetloss: <stdin>:1: \$\[0\]\.count: number too large to read exactly/m);
    expect(r.stderr).not.toMatch(/empty/);
  });

  it('a JSON count above 2^53 is rejected (it would be rounded), not read as another number', () => {
    const r = spawnCli(['records', '-i', '-', '--department', 'MOD'], { input: '[{"period":"2024-01","category":"phone","count":9007199254740993}]' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/count: number too large to read exactly/);
  });

  it('"January 20245" is read as January 2024 with footnote 5 only with a warning; --strict refuses it', () => {
    const file = tmp.write('glued.csv', '# department: MOD\nMonth,Phones\nJanuary 20245,3\n');
    const r = spawnCli(['records', '-i', file, '-f', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*glued\.csv:3:1: "January 20245" read as January 2024 with footnote 5 \(a digit glued to the year\); if it is a typing slip, correct the label/);
    const strict = spawnCli(['records', '-i', file, '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe('');
  });

  it('the same in a long file\'s period column', () => {
    const r = spawnCli(['records', '-i', '-', '--department', 'MOD', '-f', 'csv'], { input: 'period,category,count\nJanuary 20245,phone,3\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/<stdin>:2:1: "January 20245" read as January 2024 with footnote 5/);
  });

  it('a 70 KB label with a run of spaces is rejected at once', () => {
    const started = Date.now();
    const r = spawnCli(['records', '-i', '-', '--department', 'MOD'], { input: `Month,Phones\nJanuary${' '.repeat(70_000)}x,3\n` });
    expect(r.code).toBe(2);
    expectNoStack(r.stderr);
    expect(r.stderr).toMatch(/^assetloss: <stdin>:2:1: (cannot read "January x" as a period|.*too long to read \(at most 200\))/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('deeply nested answer HTML', () => {
  const table = '<table><tr><td>Month</td><td>Phones</td></tr><tr><td>2024-01</td><td>3</td></tr></table>';

  it('400 levels of <div> around the table still read', () => {
    const file = tmp.write('deep400.html', `${'<div>'.repeat(400)}${table}`);
    const r = spawnCli(['records', '-i', file, '--department', 'MOD', '-f', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/,2024-01,2024-01-01,2024-01-31,month,31,.*,3,3,3,exact,/);
  });

  it.each([6_000, 50_000])('%i unclosed <div> are refused at once with the limit, not a stack overflow', (n) => {
    const started = Date.now();
    const file = tmp.write(`deep${n}.html`, `${'<div>'.repeat(n)}${table}`);
    const r = spawnCli(['records', '-i', file, '--department', 'MOD']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectNoStack(r.stderr);
    expect(r.stderr).toBe(`assetloss: ${file}:1: the answer's HTML nests elements more than 500 deep (tags never closed?); an answer nests a few (expected at most 500 levels)\n`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('in a saved answer, the message names the question', () => {
    const answerText = `${'<div>'.repeat(6_000)}${table}`;
    const file = tmp.write('deep.json', JSON.stringify({ value: { id: 5, uin: '1', dateTabled: '2024-01-01T00:00:00', answerText, answeringBodyName: 'Ministry of Defence' } }));
    const r = spawnCli(['records', '-i', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^assetloss: .*deep\.json#5:1: question 5 \(UIN 1\): the answer's HTML nests elements more than 500 deep/);
  });
});

describe('files that cannot be read or written', () => {
  const loop = tmp.write('placeholder', '');
  const selfLink = `${tmp.dir}/loop`;
  symlinkSync(selfLink, selfLink);

  it.each([
    ['a symbolic link to itself', selfLink, /too many symbolic links .*\(ELOOP\)/],
    ['a path through a file', `${loop}/x.csv`, /a part of the path is not a directory \(ENOTDIR\)/],
    ['a name too long', `${tmp.dir}/${'a'.repeat(300)}.csv`, /the name is too long \(ENAMETOOLONG\)/],
    ...(existsSync('/proc/self/mem') ? [['a device that fails to read', '/proc/self/mem', /input\/output error .*\(EIO\)/] as const] : []),
  ])('-i %s: one positioned line, exit 2, no internal error', (_, file, message) => {
    for (const args of [['records', '-i', file], ['check', file]]) {
      const r = spawnCli(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error/);
      expectNoStack(r.stderr);
    }
  });

  it.each(existsSync('/dev/full') ? ['records', 'check fixtures/claims/express-2025-03.yaml'] : [])('%s > /dev/full: exit 2 with one clean line, never 1 (a failed claim) or a stack trace', (command) => {
    const r = runShell(`$ASSETLOSS ${command} -q > /dev/full`);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('assetloss: cannot write to standard output: no space left on the device (ENOSPC)\n');
  });

  it.each(existsSync('/dev/full') ? ['records', 'summary'] : [])('%s -o /dev/full writes to the device (never renames a file over it) and says ENOSPC', (command) => {
    const r = spawnCli([command, '-q', '-o', '/dev/full']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('assetloss: /dev/full: cannot write the output: no space left on the device (ENOSPC)\n');
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('a closed pipe stays quiet (exit 0)', () => {
    const r = runShell('$ASSETLOSS records -q | head -c 10 > /dev/null; echo "exit ${PIPESTATUS[0]}"');
    expect(r.stdout).toBe('exit 0\n');
    expect(r.stderr).toBe('');
  });
});

describe('claims files that are not what a claims file is', () => {
  it('a YAML alias bomb is a positioned error, not an internal one', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 7; i++) {
      const [name, prev] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const file = tmp.write('bomb.yaml', `${levels.join('\n')}\nclaims: [*g]\n`);
    const r = spawnCli(['check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`assetloss: ${file}:2:8: not valid YAML: aliases expand too far (each repeats aliases of its own: a YAML alias bomb?); a hand-written file needs no more than a few plain aliases\n`);
  });

  it('an alias with no anchor is positioned at the alias', () => {
    const file = tmp.write('unresolved.yaml', 'claims:\n  - says: x\n    total: *nope\n');
    const r = spawnCli(['check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`assetloss: ${file}:3:12: not valid YAML: alias *nope has no anchor &nope before it (expected an anchor &nope set before the alias, got "*nope")\n`);
  });

  it('check /dev/urandom stops at the size limit at once', () => {
    const started = Date.now();
    const r = spawnCli(['check', '/dev/urandom']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('assetloss: /dev/urandom: the claims file is larger than 1048576 bytes (a claims file is a few kilobytes; is this the right file?) (expected at most 1048576 bytes)\n');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a 2.5 MB claims file (one flow mapping) is refused by its size, before it is parsed', () => {
    const file = tmp.write('flow.yaml', `{${Array.from({ length: 200_000 }, (_, i) => `k${i}: 1`).join(', ')}}\n`);
    const r = spawnCli(['check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the claims file is larger than 1048576 bytes/);
  });
});

describe('long cells are read in linear time', () => {
  it('70 KB of spaces in a metadata line, a category, a status and a count take no time to read or reject', () => {
    const run = ' '.repeat(70_000);
    const file = tmp.write('long-cells.csv', [
      `# note${run}x`,
      '# department: MOD',
      'period,category,status,count',
      `2024-01,"phone${run}x",lost,1`,
      `2024-02,phone,"lost${run}x (note",1`,
      `2024-03,phone,lost,"1${run}x"`,
      `2024-04,"a${run}-${run}b",lost,1`,
    ].join('\n'));
    const started = Date.now();
    const r = spawnCli(['validate', '-i', file, '-f', 'json']);
    expectNoStack(r.stderr);
    expect(JSON.parse(r.stdout).inputs[0]).toMatchObject({ rows_read: 4 });
    // Each of these regexes took seconds on 70 KB; linear code takes milliseconds.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
