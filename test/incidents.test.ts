// Incident logs: one row per lost or stolen device, summed into day records while streaming.
// The fast path (tokenizer sink → aggregator, no row objects) is checked against a slow path
// built from the reference parser (csv-parse) and plain arithmetic, on generated logs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSources, period, total, vintageLookup } from '../src/index.js';
import { parseIncidentDate } from '../src/read/incidents.js';
import { runInProcess } from './helpers/run.js';
import { diagnostics } from './helpers/output.js';

const dir = mkdtempSync(join(tmpdir(), 'assetloss-incidents-'));
let n = 0;
function file(text: string, ext = 'csv'): string {
  const f = join(dir, `log-${n++}.${ext}`);
  writeFileSync(f, text);
  return f;
}

const cli = (args: string[]) => runInProcess(args);

const HEADER = 'date,category,quantity,status,department,unit\n';

describe('incident logs', () => {
  it('are detected by a date and a category column without a count, and summed per day', async () => {
    const f = file(`${HEADER}2024-01-02,Mobile phone,,lost,Ministry of Defence,Army\n2024-01-02,Mobile phone,3,lost,Ministry of Defence,Army\n2024-01-04,Laptop,,stolen,MOD,"Navy, Portsmouth"\n`);
    const ds = await loadSources([f]);
    expect(ds.inputs[0]!.layout).toBe('incidents');
    expect(ds.inputs[0]!.stats).toMatchObject({ rows_read: 3, rows_accepted: 3, rows_rejected: 0 });
    const phones = ds.records.filter((r) => r.series.category === 'phone');
    // The log covers 2–4 January: every day is a record, zero where nothing was logged.
    expect(phones.map((r) => [r.period.start, r.count.kind === 'exact' ? r.count.value : null])).toEqual([
      ['2024-01-02', 4], ['2024-01-03', 0], ['2024-01-04', 0],
    ]);
    const laptop = ds.records.find((r) => r.series.category === 'laptop' && r.period.start === '2024-01-04')!;
    expect(laptop.series).toEqual({ department: 'MOD', category: 'laptop', status: 'stolen', unit: 'Navy, Portsmouth' });
  });

  it('sum a day past what one byte holds (255) exactly: 255 stays, 256 and 300 widen the series, in any row order', async () => {
    const rows = ['2024-03-01,Laptop,200,lost,MOD,', '2024-03-02,Laptop,255,lost,MOD,', '2024-03-01,Laptop,55,lost,MOD,', '2024-03-03,Laptop,1,lost,MOD,', '2024-03-01,Laptop,1,lost,MOD,', '2024-03-04,Laptop,150,lost,MOD,', '2024-03-04,Laptop,150,lost,MOD,'];
    const ds = await loadSources([file(`${HEADER}${rows.join('\n')}\n`)]);
    const value = (day: string) => (ds.records.find((r) => r.period.start === day)!.count as { value: number }).value;
    expect(['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04'].map(value)).toEqual([256, 255, 1, 300]);
  });

  it('sum a day past what two bytes hold (65,535), and quantities past 2^32, exactly, in any row order', async () => {
    const rows = ['2024-03-01,Laptop,60000,lost,MOD,', '2023-01-01,Laptop,,lost,MOD,', '2024-03-01,Laptop,60000,lost,MOD,', '2025-06-30,Laptop,9999999999,lost,MOD,', '2024-03-01,Laptop,7,lost,MOD,'];
    const f = file(`${HEADER}${rows.join('\n')}\n`);
    const ds = await loadSources([f]);
    const value = (day: string) => (ds.records.find((r) => r.period.start === day)!.count as { value: number }).value;
    expect([value('2023-01-01'), value('2024-03-01'), value('2024-03-02'), value('2025-06-30')]).toEqual([1, 120_007, 0, 9_999_999_999]);
    expect(ds.records).toHaveLength(912);
    const r = await cli(['compare', '2024-03-01', '2023..2025', '-i', f, '-f', 'csv', '-q']);
    expect((parse(r.stdout, { columns: true }) as { total: string }[]).map((x) => x.total)).toEqual(['120007', String(1 + 120_007 + 9_999_999_999)]);
  });

  it('cover their whole span, so a day with no incident is a true zero, not a gap', async () => {
    const f = file(`${HEADER}2024-01-01,Laptop,,lost,MOD,\n2024-01-31,Laptop,,lost,MOD,\n`);
    const ds = await loadSources([f]);
    const t = total(ds.records, period('2024-01'), vintageLookup(ds.sources));
    expect(t.total).toBe(2);
    expect(t.gaps).toEqual([]);
  });

  it('cover the span their from/to metadata declares', async () => {
    const f = file(`# from: 2024-01-01\n# to: 2024-03-31\n${HEADER}2024-02-10,Laptop,,lost,MOD,\n`);
    const ds = await loadSources([f]);
    const t = total(ds.records, period('2024-Q1'), vintageLookup(ds.sources));
    expect([t.total, t.covered_days, t.gaps]).toEqual([1, 91, []]);
  });

  it('read dd/mm/yyyy files in that one format: 01/02/2024 is 1 February', async () => {
    const f = file(`${HEADER}01/02/2024,Laptop,,lost,MOD,\n`);
    const ds = await loadSources([f]);
    expect(ds.records[0]!.period.start).toBe('2024-02-01');
  });

  it.each([
    ['13/25/2024', 'dmy', /month 25 does not exist/],
    ['31/02/2024', 'dmy', /not a real date/],
    ['29/02/2023', 'dmy', /not a real date/],
    ['1/2/24', 'dmy', /four-digit year/],
    ['45292', 'iso', /Excel serial date/],
    ['2024-02-01', 'dmy', /one format per file/],
    ['01/02/2024', 'iso', /one format per file/],
  ] as const)('reject the date %s in a %s file', (text, format, reason) => {
    expect(parseIncidentDate(text, format)).toMatch(reason);
  });

  it('accept 29/02/2024 (a leap day)', () => {
    expect(typeof parseIncidentDate('29/02/2024', 'dmy')).toBe('number');
  });

  it('reject a bad row with its position, and fail the run without --lenient', async () => {
    const f = file(`${HEADER}2024-01-02,Laptop,,lost,MOD,\n2024-01-03,Laptop,-2,lost,MOD,\n2024-13-01,Laptop,,lost,MOD,\n`);
    const r = await cli(['summary', '--by', 'month', '-i', f, '-f', 'csv', '-q', '--debug']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(diagnostics(r.stderr)).toEqual([
      { kind: 'error', at: `${f}:3:19`, code: 'REJECTED_ROW' },
      { kind: 'error', at: `${f}:4:1`, code: 'REJECTED_ROW' },
    ]);
  });

  it('place a reject at its field\'s own line, after a quoted field with line breaks', async () => {
    // The quantity sits two lines below the row's first (the category spans three); the unit's
    // department one more.
    const f = file(`# date-format: YYYY-MM-DD\n${HEADER}2024-01-02,"Lap\ntop\nbag",x,lost,"Dept of\nOdd Things",\n`);
    const r = await cli(['validate', '-i', f, '-f', 'json', '--lenient', '-q']);
    const out = JSON.parse(r.stdout) as { inputs: { rejects: { line: number; column: number }[] }[] };
    expect(out.inputs[0]!.rejects.map((d) => [d.line, d.column])).toEqual([[5, 6]]);
  });

  it('place a reject in a quoted field with a line break at the line the field starts on', async () => {
    const f = file(`${HEADER}2024-01-02,Laptop,,lost,MOD,\n2024-01-04,Laptop,"1\n2",lost,MOD,\n`);
    const ds = await loadSources([f], { lenient: true });
    expect(ds.inputs[0]!.rejects.map((d) => [d.line, d.column])).toEqual([[3, 19]]);
  });

  it('long files too: a reject names its field\'s own line after a quoted line break', async () => {
    const f = file('# department: HO\nperiod,category,count,note\n2024-01,Laptops,3,"two\nlines"\n2024-02,"Lap\ntops",x,\n');
    const r = await cli(['validate', '-i', f, '-f', 'json', '--lenient', '-q']);
    const out = JSON.parse(r.stdout) as { inputs: { layout: string; rejects: { line: number; column: number }[] }[] };
    expect(out.inputs[0]!.layout).toBe('long');
    expect(out.inputs[0]!.rejects.map((d) => [d.line, d.column])).toEqual([[6, 7]]);
  });

  it('keep going under --lenient, with the accounting right', async () => {
    const f = file(`${HEADER}2024-01-02,Laptop,,lost,MOD,\n2024-01-03,Laptop,x,lost,MOD,\n\n2024-01-04,Laptop,2,lost,MOD\n`);
    const r = await cli(['validate', '-i', f, '-f', 'json', '--lenient', '-q']);
    const doc = JSON.parse(r.stdout);
    const s = doc.inputs[0];
    expect(s.layout).toBe('incidents');
    expect([s.rows_read, s.rows_accepted, s.rows_rejected, s.rows_skipped]).toEqual([4, 1, 2, 1]);
    expect(s.rows_read).toBe(s.rows_accepted + s.rows_rejected + s.rows_skipped);
  });

  it('read NDJSON incidents with --layout incidents', async () => {
    const f = file('{"date":"2024-01-02","category":"Laptop","department":"MOD"}\n{"date":"2024-01-02","category":"Laptop","quantity":2,"department":"MOD"}\n', 'ndjson');
    const ds = await loadSources([f], { layout: 'incidents' });
    expect(ds.inputs[0]!.layout).toBe('incidents');
    expect(ds.records.map((r) => (r.count.kind === 'exact' ? r.count.value : null))).toEqual([3]);
  });
});

// A generated log: quoted units with commas and quotes, CRLF or LF, empty quantities.
const row = fc.record({
  day: fc.integer({ min: 0, max: 59 }),
  category: fc.constantFrom('Mobile phone', 'Laptop', 'USB stick', 'Tablet'),
  quantity: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
  status: fc.constantFrom('lost', 'stolen', ''),
  unit: fc.constantFrom('Army', 'Royal Navy', '"Support, ""Bristol"""', '"Line\nbreak"', ''),
});

function isoOf(day: number): string {
  const d = new Date(Date.UTC(2024, 0, 1) + day * 86400000);
  return d.toISOString().slice(0, 10);
}

describe('the fast incident path equals the slow path', () => {
  it('on generated logs: per category and month, the engine total equals a naive sum over csv-parse rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 60 }), fc.boolean(), async (rows, crlf) => {
        const eol = crlf ? '\r\n' : '\n';
        const text = `date,category,quantity,status,department,unit${eol}${rows
          .map((r) => `${isoOf(r.day)},${r.category},${r.quantity ?? ''},${r.status},Ministry of Defence,${r.unit}`)
          .join(eol)}${eol}`;
        const f = file(text);
        const ds = await loadSources([f]);
        // Slow path: the reference parser, then plain sums.
        const parsed = parse(text, { columns: true }) as Record<string, string>[];
        expect(ds.inputs[0]!.stats.rows_accepted).toBe(parsed.length);
        const canonical: Record<string, string> = { 'Mobile phone': 'phone', Laptop: 'laptop', 'USB stick': 'usb', Tablet: 'tablet' };
        for (const month of ['2024-01', '2024-02']) {
          for (const [raw, cat] of Object.entries(canonical)) {
            const want = parsed.filter((p) => p.date!.startsWith(month) && p.category === raw).reduce((s, p) => s + (p.quantity ? Number(p.quantity) : 1), 0);
            const t = total(ds.records.filter((r) => r.series.category === cat), period(month), vintageLookup(ds.sources), { partial: 'exclude' });
            const got = t.has_data ? t.total : 0;
            if (got !== want) throw new Error(`${month} ${cat}: ${got} ≠ ${want}`);
          }
        }
        // Units with quotes and newlines arrive intact.
        const units = new Set(ds.records.map((r) => r.series.unit));
        for (const p of parsed) expect(units.has(p.unit === '' ? null : p.unit!)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe('--lenient marks compare and summary output incomplete', () => {
  const f = file('# department: Home Office\n# year: 2024\nMonth,Laptops\nJanuary,3\nFebruary,x\nMarch,1\n');
  it.each([
    ['compare', ['compare', '2024-01..2024-03', '2024-01']],
    ['summary', ['summary', '--by', 'month']],
  ])('%s: complete:false and the count in JSON, a note in markdown, the reject on stderr', async (_name, args) => {
    const json = await cli([...args, '-i', f, '--lenient', '-f', 'json', '-q', '--debug']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ complete: false, rows_rejected: 1 });
    expect(diagnostics(json.stderr)).toEqual([{ kind: 'rejected', at: `${f}:5:10`, code: 'REJECTED_ROW' }]);
    const md = await cli([...args, '-i', f, '--lenient', '-f', 'markdown', '-q']);
    expect(md.stdout).toContain('1. INCOMPLETE: 1 row rejected (--lenient)');
    const strict = await cli([...args, '-i', f, '-f', 'json', '-q']);
    expect([strict.code, strict.stdout]).toEqual([2, '']);
  });
});

describe('an incident log\'s header', () => {
  it('warns of each column it does not read, a count column with why', async () => {
    const f = file('date,category,count,colour\n2024-01-02,Laptop,2,red\n');
    const ds = await loadSources([f], { layout: 'incidents' });
    expect(ds.inputs[0]!.warnings.map((w) => [w.code, w.line, w.column, w.message])).toEqual([
      ['IGNORED_COLUMN', 1, 15, 'column "count" ignored: an incident log counts its rows (a quantity column gives several devices in one row)'],
      ['IGNORED_COLUMN', 1, 21, 'unknown column "colour" ignored'],
    ]);
    const strict = await cli(['summary', '-i', f, '--layout', 'incidents', '--strict', '-f', 'csv', '-q']);
    expect([strict.code, strict.stdout]).toEqual([2, '']);
  });

  it('needs a category column, or a # category: line for every row', async () => {
    const f = file('date,quantity\n2024-01-02,2\n');
    const r = await cli(['summary', '-i', f, '--layout', 'incidents', '-f', 'csv', '-q', '--debug']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${f}:1:1`, code: 'MISSING_COLUMN' }]);
    const declared = await loadSources([file('# category: laptop\ndate,quantity\n2024-01-02,2\n')], { layout: 'incidents' });
    expect(declared.records.map((r) => [r.series.category, (r.count as { value: number }).value])).toEqual([['laptop', 2]]);
  });

  it('positions the rejects of the rows read with the header (below metadata and a caption) at their own lines', async () => {
    // The rows cut out with the header are handed to the sink again: their fields' lines, not
    // moved down a second time by the metadata above them.
    const f = file('# from: 2024-01-01\n# to: 2024-12-31\nLost devices 2024\ndate,category\n2024-13-01,phone\n2024-01-05,\n"2024-01-06\n",laptop\n');
    const ds = await loadSources([f], { lenient: true });
    expect(ds.inputs[0]!.rejects.map((r) => [r.line, r.column])).toEqual([[5, 1], [6, 12], [7, 1]]);
  });

  it('refuses a # date-format: it cannot read rather than reading ISO dates instead', async () => {
    const f = file(`# date-format: mm/dd/yyyy\n${HEADER}01/02/2024,Laptop,,lost,MOD,\n`);
    const r = await cli(['summary', '-i', f, '-f', 'csv', '-q', '--debug']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${f}:1:1`, code: 'BAD_METADATA' }]);
  });
});

describe('blank lines in an incident log', () => {
  it('are warned of inside the log (--strict fails), not at its end; CSV and NDJSON alike', async () => {
    const f = file(`${HEADER}2024-01-02,Laptop,,lost,MOD,\n\n2024-01-03,Laptop,,lost,MOD,\n\n\n`);
    const ds = await loadSources([f]);
    expect(ds.inputs[0]!.warnings.map((w) => [w.code, w.line])).toEqual([['BLANK_LINE', 3]]);
    expect(ds.inputs[0]!.stats).toMatchObject({ rows_read: 5, rows_accepted: 2, skipped_blank: 3 });
    const strict = await cli(['summary', '-i', f, '--strict', '-f', 'csv', '-q']);
    expect([strict.code, strict.stdout]).toEqual([2, '']);
    const nd = file('{"date":"2024-01-02","category":"Laptop"}\n\n{"date":"2024-01-03","category":"Laptop"}\n\n', 'ndjson');
    expect((await loadSources([nd])).inputs[0]!.warnings.map((w) => [w.code, w.line])).toEqual([['BLANK_LINE', 2]]);
  });

  it('are listed up to 1,000 and the rest counted', async () => {
    const f = file(`${HEADER}2024-01-02,Laptop,,lost,MOD,\n${'\n'.repeat(1200)}2024-01-03,Laptop,,lost,MOD,\n`);
    const w = (await loadSources([f])).inputs[0]!.warnings;
    expect(w).toHaveLength(1001);
    expect([w[0]!.line, w[999]!.line, w[1000]!.message]).toEqual([3, 1002, '200 more blank lines inside the data (skipped), not listed']);
  });
});

describe('repeated keys in NDJSON lines', () => {
  it('are warned of with their line and column, in incident logs and record lines alike (the last value is used)', async () => {
    const log = file('{"date":"2024-01-02","category":"Laptop"}\n{"date":"2024-01-03","category":"Laptop","category":"Phone"}\n', 'ndjson');
    const ds = await loadSources([log]);
    expect(ds.inputs[0]!.layout).toBe('incidents');
    expect(ds.inputs[0]!.warnings.map((w) => [w.code, w.line, w.column, w.message])).toEqual([['DUPLICATE_KEY', 2, 42, 'duplicate key "category" at $: the last value is used']]);
    expect(ds.records.some((r) => r.series.category === 'phone')).toBe(true);
    const records = file('{"period":"2024-01","category":"laptop","count":3,"count":4,"department":"HO"}\n', 'ndjson');
    const rs = await loadSources([records]);
    expect(rs.inputs[0]!.warnings.filter((w) => w.code === 'DUPLICATE_KEY').map((w) => [w.line, w.column])).toEqual([[1, 51]]);
    expect((rs.records[0]!.count as { value: number }).value).toBe(4);
  });
});

describe('a month the log covers only in part', () => {
  it('is said on stderr in csv, tsv and ndjson, which have no place for gaps (JSON lists them)', async () => {
    const f = file(`${HEADER}2024-01-15,Laptop,,lost,MOD,\n2024-02-20,Laptop,,lost,MOD,\n2024-03-31,Laptop,,lost,MOD,\n`);
    for (const format of ['csv', 'tsv', 'ndjson']) {
      const r = await cli(['summary', '-i', f, '--from', '2024-01', '--to', '2024-03', '-f', format, '-q']);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('assetloss: warning: 1 figure covers only part of its period (the first: 2024-01, nothing for 2024-01-01..2024-01-14); the status column says partial, -f json lists every gap');
    }
    const json = await cli(['summary', '-i', f, '--from', '2024-01', '--to', '2024-03', '-f', 'json', '-q']);
    expect(json.stderr).toBe('');
  });
});

describe('more than 1,000 rejected rows', () => {
  it('are all counted: in the message, in JSON and in the note, though only the first 1,000 are listed', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => (i % 5 === 0 ? '2024-01-05,Laptop,,lost,MOD,\n' : '2024-13-40,Laptop,,lost,MOD,\n'));
    const f = file(`${HEADER}${rows.join('')}`);
    const strict = await cli(['summary', '-i', f, '-f', 'json', '-q', '--debug']);
    expect([strict.code, strict.stdout]).toEqual([2, '']);
    const listed = diagnostics(strict.stderr);
    expect([listed.length, listed.every((d) => d.code === 'REJECTED_ROW')]).toEqual([1000, true]);
    expect(strict.stderr).toContain('1200 rows rejected of 1500 read');
    const json = await cli(['summary', '-i', f, '--lenient', '-f', 'json', '-q']);
    expect(JSON.parse(json.stdout)).toMatchObject({ complete: false, rows_rejected: 1200 });
    expect(json.stderr).toContain('--lenient: 1200 rows rejected');
  });
});

describe('a declared span bounds the log', () => {
  it('rejects an incident outside # from / # to instead of dropping it', async () => {
    const f = file(`# from: 2024-01-01\n# to: 2024-01-31\n${HEADER}2024-01-10,Laptop,,lost,MOD,\n2024-02-02,Laptop,,lost,MOD,\n`);
    const r = await cli(['records', '-i', f, '-f', 'csv', '-q', '--debug']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${f}:5:1`, code: 'REJECTED_ROW' }]);
  });
});

describe('incident logs with many series over many years', () => {
  it('are summed however many series × days they span: 4,000 units over ten years (14.6 million series-days) from a 200 KB file', async () => {
    // Each series is kept as a dense day array (two bytes a day), not a record per day.
    const rows = Array.from({ length: 4000 }, (_, i) => `${2015 + (i % 10)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},Laptop,,lost,MOD,Unit ${i}\n`);
    const f = file(`${HEADER}${rows.join('')}`);
    const r = await cli(['compare', '2015..2019', '2020..2024', '-i', f, '-f', 'csv', '-q']);
    expect(r.code).toBe(0);
    const [first, second] = parse(r.stdout, { columns: true }) as { total: string; days: string; covered_days: string }[];
    expect([first!.total, second!.total]).toEqual(['2000', '2000']);
  });
});
