// Incident logs have two shortcuts, and neither may show in any result. On generated logs —
// quoted fields with commas, quotes and line breaks, CRLF, blank lines, bad rows, unknown names,
// both date formats, --lenient or not:
//  - big logs are read on two threads (src/io/incident-split.ts): with the cut forced on small
//    files, exactly what one thread gives — records, accounting, rejects, warnings, or the error;
//  - whole lines are read from their characters (IncidentSink.fastRows) when their date and
//    series were seen before: the same text with that path switched off, cut into chunks
//    anywhere, gives the same sums, accounting, rejects and warnings; and the same log with the
//    date column last gives the same records.
// The worker exists only in the build, so this runs against dist/.
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type * as Api from '../src/index.js';
import { tempDir } from './helpers/files.js';
import { defaultAliases } from '../src/engine/aliases.js';
import { CsvTokenizer } from '../src/io/csv.js';
import { IncidentSink } from '../src/io/incidents.js';
import { IncidentAggregator, type IncidentPart } from '../src/read/incidents.js';
import { emptyStats } from '../src/read/table.js';

const api = (await import('../dist/index.js')) as typeof Api;
const { splitUse } = (await import('../dist/io/incident-split.js')) as typeof import('../src/io/incident-split.js');

const tmp = tempDir('assetloss-split-');
afterAll(() => tmp.cleanup());
let n = 0;

/** Everything a read gives, or the error it stops with. */
async function read(file: string, options: Partial<Api.LoadOptions>): Promise<unknown> {
  try {
    const ds = await api.loadSources([file], options);
    return { inputs: ds.inputs, sources: ds.sources, records: ds.records };
  } catch (err) {
    const e = err as Api.InputError;
    return { error: e.code, message: e.message, position: e.position };
  }
}

const cell = {
  date: fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: 0, max: 70 }).map((d) => ({ day: d })) },
    { weight: 1, arbitrary: fc.constantFrom('2024-02-30', 'x', '', '45292', '2024-1-5').map((bad) => ({ bad })) },
  ),
  category: fc.constantFrom('Mobile phone', 'Laptop', 'USB stick', 'Tablet', 'Pager', '', '"Lap,top"'),
  quantity: fc.constantFrom('', '', '', '1', '3', '0', 'two'),
  status: fc.constantFrom('lost', 'stolen', ''),
  department: fc.constantFrom('Ministry of Defence', 'MOD', 'Dept of Odd Things', ''),
  unit: fc.constantFrom('Army', 'Royal Navy', '"Support, ""Bristol"""', '"Line\nbreak"', '"two\r\nlines"', '', 'bare"quote'),
};

type LineCells = { date: { day?: number; bad?: string }; category: string; quantity: string; status: string; department: string; unit: string };

const line = fc.oneof(
  { weight: 20, arbitrary: fc.record(cell) },
  { weight: 1, arbitrary: fc.constant('blank' as const) },
  { weight: 1, arbitrary: fc.constant('short' as const) },
);

function dateText(d: { day?: number; bad?: string }, dmy: boolean): string {
  if (d.bad !== undefined) return d.bad;
  const iso = new Date(Date.UTC(2024, 0, 1) + d.day! * 86400000).toISOString().slice(0, 10);
  return dmy ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso;
}

function logText(lines: (Record<keyof typeof cell, never> | 'blank' | 'short' | LineCells)[], eol: string, dmy: boolean, dateLast = false): string {
  const order = (cells: string[]) => (dateLast ? [...cells.slice(1), cells[0]!] : cells).join(',');
  const body = lines.map((l) => l === 'blank' ? '' : l === 'short' ? (dateLast ? 'Laptop,2024-01-05' : '2024-01-05,Laptop') : order([dateText((l as LineCells).date, dmy), ...(['category', 'quantity', 'status', 'department', 'unit'] as const).map((k) => (l as LineCells)[k])]));
  return `${order(['date', 'category', 'quantity', 'status', 'department', 'unit'])}${eol}${body.join(eol)}${eol}`;
}

