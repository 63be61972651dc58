// The CSV tokenizer (bad-inputs 6, 7, 14-18, 46): fields with their positions, line endings,
// quote errors, blank lines, chunked feeding, and agreement with csv-parse on well-formed CSV.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { InputError } from '../src/model/diagnostics.js';
import { type CsvOptions, CsvTokenizer, parseCsv, RowCollector, type RowSink } from '../src/io/csv.js';
import type { InputRow } from '../src/read/table.js';

/** Rows, or the error as data, so a thrown error can be compared too. */
function outcome(run: () => InputRow[]): InputRow[] | { code: string; position: unknown; message: string } {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { code: e.code, position: e.position, message: e.message };
  }
}

function parseChunked(chunks: string[], options?: CsvOptions): InputRow[] {
  const t = new CsvTokenizer(options);
  const rows: InputRow[] = [];
  for (const c of chunks) rows.push(...t.push(c));
  rows.push(...t.end());
  return rows;
}

function errorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('parseCsv: fields and positions', () => {
  it('gives each field with its line and column', () => {
    expect(parseCsv('Month,Laptops,Phones\nJan-25,3,12\n')).toEqual([
      { fields: ['Month', 'Laptops', 'Phones'], line: 1, columns: [1, 7, 15], blank: false },
      { fields: ['Jan-25', '3', '12'], line: 2, columns: [1, 8, 10], blank: false },
    ]);
  });

  it('counts the lines inside a quoted field, so later rows and columns are right (bad-inputs 18)', () => {
    const rows = parseCsv('Department,Count\n"Ministry\nof\nDefence",12\nHome Office,3\n"a","b\nc",d\ne\n');
    expect(rows.map((r) => [r.line, r.fields, r.columns])).toEqual([
      [1, ['Department', 'Count'], [1, 12]],
      [2, ['Ministry\nof\nDefence', '12'], [1, 10]], // "12" starts at column 10 of line 4
      [5, ['Home Office', '3'], [1, 13]],
      [6, ['a', 'b\nc', 'd'], [1, 5, 4]], // "d" starts at column 4 of line 7
      [8, ['e'], [1], ],
    ]);
  });

  it('positions an error after a multi-line quoted field on its real line', () => {
    const e = errorOf(() => parseCsv('a,b\n"x\ny\nz",1\nok,2\nbad"quote,3\n'));
    expect(e.code).toBe('BARE_QUOTE');
    expect(e.position).toEqual({ line: 6, column: 4 });
  });

  it('handles doubled quotes, empty quoted fields and empty unquoted fields', () => {
    expect(parseCsv('"say ""hi""",,""\n,\n').map((r) => r.fields)).toEqual([['say "hi"', '', ''], ['', '']]);
  });

  it('marks blank lines, and a trailing newline gives no extra row (bad-inputs 14, 15)', () => {
    const rows = parseCsv('a,b\n\n1,2\n\n\n');
    expect(rows.map((r) => [r.line, r.blank, r.fields])).toEqual([
      [1, false, ['a', 'b']],
      [2, true, ['']],
      [3, false, ['1', '2']],
      [4, true, ['']],
      [5, true, ['']],
    ]);
    expect(parseCsv('a,b\n1,2\n')).toHaveLength(2);
    expect(parseCsv('a,b\n1,2')).toHaveLength(2);
    expect(parseCsv('a,b\r\n1,2\r\n')).toHaveLength(2);
    expect(parseCsv('')).toEqual([]);
  });

  it('does not mark a quoted empty field or a lone delimiter as blank', () => {
    expect(parseCsv('""\n,\n').map((r) => r.blank)).toEqual([false, false]);
  });

  it('uses another delimiter when told, and refuses impossible ones', () => {
    expect(parseCsv('a;b,c\n"x;y";2\n', { delimiter: ';' }).map((r) => r.fields)).toEqual([['a', 'b,c'], ['x;y', '2']]);
    expect(parseCsv('a\tb\n1\t2\n', { delimiter: '\t' }).map((r) => r.fields)).toEqual([['a', 'b'], ['1', '2']]);
    for (const d of ['"', '\n', ';;', '']) expect(errorOf(() => new CsvTokenizer({ delimiter: d })).code).toBe('BAD_DELIMITER');
  });
});

