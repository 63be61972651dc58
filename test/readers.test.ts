// The readers in-process, where properties are cheap: line endings and row order do not change
// records; any text the tool writes in csv/tsv/json reads back as the same text (formula guard,
// quotes, tabs, newlines, backslashes); aliases keep unknown names whole.
import { readdirSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { InputError } from '../src/model/diagnostics.js';
import { defaultAliases, resolveCategory, resolveDepartment, resolveStatus } from '../src/engine/aliases.js';
import { recordRow, unescapeTsv, unneutralise } from '../src/model/record-row.js';
import { CATEGORIES, STATUSES } from '../src/model/vocab.js';
import { render } from '../src/format/index.js';
import { recordsReport } from '../src/format/records-view.js';
import { neutralise } from '../src/format/report.js';
import { type Dataset, loadInputs } from '../src/io/load.js';
import { expandDaily } from '../src/engine/daily.js';
import type { AssetRecord } from '../src/model/model.js';

const aliases = defaultAliases();

/** Reads text as if it came on stdin; `delimiter` for TSV (stdin has no extension). */
async function read(text: string, extra: { delimiter?: string; lenient?: boolean } = {}): Promise<Dataset> {
  const d = await loadInputs(['-'], { aliases, stdin: Readable.from([Buffer.from(text, 'utf8')]), ...extra });
  return { ...d, records: expandDaily(d.records) };
}

const rowsOf = (d: Dataset) => d.records.map((r) => recordRow(r, d.sources.find((s) => s.id === r.provenance.source_id)));
/** Records without their positions, for comparisons across layouts of the same data. */
const content = (d: Dataset) => rowsOf(d).map(({ line: _l, column: _c, ...rest }) => rest);

describe('line endings and row order', () => {
  const cell = fc.oneof(fc.nat({ max: 5000 }).map(String), fc.constantFrom('<5', '[c]', '..', '[x]', '12[r]', '"1,234"', '7*', ''));
  const longFile = fc.uniqueArray(
    fc.record({ month: fc.integer({ min: 1, max: 12 }), year: fc.integer({ min: 2015, max: 2025 }), cat: fc.constantFrom('Laptops', 'Mobile phones', 'Desktops', 'USB sticks'), count: cell }),
    { minLength: 1, maxLength: 25, selector: (r) => `${r.year}-${r.month}-${r.cat}` },
  );
  const toLong = (rows: { month: number; year: number; cat: string; count: string }[]) =>
    `# department: Home Office\nperiod,category,count\n${rows.map((r) => `${r.year}-${String(r.month).padStart(2, '0')},${r.cat},${r.count}`).join('\n')}\n`;

  it('CRLF gives the same records as LF, positions included (bad-inputs 6)', async () => {
    await fc.assert(fc.asyncProperty(longFile, async (rows) => {
      const lf = toLong(rows);
      expect(rowsOf(await read(lf.replace(/\n/g, '\r\n')))).toEqual(rowsOf(await read(lf)));
    }), { numRuns: 60 });
  });

  it('the order of rows does not change the set of records', async () => {
    await fc.assert(fc.asyncProperty(longFile.chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }))), async ([rows, shuffled]) => {
      const key = (r: ReturnType<typeof content>[number]) => `${r.start}|${r.category}`;
      const a = content(await read(toLong(rows))).sort((x, y) => key(x).localeCompare(key(y)));
      const b = content(await read(toLong(shuffled))).sort((x, y) => key(x).localeCompare(key(y)));
      expect(b).toEqual(a);
    }), { numRuns: 60 });
  });

  it('a wide answer and its transposition give the same records', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.array(fc.nat({ max: 999 }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 12 }),
      async (grid) => {
        const months = grid.map((_, k) => `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][k]}-24`);
        const cats = ['Laptops', 'Phones', 'USBs'];
        const wide = `# department: MOD\nMonth,${cats.join(',')}\n${grid.map((r, k) => `${months[k]},${r.join(',')}`).join('\n')}\n`;
        const transposed = `# department: MOD\n,${months.join(',')}\n${cats.map((c, j) => `${c},${grid.map((r) => r[j]).join(',')}`).join('\n')}\n`;
        const strip = (d: Dataset) => content(d).map(({ row_label: _r, column_label: _c, ...rest }) => rest)
          .sort((x, y) => `${x.start}${x.category}`.localeCompare(`${y.start}${y.category}`));
        const [a, b] = [await read(wide), await read(transposed)];
        expect([a.inputs[0]!.layout, b.inputs[0]!.layout]).toEqual(['wide', 'transposed']);
        expect(strip(b)).toEqual(strip(a));
      },
    ), { numRuns: 40 });
  });
});

