import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../src/model/diagnostics.js';
import { MAX_JSON_DEPTH, parseJsonText, parseNdjsonLine } from '../src/io/json-text.js';

/** Runs fn, expecting it to throw a BAD_JSON InputError; returns the error. */
function badJson(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const err = e as InputError;
    expect(err.code).toBe('BAD_JSON');
    return err;
  }
  throw new Error('expected a BAD_JSON error, but parsing succeeded');
}

function errorAt(text: string): { line?: number; column?: number; message: string; expected?: string; got?: string } {
  const e = badJson(() => parseJsonText(text));
  return { line: e.position.line, column: e.position.column, message: e.message, expected: e.expected, got: e.got };
}

describe('parseJsonText: values', () => {
  test('parses the same values as JSON.parse', () => {
    for (const text of ['0', '-0', '1.5e+3', '-12.25E-2', '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00"', 'true', 'false', 'null', '[]', '{}', ' [ 1 , [ ] , { } ] ', '{"a":{"b":[null]}}', '1e400']) {
      expect(parseJsonText(text).value).toEqual(JSON.parse(text));
    }
  });

  test('a later duplicate key wins, as in JSON.parse', () => {
    expect(parseJsonText('{"a":1,"a":2}').value).toEqual({ a: 2 });
  });

  test('"__proto__" becomes an own property, not the prototype', () => {
    const value = parseJsonText('{"__proto__": {"polluted": true}}').value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test('a leftover byte-order mark is ignored', () => {
    expect(parseJsonText('\ufeff{"a":1}').value).toEqual({ a: 1 });
  });
});

describe('parseJsonText: errors are positioned', () => {
  test('trailing comma', () => {
    expect(errorAt('[1, 2,]')).toMatchObject({ line: 1, column: 6, message: 'trailing comma before "]"', got: ',' });
    expect(errorAt('{\n  "a": 1,\n}')).toMatchObject({ line: 2, column: 9, message: 'trailing comma before "}"', got: ',' });
  });

  test('NaN and Infinity', () => {
    expect(errorAt('{"a": NaN}')).toMatchObject({ line: 1, column: 7, message: 'NaN is not valid JSON', expected: 'a JSON value', got: 'NaN' });
    expect(errorAt('[1,\n Infinity]')).toMatchObject({ line: 2, column: 2, message: 'Infinity is not valid JSON' });
    expect(errorAt('[-Infinity]')).toMatchObject({ line: 1, column: 2, message: '-Infinity is not valid JSON' });
  });

  test('missing comma', () => {
    expect(errorAt('[1 2]')).toMatchObject({ line: 1, column: 4, message: 'missing comma between array elements', expected: '"," or "]"', got: '2' });
    expect(errorAt('{\n  "a": 1\n  "b": 2\n}')).toMatchObject({ line: 3, column: 3, message: 'missing comma between properties', expected: '"," or "}"', got: '"b"' });
  });

  test('unclosed bracket at end of input points just after the last token', () => {
    expect(errorAt('[\n  1,\n  2\n')).toMatchObject({ line: 3, column: 4, message: 'unexpected end of input (unclosed "[" from line 1)' });
    expect(errorAt('{"a": [1,\n2,\n{"b":')).toMatchObject({ line: 3, column: 6, message: 'unexpected end of input (unclosed "{" from line 3)' });
  });

  test('bad escapes', () => {
    expect(errorAt('["a\\qb"]')).toMatchObject({ line: 1, column: 4, message: 'invalid escape', got: '\\q' });
    expect(errorAt('\n  "\\u12G4"')).toMatchObject({ line: 2, column: 4, message: 'invalid \\u escape (needs four hex digits)', got: '\\u12G4' });
    expect(errorAt('"\\x41"')).toMatchObject({ line: 1, column: 2, message: 'invalid escape', got: '\\x' });
  });

  test('single quotes', () => {
    expect(errorAt("{'a': 1}")).toMatchObject({ line: 1, column: 2, message: expect.stringContaining('single quotes are not allowed') });
    expect(errorAt('{"a":\n  \'x\'}')).toMatchObject({ line: 2, column: 3, message: expect.stringContaining('single quotes are not allowed') });
  });

  test('comments', () => {
    expect(errorAt('{\n  // note\n  "a": 1\n}')).toMatchObject({ line: 2, column: 3, message: 'comments are not allowed', got: '//' });
    expect(errorAt('/* header */ []')).toMatchObject({ line: 1, column: 1, message: 'comments are not allowed', got: '/*' });
    expect(errorAt('[1, 2] // done')).toMatchObject({ line: 1, column: 8, message: 'comments are not allowed' });
    expect(errorAt('[1, /* two */ 2]')).toMatchObject({ line: 1, column: 5, message: 'comments are not allowed' });
  });

  test('strings', () => {
    expect(errorAt('["abc')).toMatchObject({ line: 1, column: 2, message: 'unterminated string' });
    expect(errorAt('{"a": "one\ntwo"}')).toMatchObject({ line: 1, column: 11, message: expect.stringContaining('unterminated string') });
    expect(errorAt('"a\tb"')).toMatchObject({ line: 1, column: 3, message: expect.stringContaining('raw control character') });
  });

  test('numbers follow the JSON grammar', () => {
    expect(errorAt('+1')).toMatchObject({ line: 1, column: 1, message: 'numbers cannot start with "+"' });
    expect(errorAt('[01]')).toMatchObject({ line: 1, column: 2, message: 'leading zeros are not allowed in numbers', got: '01' });
    expect(errorAt('[-01]')).toMatchObject({ line: 1, column: 3, message: 'leading zeros are not allowed in numbers' });
    expect(errorAt('0x1F')).toMatchObject({ line: 1, column: 1, message: 'hexadecimal numbers are not allowed' });
    expect(errorAt('.5')).toMatchObject({ message: 'numbers need a digit before the decimal point' });
    expect(errorAt('1.')).toMatchObject({ column: 3, message: 'expected a digit after the decimal point' });
    expect(errorAt('1e+')).toMatchObject({ column: 4, message: 'expected a digit in the exponent' });
    expect(errorAt('-')).toMatchObject({ column: 2, message: 'expected a digit after "-"' });
    expect(errorAt('12abc')).toMatchObject({ column: 3, message: 'invalid number' });
  });

  test('other mistakes', () => {
    expect(errorAt('')).toMatchObject({ line: 1, column: 1, message: 'empty input' });
    expect(errorAt(' \n\t ')).toMatchObject({ message: 'empty input' });
    expect(errorAt('{a: 1}')).toMatchObject({ column: 2, message: 'property names must be in double quotes', got: 'a' });
    expect(errorAt('{"a" 1}')).toMatchObject({ column: 6, message: 'missing ":" after property name' });
    expect(errorAt('[True]')).toMatchObject({ column: 2, message: expect.stringContaining('"True" is not a JSON literal') });
    expect(errorAt('[undefined]')).toMatchObject({ column: 2, message: 'undefined is not valid JSON' });
    expect(errorAt('[1,,2]')).toMatchObject({ column: 4, message: 'unexpected character', got: ',' });
    expect(errorAt('{"a":1}}')).toMatchObject({ column: 8, message: 'unexpected "}" with no matching "{"' });
    expect(errorAt('{"a":1}\n{"b":2}')).toMatchObject({ line: 2, column: 1, message: 'unexpected content after the JSON value' });
    expect(errorAt('[1, @]')).toMatchObject({ column: 5, message: 'unexpected character', got: '@' });
    expect(errorAt('[\u00a0]')).toMatchObject({ column: 2, message: 'unexpected character', got: '\u00a0' });
  });

  test('nesting is limited instead of overflowing the stack', () => {
    expect(parseJsonText('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)).value).toBeInstanceOf(Array);
    const deep = '['.repeat(100_000);
    expect(badJson(() => parseJsonText(deep)).message).toContain('nesting too deep');
  });

  test('columns after long lines and many lines stay right', () => {
    const text = `[${'1,'.repeat(5000)}\n${'  "x",\n'.repeat(3000)}  nope]`;
    expect(errorAt(text)).toMatchObject({ line: 3002, column: 3, got: 'nope' });
  });
});

describe('parseJsonText: duplicate keys', () => {
  test('reported with the path of the object, and the line and column of the later key', () => {
    const text = ['{', '  "a": 1,', '  "b": {"x": 1, "x": 2},', '  "records": [{"id": 1}, {"id": 2, "id": 3}],', '  "odd key": {"k": 0, "k": 0},', '  "a": 3', '}'].join('\n');
    const { value, duplicateKeys } = parseJsonText(text);
    expect(value).toEqual(JSON.parse(text));
    expect(duplicateKeys).toEqual([
      { path: '$.b', key: 'x', line: 3, column: 17 },
      { path: '$.records[1]', key: 'id', line: 4, column: 36 },
      { path: '$["odd key"]', key: 'k', line: 5, column: 23 },
      { path: '$', key: 'a', line: 6, column: 3 },
    ]);
  });

  test('none for distinct keys', () => {
    expect(parseJsonText('{"a": {"a": {"a": 1}}}').duplicateKeys).toEqual([]);
  });
});

describe('parseJsonText: arrayElementLines', () => {
  test('top-level array: the line each element starts on', () => {
    const text = '[\n  {"id": 1},\n  {\n    "id": 2\n  },\n\n  3, 4\n]';
    expect(parseJsonText(text).arrayElementLines).toEqual(new Map([['$', [2, 3, 7, 7]]]));
  });

  test('arrays directly under the top-level object, and nothing deeper', () => {
    const text = '{\n  "records": [\n    {"tags": [1,\n 2]},\n    {}\n  ],\n  "empty": [],\n  "my list": [\n1],\n  "nested": {"inner": [1]}\n}';
    const lines = parseJsonText(text).arrayElementLines;
    expect(lines).toEqual(
      new Map([
        ['$.records', [3, 5]],
        ['$.empty', []],
        ['$["my list"]', [9]],
      ]),
    );
  });

  test('absent for a scalar document', () => {
    expect(parseJsonText('"x"').arrayElementLines.size).toBe(0);
  });
});

describe('parseNdjsonLine', () => {
  test('returns the value', () => {
    expect(parseNdjsonLine('{"a": [1, 2]}', 7)).toEqual({ a: [1, 2] });
    expect(parseNdjsonLine('{"a": 1}\r', 7)).toEqual({ a: 1 });
  });

  test('errors carry the given line and the column within it', () => {
    const e = badJson(() => parseNdjsonLine('{"a": 1,}', 42));
    expect([e.code, e.position]).toEqual(['BAD_JSON', { line: 42, column: 8 }]);
    expect(e.message).toBe('trailing comma before "}"');
    expect(badJson(() => parseNdjsonLine('{"a": [1', 3)).position).toEqual({ line: 3, column: 9 });
    const empty = badJson(() => parseNdjsonLine('  ', 5));
    expect([empty.code, empty.position.line]).toEqual(['BAD_JSON', 5]);
  });
});

describe('properties', () => {
  test('JSON.stringify output with any indent parses back to the same value, without error', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constantFrom('\t', ' \t', '\n')), (v, indent) => {
        const text = JSON.stringify(v, null, indent);
        const parsed = parseJsonText(text);
        expect(parsed.value).toStrictEqual(JSON.parse(text));
        expect(parsed.duplicateKeys).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  test('element lines of a stringified top-level array match where each element is printed', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 8 }), (items) => {
        const text = JSON.stringify(items, null, 2);
        const expected: number[] = [];
        let line = 2;
        for (const item of items) {
          expected.push(line);
          line += JSON.stringify(item, null, 2).split('\n').length;
        }
        expect(parseJsonText(text).arrayElementLines.get('$')).toEqual(expected);
      }),
    );
  });

  test('accepts and rejects exactly what JSON.parse does, on JSON-like noise', () => {
    const piece = fc.constantFrom('{', '}', '[', ']', ',', ':', ' ', '\n', '"', '\\', 'u', '0', '1', '-', '+', '.', 'e', 'E', 'a', 'true', 'null', 'false', '"k"', '/', '\t', '\u0001', 'x', '12', '"\\u00');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        let expected: unknown;
        let ok = true;
        try {
          expected = JSON.parse(text);
        } catch {
          ok = false;
        }
        if (ok) expect(parseJsonText(text).value).toStrictEqual(expected);
        else badJson(() => parseJsonText(text));
      }),
      { numRuns: 3000 },
    );
  });

  test('mutating valid JSON by one character: both reject or both accept the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.nat(), fc.constantFrom(',', ']', '}', '"', ':', ' ', '0', '-', '.', 'e', '\\', '/', "'"), fc.boolean(), (v, at, ch, replace) => {
        const base = JSON.stringify(v, null, 1);
        const i = at % (base.length + 1);
        const text = base.slice(0, i) + ch + base.slice(replace ? i + 1 : i);
        let expected: unknown;
        let ok = true;
        try {
          expected = JSON.parse(text);
        } catch {
          ok = false;
        }
        if (ok) expect(parseJsonText(text).value).toStrictEqual(expected);
        else {
          const e = badJson(() => parseJsonText(text));
          expect(e.position.line).toBeGreaterThanOrEqual(1);
          expect(e.position.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