describe('parseCsv: line endings (bad-inputs 6, 7)', () => {
  it('reads CRLF like LF, keeping a CRLF inside quotes as data', () => {
    expect(parseCsv('a,b\r\n"x\r\ny",2\r\n')).toEqual([
      { fields: ['a', 'b'], line: 1, columns: [1, 3], blank: false },
      // The second field starts on line 3 (after the quoted line break), at column 4.
      { fields: ['x\r\ny', '2'], line: 2, columns: [1, 4], lines: [2, 3], blank: false },
    ]);
  });

  it('refuses CR-only line endings instead of making one giant record', () => {
    const e = errorOf(() => parseCsv('a,b\r1,2\r3,4\r'));
    expect(e.code).toBe('CR_LINE_ENDINGS');
    expect(e.position).toEqual({ line: 1, column: 4 });
    expect(errorOf(() => parseCsv('a,b\n1,2\r3,4\n')).position).toEqual({ line: 2, column: 4 });
    expect(errorOf(() => parseCsv('"a"\r"b"')).code).toBe('CR_LINE_ENDINGS');
  });
});

describe('parseCsv: quote errors (bad-inputs 16, 17)', () => {
  it('names the line where an unterminated quote was opened', () => {
    const e = errorOf(() => parseCsv('Department,Count\nMoD,3\n"Home Office,12\nDfE,4\n'));
    expect(e.code).toBe('QUOTE_NOT_CLOSED');
    expect(e.message).toMatch(/quote opened at line 3 not closed/);
    expect(e.position).toEqual({ line: 3, column: 1 });
  });

  it('refuses a bare quote in an unquoted field unless relaxQuotes', () => {
    const text = 'Phone,Where\n2095257564,37.8"N 121\n';
    const e = errorOf(() => parseCsv(text));
    expect(e.code).toBe('BARE_QUOTE');
    expect(e.position).toEqual({ line: 2, column: 16 });
    expect(parseCsv(text, { relaxQuotes: true })[1]!.fields).toEqual(['2095257564', '37.8"N 121']);
  });

  it('refuses text after a closing quote unless relaxQuotes', () => {
    expect(errorOf(() => parseCsv('"a"b,c\n')).code).toBe('TEXT_AFTER_QUOTE');
    expect(parseCsv('"a"b,c\n', { relaxQuotes: true })[0]!.fields).toEqual(['ab', 'c']);
  });
});

describe('CsvTokenizer: size limits (bad-inputs 46)', () => {
  it('fails fast on a field longer than maxField, quoted or not, even while streaming', () => {
    const options = { maxField: 100 };
    expect(errorOf(() => parseCsv(`a,${'x'.repeat(101)}\n`, options)).code).toBe('FIELD_TOO_LARGE');
    expect(errorOf(() => parseCsv(`a,"${'x'.repeat(101)}"\n`, options)).code).toBe('FIELD_TOO_LARGE');
    // Streaming with no newline in sight: the buffer must not grow without limit.
    for (const open of ['', '"']) {
      const t = new CsvTokenizer(options);
      t.push(`a,${open}`);
      const e = errorOf(() => { for (let i = 0; i < 100; i++) t.push('x'.repeat(50)); });
      expect(e.code).toBe('FIELD_TOO_LARGE');
    }
  });

  it('fails fast on a row that never ends, even when its fields are short', () => {
    const t = new CsvTokenizer({ maxField: 100 });
    t.push('a,b\n');
    const e = errorOf(() => { for (let i = 0; i < 100; i++) t.push(',x'.repeat(25)); });
    expect(e.code).toBe('ROW_TOO_LARGE');
    expect(e.position).toEqual({ line: 2, column: 1 });
  });

  it('accepts a field of exactly maxField characters', () => {
    expect(parseCsv(`${'x'.repeat(100)}\n`, { maxField: 100 })[0]!.fields[0]).toHaveLength(100);
  });
});

const SAMPLES = [
  'Month,Laptops,Phones\nJan-25,3,12\nFeb-25,,"1,234"\n',
  'a,b\r\n"x\r\ny",2\r\n\r\n"say ""hi""",3',
  'Department,Count\n"Ministry\nof\nDefence",12\n\nHome Office,3\n',
  '"",""\n,\n\n',
  'a,b\n"unterminated,1\n',
  'a,b\r1,2\r',
  'a,b\nbad"quote,1\n',
  '"a"b,c\n',
];