describe('any text survives the records formats', () => {
  // Text the long reader keeps as written: no surrounding space (cells are trimmed), no NUL, not
  // a department alias (those become codes).
  const text = fc.string({ unit: fc.constantFrom('=', '+', '-', '@', "'", '"', ',', ';', '\t', '\n', '\r', '\r\n', '\\', 'n', 't', 'a', 'é', '€', ' ', '|', '#'), minLength: 1, maxLength: 12 })
    .filter((t) => t === t.trim() && t !== '' && !/^#/.test(t));
  const department = text.filter((t) => resolveDepartment(aliases, t).value === t && !resolveDepartment(aliases, t).known);

  function datasetOf(rows: { department: string; unit: string; label: string; raw: string }[]): Dataset {
    const records: AssetRecord[] = rows.map((r, k) => ({
      series: { department: r.department, category: CATEGORIES[k % CATEGORIES.length]!, status: STATUSES[k % STATUSES.length]!, unit: r.unit },
      period: { start: `2024-01-${String(k + 1).padStart(2, '0')}`, end: `2024-01-${String(k + 1).padStart(2, '0')}`, label: r.label, kind: 'day' },
      count: { kind: 'exact', value: k, flags: k % 2 ? ['r'] : [] },
      provenance: { source_id: 'answer', file: 'answer.csv', line: k + 2, column: 3, raw: r.raw, row_label: r.label, column_label: r.raw },
    }));
    return { inputs: [], sources: [{ id: 'answer', file: 'answer.csv', layout: 'wide', encoding: 'utf-8', metadata: {}, vintage: { date: '2024-02-01', basis: 'answered', position: 0 } }], records };
  }

  const rows = fc.array(fc.record({ department, unit: text, label: text, raw: text }), { minLength: 1, maxLength: 8 });

  it.each([['csv', ','], ['tsv', '\t'], ['json', undefined], ['ndjson', undefined]] as const)('%s', async (format, delimiter) => {
    await fc.assert(fc.asyncProperty(rows, async (rs) => {
      const original = datasetOf(rs);
      const chunks = await render(format, recordsReport(original, original.records, false), { color: false });
      const back = await read([...chunks].join(''), { delimiter });
      expect(back.inputs[0]!.rejects).toEqual([]);
      expect(rowsOf(back)).toEqual(rowsOf(original));
    }), { numRuns: 150 });
  });

  it('neutralise and unneutralise are inverse; unescapeTsv undoes the TSV escapes', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '＝', '＋', '－', '＠', "'", '\t', '\r', 'a', '\\', 'n') }), (t) => {
      expect(unneutralise(neutralise(t))).toBe(t);
      const escaped = t.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
      expect(unescapeTsv(escaped)).toBe(t);
    }));
    expect(neutralise("'=x")).toBe("''=x");
    expect(neutralise("'plain")).toBe("'plain");
    // Full-width signs are neutralised too (see neutralise), and read back exactly.
    for (const sign of ['＝', '＋', '－', '＠']) expect(neutralise(`${sign}HYPERLINK("x")`)).toBe(`'${sign}HYPERLINK("x")`);
  });

  it('a user CSV that is not the tool\'s own keeps a leading quote as written', async () => {
    const d = await read("period,category,count,department\n2024-01,Laptops,1,'=x\n");
    expect(d.records[0]!.series.department).toBe("'=x");
  });
});

