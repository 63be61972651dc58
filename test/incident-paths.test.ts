// Incident logs have two shortcuts, and neither may show in any result. On generated logs —
// quoted fields with commas, quotes and line breaks, CRLF, blank lines, bad rows, unknown names,
// both date formats, --lenient or not:
//  - big logs are read on two threads (src/io/incident-split.ts): with the cut forced on small
//    files, exactly what one thread gives — records, accounting, rejects, warnings, or the error;
//  - whole lines are read from their bytes, never decoded (IncidentSink.takeLines), when their
//    date is a real one and their series was seen before: the same bytes with that path switched
//    off, cut into chunks anywhere, with bytes that are not UTF-8 or a NUL put in anywhere, give
//    the same sums, accounting, rejects, warnings or error; and the same log with the date column
//    last gives the same records.
// The worker exists only in the build, so this runs against dist/.
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type * as Api from '../src/index.js';
import { tempDir } from './helpers/files.js';
import { defaultAliases } from '../src/engine/aliases.js';
import { CsvTokenizer } from '../src/io/csv.js';
import { type ByteTap, decodeChunks } from '../src/io/decode.js';
import { IncidentSink, lineTaker } from '../src/io/incidents.js';
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

describe('lines read from their bytes (the fast path)', () => {
  /**
   * The log's bytes, cut into chunks at `cuts`, through the decoder and the tokenizer into the
   * sink: with the sink's line taker (`fast`), or the general path alone (field by field, row by
   * row). What it sums, counts, rejects and warns of, or the error it stops with; and how many
   * lines the taker took.
   */
  const sums = async (bytes: Uint8Array, cuts: number[], fast: boolean, encoding: 'utf-8' | 'windows-1252' = 'utf-8', width = 6) => {
    const stats = emptyStats();
    const agg = new IncidentAggregator({ sourceId: 'log', file: 'log.csv', aliases: defaultAliases(), metadata: {} });
    // A seventh column, when there is one, is not read (a reference).
    const sink = new IncidentSink(agg, { date: 0, category: 1, quantity: 2, status: 3, department: 4, unit: 5 }, width, stats, 'log.csv', 1, ',');
    const tokenizer = new CsvTokenizer({ relaxQuotes: true });
    const tap: ByteTap = {};
    let taken = 0;
    const taker = lineTaker(sink, tokenizer)!;
    if (fast) tap.taker = { ready: () => taker.ready(), take: (b, f, t, u) => { const at = taker.take(b, f, t, u); taken += taker.lines; return at; }, get lines() { return taker.lines; } };
    const at = [...cuts.map((c) => c % (bytes.length + 1)), bytes.length].sort((x, y) => x - y);
    const chunks = at.map((cut, k) => bytes.subarray(k === 0 ? 0 : at[k - 1], cut));
    try {
      for await (const text of decodeChunks(chunks, encoding, {}, tap)) tokenizer.pushTo(text, sink);
      tokenizer.endTo(sink);
    } catch (err) {
      const e = err as Api.InputError;
      return { result: { error: e.code, message: e.message, position: e.position }, taken };
    }
    return { result: { part: agg.part(), stats, rejects: sink.rejects.kept, blanks: sink.blanks.inside, warnings: agg.warnings }, taken };
  };
  const utf8 = (text: string) => new Uint8Array(Buffer.from(text));

  // Bytes the taker must leave to the decoder: not UTF-8 (a lone continuation, a cut sequence,
  // an overlong one, a surrogate), a NUL, and UTF-8 it may take (é, €, an emoji).
  const odd = fc.constantFrom([0xff], [0x80], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80]);

  // Lines most of which the taker can take once their series is known, but not all.
  const mostly = <T>(usual: fc.Arbitrary<T>, any: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: usual }, { weight: 1, arbitrary: any });
  const takable = fc.oneof(
    {
      weight: 20,
      arbitrary: fc.record({
        ...cell,
        category: mostly(fc.constantFrom('Mobile phone', 'Laptop', '"Lap,top"'), cell.category),
        quantity: mostly(fc.constantFrom('', '1', '3'), cell.quantity),
        unit: mostly(fc.constantFrom('Army', 'Royal Navy', 'Unité 3', '"Site, 4"'), cell.unit),
      }),
    },
    { weight: 1, arbitrary: fc.constant('blank' as const) },
    { weight: 1, arbitrary: fc.constant('short' as const) },
  );

  it('gives what the decoder, the tokenizer and `add` give, however the bytes are cut (property)', async () => {
    let took = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(takable, { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(fc.nat(), cell.date), { minLength: 10, maxLength: 150 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), odd), { maxLength: 2 }),
        async (pool, picks, crlf, cuts, inserts) => {
          const lines = picks.map(([i, date]) => { const t = pool[i % pool.length]!; return typeof t === 'string' ? t : { ...t, date }; });
          const text = logText(lines as never, crlf ? '\r\n' : '\n', false).replace(/^[^\n]*\n/, '');
          const bytes = [...utf8(text)];
          for (const [at, b] of inserts) bytes.splice(at % (bytes.length + 1), 0, ...b);
          const all = new Uint8Array(bytes);
          const fast = await sums(all, cuts, true);
          expect(fast.result).toEqual((await sums(all, [], false)).result);
          took += fast.taken;
        },
      ),
      { numRuns: 400 },
    );
    // Not vacuous: the taker took many lines.
    expect(took).toBeGreaterThan(1000);
  });

  it('leaves bytes that are not UTF-8, or a NUL, in a column it does not read to the decoder (property)', async () => {
    let took = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('Army', 'Navy'), { minLength: 2, maxLength: 40 }), fc.nat(), fc.nat({ max: 3 }), odd, fc.array(fc.nat(), { maxLength: 3 }), async (units, line, at, insert, cuts) => {
        // The odd bytes go into one line's reference, quoted in every other line.
        const lines = units.map((u, i) => {
          const ref = [...utf8(`ref${i}`)];
          if (i === line % units.length) ref.splice(at, 0, ...insert);
          const quote = i % 2 ? [34] : [];
          return [...utf8(`2024-01-0${(i % 9) + 1},Laptop,,lost,MOD,${u},`), ...quote, ...ref, ...quote, 10];
        });
        const all = new Uint8Array(lines.flat());
        const fast = await sums(all, cuts, true, 'utf-8', 7);
        expect(fast.result).toEqual((await sums(all, [], false, 'utf-8', 7)).result);
        took += fast.taken;
      }),
      { numRuns: 300 },
    );
    expect(took).toBeGreaterThan(300);
  });

  it('takes quoted fields, CRLF, UTF-8 and repeated rows itself, and leaves doubled quotes, quoted line breaks and new series to the tokenizer', async () => {
    const text = [
      '2024-01-01,Laptop,,lost,MOD,"Unit 1, Site 2"',
      '2024-01-01,Laptop,,lost,MOD,"Unit 1, Site 2"',
      '2024-01-02,Laptop,2,lost,MOD,"Unit 1, Site 2"\r',
      '2024-01-02,Laptop,,lost,MOD,"Say ""hi"""',
      '2024-01-02,Laptop,,lost,MOD,"Say ""hi"""',
      '2024-01-01,Laptop,,lost,MOD,"two',
      'lines"',
      '2024-01-03,Laptop,,lost,MOD,Unité 3',
      '2024-01-04,Laptop,,lost,MOD,Unité 3',
      '',
    ].join('\n');
    const fast = await sums(utf8(text), [], true);
    expect(fast.result).toEqual((await sums(utf8(text), [], false)).result);
    const result = fast.result as { part: IncidentPart; stats: { rows_read: number } };
    expect(result.stats.rows_read).toBe(8);
    expect(result.part.series.map((x) => [x.unit, [...x.counts].reduce((a, b) => a + b, 0)])).toEqual([['Unit 1, Site 2', 4], ['Say "hi"', 2], ['two\nlines', 1], ['Unité 3', 2]]);
    // Taken: the second and third lines, and the second "Unité 3".
    expect(fast.taken).toBe(3);
  });

  it('reads plain lines itself: only the first of a series goes through `add`, and its date is read from the digits', async () => {
    const stats = emptyStats();
    const agg = new IncidentAggregator({ sourceId: 'log', file: 'log.csv', aliases: defaultAliases(), metadata: {} });
    const sink = new IncidentSink(agg, { date: 0, category: 1, quantity: 2, status: 3, department: 4, unit: 5 }, 6, stats, 'log.csv', 1, ',');
    const add = vi.spyOn(agg, 'add');
    const text = ['2024-01-01,Laptop,,lost,MOD,Unit 1', '2024-01-01,Laptop,,lost,MOD,Unit 1', '2024-01-02,Laptop,12,lost,MOD,Unit 1\r', '2024-02-29,Laptop,3,lost,MOD,Unit 1', ''].join('\n');
    const tokenizer = new CsvTokenizer({});
    for await (const t of decodeChunks([utf8(text)], 'utf-8', {}, { taker: lineTaker(sink, tokenizer) })) tokenizer.pushTo(t, sink);
    tokenizer.endTo(sink);
    expect(add).toHaveBeenCalledTimes(1);
    expect(stats.rows_accepted).toBe(4);
    const [series] = agg.part().series;
    expect([...series!.counts].reduce((a, b) => a + b, 0)).toBe(17);
    expect(agg.span()).toEqual({ start: Date.UTC(2024, 0, 1) / 86400000, end: Date.UTC(2024, 1, 29) / 86400000 });
  });

  it('leaves a date that is not a real one, or not in the log\'s format, to `add` (a reject)', async () => {
    const text = ['2024-01-01,Laptop,,lost,MOD,Army', '2023-02-29,Laptop,,lost,MOD,Army', '2024-13-01,Laptop,,lost,MOD,Army', '2024-00-10,Laptop,,lost,MOD,Army', '0000-01-01,Laptop,,lost,MOD,Army', '01/02/2024,Laptop,,lost,MOD,Army', '2024-04-31,Laptop,,lost,MOD,Army', '2024-1-01x,Laptop,,lost,MOD,Army', ''].join('\n');
    const fast = await sums(utf8(text), [], true);
    expect(fast.result).toEqual((await sums(utf8(text), [], false)).result);
    expect((fast.result as { stats: { rows_accepted: number; rows_rejected: number } }).stats).toMatchObject({ rows_accepted: 1, rows_rejected: 7 });
  });

  it('tells apart series whose bytes hash alike ("Aa" and "BB"): the bytes are compared, not only their hash', async () => {
    const text = ['2024-01-01,Laptop,,lost,MOD,Aa', '2024-01-01,Laptop,,lost,MOD,Aa', '2024-01-01,Laptop,,lost,MOD,BB', '2024-01-01,Laptop,,lost,MOD,Aa', ''].join('\n');
    const fast = (await sums(utf8(text), [], true)).result as { part: IncidentPart };
    expect(fast.part.series.map((x) => [x.unit, [...x.counts].reduce((a, b) => a + b, 0)])).toEqual([['Aa', 3], ['BB', 1]]);
  });

  it('knows series whose bytes fill its table many times over (the table grows, none is lost)', async () => {
    // 600 units of 40 bytes and more: 24 KB of series bytes, past the 4 KB the table starts with.
    const units = Array.from({ length: 600 }, (_, i) => `Regional support unit number ${String(i).padStart(4, '0')} ${'x'.repeat(i % 7)}`);
    const text = [...units, ...units].map((u, i) => `2024-01-0${(i % 9) + 1},Laptop,,lost,MOD,${u}`).join('\n') + '\n';
    const fast = await sums(utf8(text), [], true);
    expect(fast.result).toEqual((await sums(utf8(text), [], false)).result);
    // The second of each, but for those in the piece decoded whole after the first 600 misses.
    expect(fast.taken).toBeGreaterThan(400);
  });

  it('leaves a line with too many or too few fields to the tokenizer (a reject, never a row read short)', async () => {
    const text = ['2024-01-01,Laptop,,lost,MOD,Army', '2024-01-01,Laptop,,lost,MOD,Army,extra', '2024-01-01,Laptop,,lost,MOD', ''].join('\n');
    const fast = await sums(utf8(text), [], true);
    expect(fast.result).toEqual((await sums(utf8(text), [], false)).result);
    expect((fast.result as { stats: unknown }).stats).toMatchObject({ rows_accepted: 1, rows_rejected: 2 });
  });

  it('names the byte and line of bytes that are not UTF-8 after lines it took, as the decoder alone does', async () => {
    const row = '2024-01-01,Laptop,,lost,MOD,Army\n';
    const bytes = new Uint8Array([...utf8(row.repeat(50)), ...utf8('2024-01-01,Laptop,,lost,MOD,Ar'), 0xe9, ...utf8('my\n'), ...utf8(row)]);
    const fast = await sums(bytes, [700], true);
    expect(fast.result).toEqual({ error: 'NOT_UTF8', message: `not valid UTF-8 at byte ${row.length * 50 + 30} (line 51, byte 0xE9); try --encoding windows-1252`, position: { line: 51 } });
    expect(fast.result).toEqual((await sums(bytes, [], false)).result);
    // Not the first (read by `add`), nor the one across the cut (the tokenizer holds its start).
    expect(fast.taken).toBe(48);
  });

  it('in Windows-1252, takes ASCII lines and leaves the others to the decoder', async () => {
    const text = ['2024-01-01,Laptop,,lost,MOD,Army', '2024-01-01,Laptop,,lost,MOD,Army', '2024-01-01,Laptop,,lost,MOD,Unité', '2024-01-01,Laptop,,lost,MOD,Unité', ''].join('\n');
    const bytes = new Uint8Array(Buffer.from(text, 'latin1'));
    const fast = await sums(bytes, [], true, 'windows-1252');
    expect(fast.result).toEqual((await sums(bytes, [], false, 'windows-1252')).result);
    expect((fast.result as { part: IncidentPart }).part.series.map((x) => x.unit)).toEqual(['Army', 'Unité']);
    expect(fast.taken).toBe(1);
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