describe('CsvTokenizer: chunked feeding', () => {
  it.each(SAMPLES.map((s) => [JSON.stringify(s), s] as const))('split at every position of %s gives the one-shot result', (_, text) => {
    const whole = outcome(() => parseCsv(text));
    for (let i = 0; i <= text.length; i++) {
      expect(outcome(() => parseChunked([text.slice(0, i), text.slice(i)]))).toEqual(whole);
    }
    // One character at a time.
    expect(outcome(() => parseChunked([...text]))).toEqual(whole);
  });

  it('random chunking gives the one-shot result (property)', () => {
    fc.assert(fc.property(csvDocument(), fc.array(fc.nat(), { maxLength: 12 }), (doc, cuts) => {
      const text = doc.text;
      const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
      const chunks = [0, ...points].map((p, k, all) => text.slice(p, all[k + 1] ?? text.length));
      expect(outcome(() => parseChunked(chunks))).toEqual(outcome(() => parseCsv(text)));
    }));
  });

  it('random chunking of arbitrary text (errors included) gives the one-shot result (property)', () => {
    const alphabet = fc.constantFrom('a', '1', ',', '"', '\n', '\r', ' ');
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 40 }).map((cs) => cs.join('')), fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
      const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
      const chunks = [0, ...points].map((p, k, all) => text.slice(p, all[k + 1] ?? text.length));
      expect(outcome(() => parseChunked(chunks))).toEqual(outcome(() => parseCsv(text)));
    }), { numRuns: 500 });
  });

  it.each([
    ['a,"a""b"\n', 1], ['a,"a""b"\n', 2], ['"ab""cd""ef"\n', 3], ['a,"a"b\n', 1], ['aaaa,"a""""b",c\r\n', 2], ['a,,,,,,,,,"x"\n', 2],
  ] as const)('size limits: %j with maxField %i, cut at every point and a character at a time, fails as read whole', (text, maxField) => {
    // A doubled quote cut in two where both limits are passed was once read as the row's
    // overflow in chunks and as the field's when whole.
    for (const relaxQuotes of [false, true]) {
      const options = { maxField, relaxQuotes };
      const whole = outcome(() => parseCsv(text, options));
      for (let i = 0; i <= text.length; i++) expect(outcome(() => parseChunked([text.slice(0, i), text.slice(i)], options))).toEqual(whole);
      expect(outcome(() => parseChunked([...text], options))).toEqual(whole);
    }
  });

  it('size limits too: a field or row too long fails the same way however the text is cut (property)', () => {
    // With maxField 3 a row may hold 12 characters: most generated texts cross one limit or both,
    // with quotes, delimiters and line breaks around the crossing point.
    const options = { maxField: 3 };
    for (const relaxQuotes of [false, true]) {
      const alphabet = fc.oneof({ weight: 12, arbitrary: fc.constantFrom('a', ',') }, { weight: 2, arbitrary: fc.constantFrom('"', '""', '\n', '\r') });
      fc.assert(fc.property(fc.array(alphabet, { maxLength: 40, size: 'max' }).map((cs) => cs.join('')), fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((p, k, all) => text.slice(p, all[k + 1] ?? text.length));
        expect(outcome(() => parseChunked(chunks, { ...options, relaxQuotes }))).toEqual(outcome(() => parseCsv(text, { ...options, relaxQuotes })));
      }), { numRuns: 2000 });
    }
  });
});