describe('aliases', () => {
  it.each([
    ['Ministry of Defence', 'MOD', true],
    ['Ministry of Defence (including agencies)', 'MOD', true],
    ['  HOME OFFICE ', 'HO', true],
    ['=HYPERLINK("http://x","Home Office")', '=HYPERLINK("http://x","Home Office")', false],
    ['Office for Silly Walks (OSW)', 'Office for Silly Walks (OSW)', false],
  ])('department %j → %j (known: %s)', (label, value, known) => {
    expect(resolveDepartment(aliases, label)).toMatchObject({ value, known });
  });

  it.each([
    ['Mobile phones/BlackBerrys', 'phone', true],
    ['Desktop computers', 'computer', true],
    ['Memory sticks', 'usb', true],
    ['Hard disk drives', 'hard-drive', true],
    ['@Laptops', 'laptop', true],
    ['Tamagotchis', 'tamagotchis', false],
  ])('category %j → %j (known: %s)', (label, value, known) => {
    expect(resolveCategory(aliases, label)).toMatchObject({ value, known });
  });

  it.each([
    ['misplaced, lost or stolen', 'lost-or-stolen'],
    ['lost or stolen (amalgamated; the MoD does not split them)', 'lost-or-stolen'],
    ['unaccounted for', 'lost-or-stolen'],
    ['misplaced', 'lost'],
    ['Theft!', 'stolen'],
    ['Destroyed (beyond repair)', 'destroyed-beyond-repair'],
  ])('status %j → %j', (label, value) => {
    expect(resolveStatus(aliases, label).value).toBe(value);
  });

  it('canonical names resolve to themselves (the records CSV is read through the same tables)', () => {
    for (const c of CATEGORIES) expect(resolveCategory(aliases, c)).toEqual({ value: c, known: true });
    for (const s of STATUSES) expect(resolveStatus(aliases, s)).toMatchObject({ value: s, known: true });
    for (const code of ['MOD', 'HO', 'MOJ', 'DWP', 'HMRC', 'DHSC']) expect(resolveDepartment(aliases, code)).toMatchObject({ value: code, known: true });
  });
});

