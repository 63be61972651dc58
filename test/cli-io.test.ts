// Where data comes from and goes to: standard input when it is piped (the built-in answers only
// when it is a terminal or empty), -o written whole or not at all, --bom/--crlf only where they
// mean something, and a CI report even when the claims file is broken. Standard input and -o go
// through the real binary (a child process's pipes, redirects and files); the rest runs in process.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli, runShell } from './helpers/spawn.js';
import { runInProcess } from './helpers/run.js';
import { tempDir } from './helpers/files.js';
import { diagnostics, parseNdjson } from './helpers/output.js';

const A2023 = 'fixtures/builtin/mod-devices-2023.csv';
const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('standard input', () => {
  it('a pipe with no -i is read, and stderr says so', () => {
    const r = spawnCli(['summary', '--by', 'year', '-f', 'ndjson'], { input: readFileSync(A2023) });
    expect(r.code, r.stderr).toBe(0);
    expect(parseNdjson(r.stdout).map((x) => [x.period, x.total])).toEqual([['2023', 297], ['total', 297]]);
    expect(r.stderr).toBe('assetloss: no --input: reading standard input\n');
  });

  it('a file redirected to stdin is read too; -q keeps stderr quiet', () => {
    const r = runShell(`$ASSETLOSS records -q -f ndjson < ${A2023}`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(new Set(parseNdjson(r.stdout).map((x) => x.source_id))).toEqual(new Set(['stdin']));
  });

  it('empty or /dev/null stdin: the built-in dataset, announced', () => {
    for (const r of [spawnCli(['records', '-f', 'ndjson'], { input: '' }), runShell('$ASSETLOSS records -f ndjson < /dev/null')]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/nothing on standard input: using the built-in dataset \(4 MoD written answers/);
      expect(parseNdjson(r.stdout)).toHaveLength(148);
    }
  });

  it('a pipe whose data comes late, and a pipe or a file longer than the first read (64 KB), are read whole', () => {
    const log = join(tmp.dir, 'pipe-log.csv');
    writeFileSync(log, `date,category\n${'2024-01-05,Laptop\n'.repeat(10_000)}`);
    for (const r of [runShell(`(sleep 0.3; cat ${log}) | $ASSETLOSS summary --by year -q -f csv`), runShell(`cat ${log} | $ASSETLOSS summary --by year -q -f csv`), runShell(`$ASSETLOSS summary --by year -q -f csv < ${log}`)]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split('\n')[1]).toMatch(/^2024 \(2024-01-05\.\.2024-01-05\),2024-01-05,2024-01-05,,,,10000,10000,10000,/);
    }
  });

  it('-i wins over a pipe', () => {
    const r = spawnCli(['records', '-q', '-i', A2023, '-f', 'ndjson'], { input: 'not,a\ntable,at all\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(parseNdjson(r.stdout)).toHaveLength(48);
  });
});

describe('-o FILE', () => {
  it('writes the output to the file (format from -f, else its extension), nothing on stdout', () => {
    const json = join(tmp.dir, 'summary.json');
    const r = spawnCli(['summary', '-q', '--by', 'year', '-o', json]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect((JSON.parse(readFileSync(json, 'utf8')) as { by: string }).by).toBe('year');
    const csv = join(tmp.dir, 'records.csv');
    expect(spawnCli(['records', '-q', '-o', csv]).code).toBe(0);
    expect(readFileSync(csv, 'utf8')).toMatch(/^source_id,department,/);
  });

  it('a failed run leaves the file as it was, and no temporary file behind', () => {
    const out = tmp.write('kept.csv', 'yesterday\n');
    const bad = tmp.write('bad.csv', 'Month,Phones\nJanuary 2024,12\nNotamonth,3\n');
    const r = spawnCli(['records', '-i', bad, '-o', out]);
    expect(r.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('yesterday\n');
    expect(readdirSync(tmp.dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('check -o claims.xml', () => {
    const out = join(tmp.dir, 'claims.xml');
    const r = spawnCli(['check', '-q', 'fixtures/claims/express-2025-03.yaml', '-f', 'junit', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/<testsuites name="assetloss check" tests="11" failures="0">/);
  });

  it('a folder that does not exist: exit 2, a clear message', () => {
    const r = spawnCli(['records', '-q', '-o', join(tmp.dir, 'no/such/dir/x.csv'), '--debug']);
    expect(r.code).toBe(2);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: join(tmp.dir, 'no/such/dir/x.csv'), code: 'CANNOT_WRITE' }]);
    // The system's reason is what the user acts on.
    expect(r.stderr).toMatch(/no such folder \(ENOENT\)/);
    expect(existsSync(join(tmp.dir, 'no'))).toBe(false);
  });
});

describe('--bom and --crlf are for csv and tsv', () => {
  it.each([['json'], ['ndjson'], ['markdown'], ['table']])('--bom with -f %s: usage error before reading', async (format) => {
    const r = await runInProcess(['records', '-f', format, '--bom']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`assetloss: error: --bom applies to -f csv and -f tsv only (the output is ${format})\n`);
  });

  it('--crlf with check -f junit: usage error', async () => {
    const r = await runInProcess(['check', 'fixtures/claims/express-2025-03.yaml', '-f', 'junit', '--crlf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--crlf applies to -f csv and -f tsv only/);
  });
});

describe('check on a broken claims file', () => {
  const broken = () => {
    const f = join(tmp.dir, 'broken.yaml');
    writeFileSync(f, 'claims:\n  - id: x\n    bogus: 1\n');
    return f;
  };

  it('-f junit writes a JUnit document with an errored test case, and exits 2', async () => {
    const r = await runInProcess(['check', broken(), '-f', 'junit', '--debug']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="assetloss check" tests="1" failures="0" errors="1">/);
    expect(r.stdout).toMatch(/<testcase name="claims file" [^>]*line="2">\n\s+<error message="[^"]*broken\.yaml:2:5: claim &quot;x&quot;: missing &quot;says&quot;" type="BAD_CLAIMS">/);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${broken()}:2:5`, code: 'BAD_CLAIMS' }]);
  });

  it('-f tap bails out; -f github annotates the line; -f text writes nothing on stdout', async () => {
    expect((await runInProcess(['check', broken(), '-f', 'tap'])).stdout).toMatch(/^TAP version 14\nBail out! .*broken\.yaml:2:5: claim "x": missing "says"\n$/);
    expect((await runInProcess(['check', broken(), '-f', 'github'])).stdout).toMatch(/^::error file=.*broken\.yaml,line=2,title=claims file cannot be read::/);
    expect((await runInProcess(['check', broken()])).stdout).toBe('');
  });
});