describe('counting a row seen before from its date alone', () => {
  it('gives what reading every field gives (property: the same log with the date column last)', async () => {
    await fc.assert(
      // Rows drawn from a few templates (random dates), so that the same text after the date recurs.
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 5 }), fc.array(fc.tuple(fc.nat(), cell.date), { minLength: 1, maxLength: 80 }), fc.boolean(), fc.boolean(), async (pool, picks, crlf, dmy) => {
        const lines = picks.map(([i, date]) => { const t = pool[i % pool.length]!; return typeof t === 'string' ? t : { ...t, date }; });
        const eol = crlf ? '\r\n' : '\n';
        const first = tmp.write(`first-${n++}.csv`, logText(lines as never, eol, dmy));
        const last = tmp.write(`last-${n++}.csv`, logText(lines as never, eol, dmy, true));
        const a = (await read(first, { lenient: true })) as { records?: Api.AssetRecord[]; inputs?: Api.InputReport[]; error?: string; position?: { line?: number } };
        const b = (await read(last, { lenient: true })) as typeof a;
        if (a.error || b.error) {
          expect([a.error, a.position?.line]).toEqual([b.error, b.position?.line]);
          return;
        }
        const strip = (r: Api.AssetRecord) => ({ ...r, provenance: { ...r.provenance, file: '', source_id: '' } });
        expect(a.records!.map(strip)).toEqual(b.records!.map(strip));
        expect(a.inputs![0]!.stats).toEqual(b.inputs![0]!.stats);
        // Not the line: a reject names its field's line, which moves when a quoted line break
        // comes before the date in one layout and after it in the other.
        expect(a.inputs![0]!.rejects.map((r) => [r.code, r.message])).toEqual(b.inputs![0]!.rejects.map((r) => [r.code, r.message]));
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});

describe('lines read from their characters (the fast path)', () => {
  // The general path alone: the tokenizer feeds the sink field by field, row by row.
  const sums = (text: string, cuts: number[], fast: boolean) => {
    const stats = emptyStats();
    const agg = new IncidentAggregator({ sourceId: 'log', file: 'log.csv', aliases: defaultAliases(), metadata: {} });
    const sink = new IncidentSink(agg, { date: 0, category: 1, quantity: 2, status: 3, department: 4, unit: 5 }, 6, stats, 'log.csv', 1, ',');
    if (!fast) Object.defineProperty(sink, 'fastRows', { value: undefined });
    const tokenizer = new CsvTokenizer({ relaxQuotes: true });
    try {
      let at = 0;
      for (const cut of [...cuts.map((c) => c % (text.length + 1)), text.length].sort((a, b) => a - b)) {
        tokenizer.pushTo(text.slice(at, cut), sink);
        at = cut;
      }
      tokenizer.endTo(sink);
    } catch (err) {
      return { error: (err as Api.InputError).code, position: (err as Api.InputError).position };
    }
    return { part: agg.part(), stats, rejects: sink.rejects.kept, blanks: sink.blanks.inside, warnings: agg.warnings };
  };

  it('gives what the tokenizer and `add` give, however the text is cut (property)', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), fc.array(fc.tuple(fc.nat(), cell.date), { minLength: 1, maxLength: 120 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 4 }), (pool, picks, crlf, cuts) => {
        const lines = picks.map(([i, date]) => { const t = pool[i % pool.length]!; return typeof t === 'string' ? t : { ...t, date }; });
        const text = logText(lines as never, crlf ? '\r\n' : '\n', false).replace(/^[^\n]*\n/, '');
        expect(sums(text, cuts, true)).toEqual(sums(text, [], false));
      }),
      { numRuns: 400 },
    );
  });

  it('takes quoted fields, CRLF and repeated rows itself, and leaves doubled quotes, quoted line breaks and new series to the tokenizer', () => {
    const text = [
      '2024-01-01,Laptop,,lost,MOD,"Unit 1, Site 2"',
      '2024-01-01,Laptop,,lost,MOD,"Unit 1, Site 2"',
      '2024-01-02,Laptop,2,lost,MOD,"Unit 1, Site 2"\r',
      '2024-01-02,Laptop,,lost,MOD,"Say ""hi"""',
      '2024-01-02,Laptop,,lost,MOD,"Say ""hi"""',
      '2024-01-01,Laptop,,lost,MOD,"two',
      'lines"',
      '',
    ].join('\n');
    const fast = sums(text, [], true) as { part: IncidentPart; stats: { rows_read: number } };
    expect(fast).toEqual(sums(text, [], false));
    expect(fast.stats.rows_read).toBe(6);
    expect(fast.part.series.map((x) => [x.unit, [...x.counts].reduce((a, b) => a + b, 0)])).toEqual([['Unit 1, Site 2', 4], ['Say "hi"', 2], ['two\nlines', 1]]);
  });

  it('reads plain lines (no quote) itself, cut at the delimiter: only the first of a series and date goes through `add`', () => {
    const stats = emptyStats();
    const agg = new IncidentAggregator({ sourceId: 'log', file: 'log.csv', aliases: defaultAliases(), metadata: {} });
    const sink = new IncidentSink(agg, { date: 0, category: 1, quantity: 2, status: 3, department: 4, unit: 5 }, 6, stats, 'log.csv', 1, ',');
    const add = vi.spyOn(agg, 'add');
    const text = ['2024-01-01,Laptop,,lost,MOD,Unit 1', '2024-01-01,Laptop,,lost,MOD,Unit 1', '2024-01-01,Laptop,12,lost,MOD,Unit 1\r', '2024-01-01,Laptop,3,lost,MOD,Unit 1', ''].join('\n');
    const tokenizer = new CsvTokenizer({});
    tokenizer.pushTo(text, sink);
    tokenizer.endTo(sink);
    expect(add).toHaveBeenCalledTimes(1);
    expect(stats.rows_accepted).toBe(4);
    expect(agg.part().series.map((x) => [...x.counts].reduce((a, b) => a + b, 0))).toEqual([17]);
  });

  it('tells apart series whose texts hash alike ("Aa" and "BB"): the texts are compared, not only their hash', () => {
    const text = ['2024-01-01,Laptop,,lost,MOD,Aa', '2024-01-01,Laptop,,lost,MOD,Aa', '2024-01-01,Laptop,,lost,MOD,BB', '2024-01-01,Laptop,,lost,MOD,Aa', ''].join('\n');
    const fast = sums(text, [], true) as { part: IncidentPart };
    expect(fast.part.series.map((x) => [x.unit, [...x.counts].reduce((a, b) => a + b, 0)])).toEqual([['Aa', 3], ['BB', 1]]);
  });

  it('leaves a line with too many or too few fields to the tokenizer (a reject, never a row read short)', () => {
    const text = ['2024-01-01,Laptop,,lost,MOD,Army', '2024-01-01,Laptop,,lost,MOD,Army,extra', '2024-01-01,Laptop,,lost,MOD', ''].join('\n');
    const fast = sums(text, [], true) as { stats: { rows_accepted: number; rows_rejected: number } };
    expect(fast).toEqual(sums(text, [], false));
    expect(fast.stats).toMatchObject({ rows_accepted: 1, rows_rejected: 2 });
  });
});