describe('CsvTokenizer: whole lines at once', () => {
  /** The rows and the error (as data) of a read in chunks, through `sink`. */
  function readThrough(chunks: string[], options: CsvOptions, make: (c: RowCollector) => RowSink) {
    const collector = new RowCollector(options.delimiter ?? ',', options.maxFields ?? 10_000);
    const sink = make(collector);
    const t = new CsvTokenizer(options);
    const error = outcome(() => {
      for (const c of chunks) t.pushTo(c, sink);
      t.endTo(sink);
      return [];
    });
    return { rows: collector.rows, error };
  }
  /** The collector without its fast path: every row through the tokenizer's loop, field by field. */
  const fieldByField = (c: RowCollector): RowSink => ({ start: () => c.start(), wants: () => true, field: (i, v, l, col) => c.field(i, v, l, col), row: (l, n, b) => c.row(l, n, b) });

  it('give the rows, positions and errors the field-by-field loop gives, however the text is cut (property)', () => {
    const alphabet = fc.oneof({ weight: 10, arbitrary: fc.constantFrom('a', 'b', ',', ';') }, { weight: 3, arbitrary: fc.constantFrom('\n', '\r\n') }, { weight: 1, arbitrary: fc.constantFrom('"', '\r', '""') });
    const options = fc.record({ delimiter: fc.constantFrom(',', ';'), maxField: fc.constantFrom(4, 1 << 20), maxFields: fc.constantFrom(3, 10_000), relaxQuotes: fc.boolean() });
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 60 }).map((cs) => cs.join('')), fc.array(fc.nat(), { maxLength: 6 }), options, (text, cuts, opts) => {
      const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
      const chunks = [0, ...points].map((p, k, all) => text.slice(p, all[k + 1] ?? text.length));
      expect(readThrough(chunks, opts, (c) => c)).toEqual(readThrough(chunks, opts, fieldByField));
    }), { numRuns: 3000 });
  });

  it('take the plain lines and leave the rest: a quote, a bare CR and a blank line go field by field', () => {
    const c = new RowCollector(',', 10_000);
    const text = 'a,b\r\nc,d\n"e",f\ng\n';
    expect(c.fastRows(text, 0, text.length, 100, 1)).toBe(text.indexOf('"'));
    expect(c.fastLines).toBe(2);
    expect(c.rows).toEqual([{ fields: ['a', 'b'], line: 1, columns: [1, 3], blank: false }, { fields: ['c', 'd'], line: 2, columns: [1, 3], blank: false }]);
    for (const rest of ['x\ry\n', '\n', '\r\n', 'no line end']) {
      const d = new RowCollector(',', 10_000);
      expect(d.fastRows(rest, 0, rest.length, 100, 1), JSON.stringify(rest)).toBe(0);
    }
  });
});

// Well-formed CSV: fields that need quoting (commas, quotes, newlines) are quoted; others may be.
const plainChar = fc.constantFrom('a', 'b', 'Z', '1', '0', ' ', '.', '-', 'é', '£', '\u2019');
const anyChar = fc.oneof(plainChar, fc.constantFrom(',', '"', '\n', '\r\n', ';'));
const fieldValue = fc.oneof(
  fc.array(plainChar, { maxLength: 6 }).map((cs) => cs.join('')),
  fc.array(anyChar, { maxLength: 8 }).map((cs) => cs.join('')),
);

interface Doc { rows: string[][]; text: string }
function csvDocument(eolArb: fc.Arbitrary<string> = fc.constantFrom('\n', '\r\n')): fc.Arbitrary<Doc> {
  const field = fc.tuple(fieldValue, fc.boolean()).map(([v, quote]) => ({ v, quote: quote || /[",\r\n]/.test(v) }));
  const row = fc.array(field, { minLength: 1, maxLength: 5 });
  return fc.tuple(fc.array(row, { minLength: 1, maxLength: 6 }), eolArb, fc.boolean()).map(([rows, eol, trailing]) => {
    // A last row of one empty unquoted field would be no text at all: quote it to keep the row.
    const last = rows[rows.length - 1]!;
    if (last.length === 1 && last[0]!.v === '') last[0]!.quote = true;
    const lines = rows.map((r) => r.map((f) => (f.quote ? `"${f.v.replace(/"/g, '""')}"` : f.v)).join(','));
    return { rows: rows.map((r) => r.map((f) => f.v)), text: lines.join(eol) + (trailing ? eol : '') };
  });
}

describe('parseCsv: properties', () => {
  it('reads back the fields that were written', () => {
    fc.assert(fc.property(csvDocument(), ({ rows, text }) => {
      expect(parseCsv(text).map((r) => r.fields)).toEqual(rows);
    }));
  });

  it('CRLF gives the same rows (fields, lines, columns) as LF (bad-inputs 6)', () => {
    fc.assert(fc.property(csvDocument(fc.constant('\u0000')), ({ text }) => {
      // The placeholder is the record separator only: newlines inside quoted values stay as they are.
      expect(parseCsv(text.replaceAll('\u0000', '\r\n'))).toEqual(parseCsv(text.replaceAll('\u0000', '\n')));
    }));
  });

  it('agrees with csv-parse on well-formed CSV', () => {
    fc.assert(fc.property(csvDocument(), ({ text }) => {
      const reference = parse(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
      expect(parseCsv(text).map((r) => r.fields)).toEqual(reference);
    }));
  });
});
