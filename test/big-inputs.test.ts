// Inputs far larger than any answer, but legitimate: they must read in full (any size that fits in
// memory works), never end in "Maximum call stack size exceeded" from an argument-list spread.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli } from './helpers/spawn.js';
import { tempDir } from './helpers/files.js';
import { diagnostics, expectNoStack, validateJson } from './helpers/output.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function wideTable(rows: number): string {
  const lines = ['# department: MOD', 'Month,Phones,Laptops,Tablets,USB sticks,Computers'];
  for (let i = 0; i < rows; i++) {
    const year = 2000 + Math.floor(i / 12);
    lines.push(`${year}-${String((i % 12) + 1).padStart(2, '0')},1,2,3,4,5`);
  }
  return `${lines.join('\n')}\n`;
}

describe('big legitimate inputs', () => {
  it('26,000 rows × 5 columns (130,000 records) are read in full', () => {
    const file = tmp.write('wide.csv', wideTable(26_000));
    const r = spawnCli(['validate', '-i', file, '-f', 'json']);
    expectNoStack(r.stderr);
    expect(r.code, r.stderr).toBe(0);
    const doc = validateJson(r.stdout);
    expect(doc.inputs[0]).toMatchObject({ rows_read: 26_000, rows_accepted: 26_000, records: 130_000 });
  });

  it('130,000 blank lines inside a table are counted, not a crash', () => {
    const file = tmp.write('blank.csv', `# department: MOD\nMonth,Phones\n2024-01,1\n${'\n'.repeat(130_000)}2024-02,3\n`);
    const r = spawnCli(['validate', '-i', file, '-f', 'json']);
    expectNoStack(r.stderr);
    expect(r.stderr).not.toMatch(/internal error/);
    const doc = validateJson(r.stdout);
    expect(doc.inputs[0]).toMatchObject({ rows_accepted: 2, rows_skipped: 130_000, records: 2 });
  });

  it('an incident log with 130,000 blank lines between rows', () => {
    const file = tmp.write('log.csv', `# department: MOD\ndate,category\n2024-01-01,phone\n${'\n'.repeat(130_000)}2024-01-02,laptop\n`);
    const r = spawnCli(['validate', '-i', file, '-f', 'json']);
    expectNoStack(r.stderr);
    expect(r.stderr).not.toMatch(/internal error/);
    validateJson(r.stdout);
  });

  it('format sniffing on stdin is linear: 200,000 blank lines before the table', () => {
    const started = Date.now();
    const r = spawnCli(['validate', '-i', '-', '-f', 'json', '--department', 'MOD'], { input: `Month,Phones\n${'\n'.repeat(200_000)}2024-01,1\n` });
    expectNoStack(r.stderr);
    expect(validateJson(r.stdout).inputs[0]).toMatchObject({ rows_accepted: 1, rows_skipped: 200_000 });
    // Quadratic sniffing took 28 s here; linear well under a second (generous for a loaded machine).
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a row of 1.2 million fields is refused at once, saying what the limit is', () => {
    const started = Date.now();
    const file = tmp.write('fields.csv', `# department: MOD\nMonth,Phones\n2024-01,${'1,'.repeat(1_200_000)}1\n`);
    const r = spawnCli(['validate', '-i', file, '-f', 'json', '--debug']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${file}:3:1`, code: 'TOO_MANY_FIELDS' }]);
    expect(r.stderr).toMatch(/more than 10000 fields/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('human formats of very wide reports', () => {
  it('a table of 130,000 columns (summary --columns unit over 130,000 units) is drawn, not a stack overflow', async () => {
    const { table } = await import('../src/format/table.js');
    const columns = Array.from({ length: 130_000 }, (_, i) => ({ key: `u${i}`, type: 'number' as const }));
    const row = Object.fromEntries(columns.map((c, i) => [c.key, i]));
    const text = [...table({ columns, rows: [row], json: null, notes: [] }, { color: false, width: 80 })].join('');
    expect(text).toContain('u129999');
  });
});
