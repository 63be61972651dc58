// Inputs written to break the tool (issue "nothing lost, nothing injected, nothing unbounded"):
// numbers past what JSON can hold exactly, labels that only look like periods, files and streams
// that fail underneath. Each is a clear positioned message and exit 2 (or a warning), never an
// internal error, a stack trace or a number quietly changed.
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.js';
import { expectNoStack } from './helpers/output.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('numbers and labels that are not what they look like', () => {
  it('"count": 1e400 is a rejected row saying the number is too large, not an empty count', () => {
    const r = runCli(['records', '-i', '-', '--department', 'MOD'], { input: '[{"period":"2024-01","category":"phone","count":1e400}]' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^assetloss: <stdin>:1: \$\[0\]\.count: number too large to read exactly/m);
    expect(r.stderr).not.toMatch(/empty/);
  });

  it('a JSON count above 2^53 is rejected (it would be rounded), not read as another number', () => {
    const r = runCli(['records', '-i', '-', '--department', 'MOD'], { input: '[{"period":"2024-01","category":"phone","count":9007199254740993}]' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/count: number too large to read exactly/);
  });

  it('"January 20245" is read as January 2024 with footnote 5 only with a warning; --strict refuses it', () => {
    const file = tmp.write('glued.csv', '# department: MOD\nMonth,Phones\nJanuary 20245,3\n');
    const r = runCli(['records', '-i', file, '-f', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*glued\.csv:3:1: "January 20245" read as January 2024 with footnote 5 \(a digit glued to the year\); if it is a typing slip, correct the label/);
    const strict = runCli(['records', '-i', file, '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe('');
  });

  it('the same in a long file\'s period column', () => {
    const r = runCli(['records', '-i', '-', '--department', 'MOD', '-f', 'csv'], { input: 'period,category,count\nJanuary 20245,phone,3\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/<stdin>:2:1: "January 20245" read as January 2024 with footnote 5/);
  });

  it('a 70 KB label with a run of spaces is rejected at once', () => {
    const started = Date.now();
    const r = runCli(['records', '-i', '-', '--department', 'MOD'], { input: `Month,Phones\nJanuary${' '.repeat(70_000)}x,3\n` });
    expect(r.code).toBe(2);
    expectNoStack(r.stderr);
    expect(r.stderr).toMatch(/too long to read \(at most 200\)/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