describe('chunks of input', () => {
  // To tell the format, the first line is read whole (with the next line's first character);
  // so that every later chunk reaches the readers as it comes, texts get a long first line of
  // metadata and are cut after it.
  const TITLE = `# title: ${'x'.repeat(5000)}\n`;
  /** The dataset read from stdin given in these chunks, or the error as data. */
  const readParts = async (parts: (string | Uint8Array)[]) => {
    try {
      const d = await loadInputs(['-'], { aliases, stdin: Readable.from(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))) });
      return { sources: d.sources, records: expandDaily(d.records), inputs: d.inputs };
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return { code: e.code, message: e.message, position: e.position };
    }
  };
  /** `text` cut at the given points (taken modulo what follows `from`), as chunks. */
  const cut = <T extends string | Uint8Array>(text: T, from: number, cuts: number[]): T[] => {
    const points = [...new Set(cuts.map((c) => from + (c % (text.length - from + 1))))].sort((a, b) => a - b);
    return [0, ...points].map((p, i, all) => text.slice(p, all[i + 1] ?? text.length) as T);
  };
  const builtinTexts = () => readdirSync('fixtures/builtin').filter((f) => f.endsWith('.csv')).map((f) => readFileSync(`fixtures/builtin/${f}`, 'utf8'));

  it('metadata lines are read whatever the chunks (one used to end at a chunk boundary: the rest became the header)', async () => {
    const text = '# department: Home Office\r\n# answered: 2025-03-01\n# note: x\nperiod,category,count\n2024-01,Laptops,3\n2024-02,Laptops,<5\n';
    const whole = await readParts([TITLE + text]);
    expect((whole as { sources: { metadata: object }[] }).sources[0]!.metadata).toMatchObject({ department: 'Home Office', answered: '2025-03-01', note: 'x' });
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j += 7) {
        expect(await readParts([TITLE + text.slice(0, i), text.slice(i, j), text.slice(j)]), `cut at ${i} and ${j}`).toEqual(whole);
      }
    }
  });

  it('every built-in answer and an incident log give the same dataset however their text is cut into chunks (property)', async () => {
    const incidents = 'date,category,quantity,status,department,unit\n2024-01-02,Laptop,,lost,MOD,"Army, ""HQ"""\r\n2024-01-03,Mobile phone,2,stolen,MOD,"two\nlines"\n\n2024-01-04,USB stick,,lost,MOD,Navy\n';
    const texts = [...builtinTexts(), incidents].map((t) => TITLE + t);
    const wholes = await Promise.all(texts.map((t) => readParts([t])));
    expect(wholes.every((w) => 'records' in w && w.records.length > 0)).toBe(true);
    await fc.assert(fc.asyncProperty(fc.nat({ max: texts.length - 1 }), fc.array(fc.nat(), { maxLength: 8 }), async (k, cuts) => {
      expect(await readParts(cut(texts[k]!, TITLE.length + 1, cuts))).toEqual(wholes[k]);
    }), { numRuns: 150 });
  });

  it('JSON and NDJSON (records and an incident log) read from random chunks give the dataset read whole (property)', async () => {
    const { records } = await loadInputs(readdirSync('fixtures/builtin').filter((f) => f.endsWith('.csv')).map((f) => `fixtures/builtin/${f}`), { aliases });
    const rows = records.map((r) => recordRow(r));
    const incidents = Array.from({ length: 120 }, (_, i) => JSON.stringify({ date: `2024-02-${String((i % 28) + 1).padStart(2, '0')}`, category: ['Laptop', 'Mobile phone'][i % 2], status: 'lost', department: 'MOD', unit: `Unit "${i % 5}"\n` })).join('\n');
    const texts = [JSON.stringify({ records: rows }, null, 2), rows.map((r) => JSON.stringify(r)).join('\r\n'), `${incidents}\n`];
    const wholes = (await Promise.all(texts.map((t) => readParts([t])))) as { inputs: { format: string; layout: string }[]; records: unknown[] }[];
    expect(wholes.map((w) => [w.inputs[0]!.format, w.inputs[0]!.layout, w.records.length > 100])).toEqual([['json', 'long', true], ['ndjson', 'long', true], ['ndjson', 'incidents', true]]);
    await fc.assert(fc.asyncProperty(fc.nat({ max: texts.length - 1 }), fc.array(fc.nat(), { maxLength: 8 }), async (k, cuts) => {
      // Cut after the first line and the next one's start (read whole to tell the format).
      const text = texts[k]!;
      expect(await readParts(cut(text, text.search(/\n\s*\S/) + 2, cuts))).toEqual(wholes[k]);
    }), { numRuns: 150 });
  });

  it('with errors in the text (a bare quote, a bad byte, a NUL, a header on two chunks), the same error however it is cut (property)', async () => {
    const incidents = `date,category,quantity,status,department,unit\n${Array.from({ length: 60 }, (_, i) => `2024-01-${String((i % 28) + 1).padStart(2, '0')},Laptop,,lost,MOD,"Unit ${i}"\n`).join('')}`;
    const semicolons = `Month;Laptops;Phones\n${Array.from({ length: 40 }, (_, i) => `2024-${String((i % 12) + 1).padStart(2, '0')};${i};${i + 1}\n`).join('')}`;
    const texts = [...builtinTexts(), incidents, semicolons];
    const damage = fc.constantFrom<Uint8Array>(Buffer.from('x"y'), Uint8Array.of(0xff), Uint8Array.of(0), new Uint8Array(0));
    await fc.assert(fc.asyncProperty(fc.nat({ max: texts.length - 1 }), fc.array(fc.tuple(fc.nat(), damage), { maxLength: 2 }), fc.array(fc.nat(), { maxLength: 8 }), async (k, harms, cuts) => {
      let bytes = new Uint8Array(Buffer.from(TITLE + texts[k]!));
      for (const [at, insert] of harms) {
        const p = TITLE.length + 1 + (at % (bytes.length - TITLE.length - 1));
        bytes = new Uint8Array(Buffer.concat([bytes.subarray(0, p), insert, bytes.subarray(p)]));
      }
      expect(await readParts(cut(bytes, TITLE.length + 1, cuts))).toEqual(await readParts([bytes]));
    }), { numRuns: 300 });
  });

  it('the format is told from the first line whole, however long and however cut (an NDJSON log with a 5,000-character first line)', async () => {
    const line = (i: number, unit: string) => JSON.stringify({ date: `2024-03-0${(i % 9) + 1}`, category: 'Laptop', status: 'lost', department: 'MOD', unit });
    const bytes = Buffer.from(`${[line(0, 'u'.repeat(5000)), ...Array.from({ length: 30 }, (_, i) => line(i + 1, `Unit ${i}`))].join('\n')}\n`);
    const inChunksOf = (size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
    const whole = (await readParts([bytes])) as { inputs: { format: string; layout: string; stats: { rows_accepted: number } }[] };
    expect([whole.inputs[0]!.format, whole.inputs[0]!.layout, whole.inputs[0]!.stats.rows_accepted]).toEqual(['ndjson', 'incidents', 31]);
    for (const size of [1000, 4095, 4096, 5001, 5003]) expect(await readParts(inChunksOf(size))).toEqual(whole);
  });
});
