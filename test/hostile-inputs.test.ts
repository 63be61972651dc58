// Inputs written to break the tool (issue "nothing lost, nothing injected, nothing unbounded"):
// numbers past what JSON can hold exactly, labels that only look like periods, files and streams
// that fail underneath. Each is a clear positioned message and exit 2 (or a warning), never an
// internal error, a stack trace or a number quietly changed. What went wrong is asserted by its
// code and position (--debug); the words only where they are what the case is about.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, statSync, symlinkSync } from 'node:fs';
import { spawnCli, runShell } from './helpers/spawn.js';
import { runInProcess } from './helpers/run.js';
import { tempDir } from './helpers/files.js';
import { diagnostics, expectNoStack } from './helpers/output.js';

const cli = (args: string[], input?: string) => runInProcess(args, { input });
/** The run, and its diagnostics from the same run under --debug. */
const said = async (args: string[], input?: string) => ({ ...(await cli(args, input)), said: diagnostics((await cli([...args, '--debug'], input)).stderr) });

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('numbers and labels that are not what they look like', () => {
  it('"count": 1e400 is a rejected row saying the number is too large, not an empty count', async () => {
    const r = await said(['records', '-i', '-', '--department', 'MOD'], '[{"period":"2024-01","category":"phone","count":1e400}]');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.said).toEqual([{ kind: 'error', at: '<stdin>:1', code: 'BAD_NUMBER' }]);
    expect(r.stderr).toMatch(/^assetloss: <stdin>:1: \$\[0\]\.count: number too large to read exactly/m);
    expect(r.stderr).not.toMatch(/empty/);
  });

  it('a JSON count above 2^53 is rejected (it would be rounded), not read as another number', async () => {
    const r = await said(['records', '-i', '-', '--department', 'MOD'], '[{"period":"2024-01","category":"phone","count":9007199254740993}]');
    expect(r.code).toBe(2);
    expect(r.said).toEqual([{ kind: 'error', at: '<stdin>:1', code: 'BAD_NUMBER' }]);
  });

  it('"January 20245" is read as January 2024 with footnote 5 only with a warning; --strict refuses it', async () => {
    const file = tmp.write('glued.csv', '# department: MOD\nMonth,Phones\nJanuary 20245,3\n');
    const r = await said(['records', '-i', file, '-f', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.said).toEqual([{ kind: 'warning', at: `${file}:3:1`, code: 'GLUED_FOOTNOTE' }]);
    // What it was read as is the warning's point: the words say it.
    expect(r.stderr).toMatch(/"January 20245" read as January 2024 with footnote 5/);
    const strict = await cli(['records', '-i', file, '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe('');
  });

  it('the same in a long file\'s period column', async () => {
    const r = await said(['records', '-i', '-', '--department', 'MOD', '-f', 'csv'], 'period,category,count\nJanuary 20245,phone,3\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.said).toEqual([{ kind: 'warning', at: '<stdin>:2:1', code: 'GLUED_FOOTNOTE' }]);
  });

  it('a 70 KB label with a run of spaces is rejected at once', async () => {
    const started = Date.now();
    const r = await said(['records', '-i', '-', '--department', 'MOD'], `Month,Phones\nJanuary${' '.repeat(70_000)}x,3\n`);
    expect(r.code).toBe(2);
    expectNoStack(r.stderr);
    expect(r.said).toEqual([{ kind: 'error', at: '<stdin>:2:1', code: 'REJECTED_ROW' }]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('deeply nested answer HTML', () => {
  const table = '<table><tr><td>Month</td><td>Phones</td></tr><tr><td>2024-01</td><td>3</td></tr></table>';

  it('400 levels of <div> around the table still read', async () => {
    const file = tmp.write('deep400.html', `${'<div>'.repeat(400)}${table}`);
    const r = await cli(['records', '-i', file, '--department', 'MOD', '-f', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/,2024-01,2024-01-01,2024-01-31,month,31,.*,3,3,3,exact,/);
  });

  it.each([6_000, 50_000])('%i unclosed <div> are refused at once with the limit, not a stack overflow', async (n) => {
    const started = Date.now();
    const file = tmp.write(`deep${n}.html`, `${'<div>'.repeat(n)}${table}`);
    const r = await said(['records', '-i', file, '--department', 'MOD']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectNoStack(r.stderr);
    expect(r.said).toEqual([{ kind: 'error', at: `${file}:1`, code: 'HTML_TOO_DEEP' }]);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('in a saved answer, the message names the question', async () => {
    const answerText = `${'<div>'.repeat(6_000)}${table}`;
    const file = tmp.write('deep.json', JSON.stringify({ value: { id: 5, uin: '1', dateTabled: '2024-01-01T00:00:00', answerText, answeringBodyName: 'Ministry of Defence' } }));
    const r = await said(['records', '-i', file]);
    expect(r.code).toBe(2);
    expect(r.said).toEqual([{ kind: 'error', at: `${file}#5:1`, code: 'HTML_TOO_DEEP' }]);
    expect(r.stderr).toMatch(/: question 5 \(UIN 1\): /);
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
  ])('-i %s: one positioned line, exit 2, no internal error', async (_, file, message) => {
    for (const args of [['records', '-i', file], ['check', file]]) {
      const r = await said(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.said).toEqual([{ kind: 'error', at: file, code: 'CANNOT_OPEN' }]);
      // The system's reason (ELOOP, ENOTDIR …) is what tells these cases apart.
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
  it('a YAML alias bomb is a positioned error, not an internal one', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 7; i++) {
      const [name, prev] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const file = tmp.write('bomb.yaml', `${levels.join('\n')}\nclaims: [*g]\n`);
    const r = await said(['check', file]);
    expect(r.code).toBe(2);
    expect(r.said).toEqual([{ kind: 'error', at: `${file}:2:8`, code: 'BAD_CLAIMS' }]);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/alias bomb/);
  });

  it('an alias with no anchor is positioned at the alias', async () => {
    const file = tmp.write('unresolved.yaml', 'claims:\n  - says: x\n    total: *nope\n');
    const r = await said(['check', file]);
    expect(r.code).toBe(2);
    expect(r.said).toEqual([{ kind: 'error', at: `${file}:3:12`, code: 'BAD_CLAIMS' }]);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  it('check /dev/urandom stops at the size limit at once', async () => {
    const started = Date.now();
    const r = await said(['check', '/dev/urandom']);
    expect(r.code).toBe(2);
    expect(r.said).toEqual([{ kind: 'error', at: '/dev/urandom', code: 'CLAIMS_TOO_LARGE' }]);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a 2.5 MB claims file (one flow mapping) is refused by its size, before it is parsed', async () => {
    const file = tmp.write('flow.yaml', `{${Array.from({ length: 200_000 }, (_, i) => `k${i}: 1`).join(', ')}}\n`);
    const r = await said(['check', file]);
    expect(r.code).toBe(2);
    expect(r.said).toEqual([{ kind: 'error', at: file, code: 'CLAIMS_TOO_LARGE' }]);
  });
});

describe('long cells are read in linear time', () => {
  it('70 KB of spaces in a metadata line, a category, a status and a count take no time to read or reject', async () => {
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
    const r = await cli(['validate', '-i', file, '-f', 'json']);
    expectNoStack(r.stderr);
    expect(JSON.parse(r.stdout).inputs[0]).toMatchObject({ rows_read: 4 });
    // Each of these regexes took seconds on 70 KB; linear code takes milliseconds.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
