// Big incident logs are read on two threads (src/io/incident-split.ts). The cut must never show:
// on generated logs — quoted fields with commas, quotes and line breaks, CRLF, blank lines, bad
// rows, unknown names, both date formats, --lenient or not — reading with the cut (forced on
// small files) gives exactly what one thread gives: records, accounting, rejects, warnings, or
// the same error. The worker exists only in the build, so this runs against dist/.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type * as Api from '../src/index.js';
import { tempDir } from './helpers/cli.js';

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
      { numRuns: 150 },
    );
    // Not vacuous: in many runs the worker's half was the one used.
    expect(splitUse.used - before.used).toBeGreaterThan(30);
  });

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

  it('reports an error in the second half exactly as one thread does (the worker\'s own is never shown)', async () => {
    const head = 'date,category,quantity,status,department,unit\n';
    const rows = Array.from({ length: 300 }, () => '2024-01-02,Laptop,,lost,MOD,Army\n').join('');
    const file = tmp.write('late-error.csv', `${head}${rows}${rows}2024-01-03,Laptop,,lost,MOD,Ar"my\n`);
    const two = await read(file, { splitBytes: 1 });
    expect(two).toMatchObject({ error: 'BARE_QUOTE', position: { line: 602, column: 31 } });
    expect(two).toEqual(await read(file, { splitBytes: Number.POSITIVE_INFINITY }));
  });
});