describe('a rejected row leaves nothing behind for the shortcut', () => {
  it('a short row before a quoted one does not become that row\'s series (found by the property above)', async () => {
    const head = 'date,category,quantity,status,department,unit\n';
    const phone = (date: string) => `${date},Mobile phone,,lost,MOD,"two\nlines"\n`;
    const file = tmp.write('stale.csv', `${head}${phone('2024-01-05')}2024-01-05,Laptop\n${phone('2024-01-01')}2024-01-05,Laptop\n`);
    const ds = (await read(file, { lenient: true })) as { records: Api.AssetRecord[]; inputs: Api.InputReport[] };
    const jan5 = ds.records.filter((r) => r.period.start === '2024-01-05').map((r) => [r.series.category, (r.count as { value: number }).value]);
    expect(jan5).toEqual([['phone', 1]]);
    expect(ds.inputs[0]!.stats).toMatchObject({ rows_read: 4, rows_accepted: 2, rows_rejected: 2 });
  });
});

describe('reading a big incident log on two threads', () => {
  it('gives exactly what one thread gives (property, with the cut forced)', async () => {
    const before = { ...splitUse };
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 2, maxLength: 80 }), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(),
        async (lines, crlf, dmy, lenient, declared) => {
          const eol = crlf ? '\r\n' : '\n';
          const body = lines.map((l) => l === 'blank' ? '' : l === 'short' ? '2024-01-05,Laptop' : [dateText(l.date, dmy), l.category, l.quantity, l.status, l.department, l.unit].join(','));
          const meta = declared ? `# date-format: ${dmy ? 'dd/mm/yyyy' : 'YYYY-MM-DD'}${eol}` : '';
          const text = `${meta}date,category,quantity,status,department,unit${eol}${body.join(eol)}${eol}`;
          const file = tmp.write(`log-${n++}.csv`, text);
          const one = await read(file, { lenient, splitBytes: Number.POSITIVE_INFINITY });
          const two = await read(file, { lenient, splitBytes: 1 });
          expect(two).toEqual(one);
        },
      ),
      { numRuns: 120 },
    );
    // Not vacuous: in many runs the worker's half was the one used.
    expect(splitUse.used - before.used).toBeGreaterThan(30);
  }, 60_000);

  it('uses the worker when the cut falls between rows, and reads on alone when it falls inside a quoted field', async () => {
    const head = 'date,category,quantity,status,department,unit\n';
    const rows = Array.from({ length: 400 }, (_, i) => `2024-01-${String((i % 28) + 1).padStart(2, '0')},Laptop,,lost,MOD,Army\n`).join('');
    const plain = tmp.write('plain.csv', head + rows);
    const before = { ...splitUse };
    const a = await read(plain, { splitBytes: 1 });
    expect(splitUse.used).toBe(before.used + 1);
    expect(a).toEqual(await read(plain, { splitBytes: Number.POSITIVE_INFINITY }));

    // One quoted field of many lines across the middle of the file: the cut is inside it.
    const note = `"${Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n')}"`;
    const few = rows.split('\n').slice(0, 20).join('\n');
    const quoted = tmp.write('quoted.csv', `${head}${few}\n2024-01-03,Laptop,,lost,MOD,${note}\n${few}\n`);
    const mid = { ...splitUse };
    const b = await read(quoted, { splitBytes: 1 });
    expect(splitUse.fellBack).toBe(mid.fellBack + 1);
    expect(b).toEqual(await read(quoted, { splitBytes: Number.POSITIVE_INFINITY }));
    expect((b as { records: Api.AssetRecord[] }).records.some((r) => r.series.unit?.includes('line 399'))).toBe(true);
  });

  it('shows progress for both halves: the bytes reported go past the cut', async () => {
    const head = 'date,category,quantity,status,department,unit\n';
    const row = '2024-01-02,Laptop,,lost,Ministry of Defence,Army\n';
    const file = tmp.write('progress.csv', head + row.repeat(Math.ceil(10_000_000 / row.length)));
    const seen: [number, boolean][] = [];
    const before = { ...splitUse };
    await api.loadSources([file], { splitBytes: 1, progress: (_f, bytes, _lines, done) => seen.push([bytes, done]) });
    expect(splitUse.used).toBe(before.used + 1);
    const most = Math.max(...seen.filter(([, done]) => !done).map(([b]) => b));
    expect(most).toBeGreaterThan(6_000_000);
    expect(seen.filter(([, done]) => done)).toHaveLength(1);
    expect(seen.at(-1)![1]).toBe(true);
  });

  it('after a cut that does not check out, progress counts the second half once (the worker is stopped)', async () => {
    const head = 'date,category,quantity,status,department,unit\n';
    const row = '2024-01-02,Laptop,,lost,Ministry of Defence,Army\n';
    const rows = (mb: number) => row.repeat(Math.ceil(mb * 1e6 / row.length));
    // A quoted field of many lines across the cut (55% of the way in); --lenient, so the worker
    // reads its lines as rows (rejected) without stopping, and reports its progress past 4 MB.
    const note = `"${'l\n'.repeat(400_000)}l"`;
    const file = tmp.write('progress-fallback.csv', `${head}${rows(12)}2024-01-03,Laptop,,lost,MOD,${note}\n${rows(9.5)}`);
    const size = (await import('node:fs')).statSync(file).size;
    const seen: number[] = [];
    const before = { ...splitUse };
    await api.loadSources([file], { splitBytes: 1, lenient: true, progress: (_f, bytes) => seen.push(bytes) });
    expect(splitUse.fellBack).toBe(before.fellBack + 1);
    expect(Math.max(...seen)).toBeLessThanOrEqual(size);
  });

  it('starts no worker when the header comes after the cut (this thread has read past it already)', async () => {
    const titles = Array.from({ length: 300 }, (_, i) => `Title line ${i} ${'t'.repeat(100)}\n`).join('');
    const rows = Array.from({ length: 100 }, () => '2024-01-02,Laptop,,lost,MOD,Army\n').join('');
    const file = tmp.write('late-header.csv', `# date-format: YYYY-MM-DD\n${titles}date,category,quantity,status,department,unit\n${rows}`);
    const before = { ...splitUse };
    const two = await read(file, { splitBytes: 1, headerRow: 302 });
    expect(splitUse).toEqual(before);
    expect(two).toEqual(await read(file, { splitBytes: Number.POSITIVE_INFINITY, headerRow: 302 }));
    expect((two as { inputs: Api.InputReport[] }).inputs[0]!.stats.rows_accepted).toBe(100);
  });

  it('a character cut by a 64 KB read comes out whole, in each half and on one thread', async () => {
    // 'é' (2 bytes), '€' (3) and an emoji (4) across the second, third and fourth 64 KB boundaries
    // (the first is read with the byte-order-mark check, which copies).
    const head = 'date,category,quantity,status,department,unit\n';
    const row = '2024-01-02,Laptop,,lost,MOD,Army\n';
    let text = head;
    let bytes = head.length;
    for (const [k, ch] of [[2, 'é'], [3, '€'], [4, '\u{1f600}']] as const) {
      const boundary = k * 65536;
      const prefix = '2024-01-03,Laptop,,lost,MOD,';
      const rows = Math.floor((boundary - 1 - bytes) / row.length) - 1;
      const line = `${row.repeat(rows)}${prefix}${'a'.repeat(boundary - 1 - bytes - rows * row.length - prefix.length)}${ch}\n`;
      text += line;
      bytes += Buffer.byteLength(line);
    }
    text += row.repeat(2000);
    const all = Buffer.from(text);
    for (const [k, ch] of [[2, 'é'], [3, '€'], [4, '\u{1f600}']] as const) expect(all.subarray(k * 65536 - 1, k * 65536 - 1 + Buffer.byteLength(ch)).toString()).toBe(ch);
    const file = tmp.write('straddle.csv', text);
    for (const splitBytes of [Number.POSITIVE_INFINITY, 1]) {
      const ds = (await read(file, { splitBytes })) as { records: Api.AssetRecord[] };
      const units = new Set(ds.records.map((r) => r.series.unit?.replace(/^a+/, '')));
      expect(units).toEqual(new Set(['Army', 'é', '€', '\u{1f600}']));
    }
  });

  it('blank lines around the cut are warned of as in one thread (those before it count once a row follows)', async () => {
    const head = 'date,category,quantity,status,department,unit\n';
    const rows = (n: number) => '2024-01-02,Laptop,,lost,MOD,Army\n'.repeat(n);
    // Rows, then 400 blank lines across the cut (55% of the way in), then rows.
    const file = tmp.write('blank-cut.csv', `${head}${rows(500)}${'\n'.repeat(400)}${rows(410)}`);
    const before = { ...splitUse };
    const two = (await read(file, { splitBytes: 1 })) as { inputs: Api.InputReport[] };
    expect(splitUse.used).toBe(before.used + 1);
    expect(two).toEqual(await read(file, { splitBytes: Number.POSITIVE_INFINITY }));
    expect(two.inputs[0]!.warnings.map((w) => w.line)).toEqual(Array.from({ length: 400 }, (_, i) => 502 + i));
  });

  it('a field too long in the second half fails as in one thread', async () => {
    const head = 'date,category,quantity,status,department,unit\n';
    const rows = Array.from({ length: 300 }, () => '2024-01-02,Laptop,,lost,MOD,Army\n').join('');
    const file = tmp.write('long-field.csv', `${head}${rows}${rows}2024-01-03,Laptop,,lost,MOD,${'x'.repeat((1 << 20) + 1)}\n${rows}`);
    const two = await read(file, { splitBytes: 1 });
    expect(two).toMatchObject({ error: 'FIELD_TOO_LARGE', position: { line: 602, column: 29 } });
    expect(two).toEqual(await read(file, { splitBytes: Number.POSITIVE_INFINITY }));
  });

  it('reports an error in the second half exactly as one thread does (the worker\'s own is never shown)', async () => {
    const head = 'date,category,quantity,status,department,unit\n';
    const rows = Array.from({ length: 300 }, () => '2024-01-02,Laptop,,lost,MOD,Army\n').join('');
    const file = tmp.write('late-error.csv', `${head}${rows}${rows}2024-01-03,Laptop,,lost,MOD,Ar"my\n`);
    const two = await read(file, { splitBytes: 1 });
    expect(two).toMatchObject({ error: 'BARE_QUOTE', position: { line: 602, column: 31 } });
    expect(two).toEqual(await read(file, { splitBytes: Number.POSITIVE_INFINITY }));
  });
});
