// Count cells (design §2, bad-inputs 23-29): exact, suppressed with bounds, missing (never 0),
// markers kept as flags, and the number formats that must be refused rather than guessed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { countBounds, parseCount } from '../src/engine/count.js';
import type { Count } from '../src/model/model.js';

interface OkCase { cell: string; count: Count; warn?: RegExp }

const ACCEPTED: OkCase[] = [
  { cell: '12', count: { kind: 'exact', value: 12, flags: [] } },
  { cell: '0', count: { kind: 'exact', value: 0, flags: [] } },
  { cell: '1,234', count: { kind: 'exact', value: 1234, flags: [] } },
  { cell: '1,234,567', count: { kind: 'exact', value: 1234567, flags: [] } },
  { cell: '12.0', count: { kind: 'exact', value: 12, flags: [] }, warn: /read as 12/ },
  { cell: '12.00', count: { kind: 'exact', value: 12, flags: [] }, warn: /read as 12/ },
  // Blank is missing, never 0 (the zod coerce trap, bad-inputs 26).
  { cell: '', count: { kind: 'missing', flags: ['missing'] }, warn: /missing \(not 0\)/ },
  { cell: '[c]', count: { kind: 'suppressed', min: 0, max: null, flags: ['c'] } },
  { cell: '[C]', count: { kind: 'suppressed', min: 0, max: null, flags: ['c'] } },
  { cell: '<5', count: { kind: 'suppressed', min: 0, max: 4, flags: [] } },
  { cell: '< 5', count: { kind: 'suppressed', min: 0, max: 4, flags: [] } },
  { cell: '<1', count: { kind: 'suppressed', min: 0, max: 0, flags: [] } },
  { cell: '<=5', count: { kind: 'suppressed', min: 0, max: 5, flags: [] } },
  { cell: 'fewer than 10', count: { kind: 'suppressed', min: 0, max: 9, flags: [] } },
  { cell: '[x]', count: { kind: 'missing', flags: ['not-available'] } },
  { cell: '[z]', count: { kind: 'missing', flags: ['not-applicable'] } },
  { cell: '..', count: { kind: 'missing', flags: ['not-available'] } },
  { cell: 'n/a', count: { kind: 'missing', flags: ['not-available'] } },
  { cell: '-', count: { kind: 'missing', flags: ['nil-or-not-applicable'] } },
  { cell: '123[r]', count: { kind: 'exact', value: 123, flags: ['r'] } },
  { cell: '45 [e]', count: { kind: 'exact', value: 45, flags: ['e'] } },
  { cell: '67*', count: { kind: 'exact', value: 67, flags: ['*'] } },
  { cell: '89†', count: { kind: 'exact', value: 89, flags: ['†'] } },
  { cell: '12 [note 2]', count: { kind: 'exact', value: 12, flags: ['[note 2]'] } },
  { cell: '12 (1)', count: { kind: 'exact', value: 12, flags: ['(1)'] } },
  { cell: '1,234[p]*', count: { kind: 'exact', value: 1234, flags: ['p', '*'] } },
  { cell: '[c] [r]', count: { kind: 'suppressed', min: 0, max: null, flags: ['c', 'r'] } },
  { cell: '<5 [r]', count: { kind: 'suppressed', min: 0, max: 4, flags: ['r'] } },
  { cell: '[x][r]', count: { kind: 'missing', flags: ['not-available', 'r'] } },
  { cell: '12[q]', count: { kind: 'exact', value: 12, flags: ['q'] }, warn: /unknown marker "\[q\]"/ },
  { cell: ' 12 ', count: { kind: 'exact', value: 12, flags: [] }, warn: /trimmed/ },
  { cell: '\t12', count: { kind: 'exact', value: 12, flags: [] }, warn: /trimmed/ },
];

describe('parseCount: accepted cells', () => {
  it.each(ACCEPTED.map((c) => [JSON.stringify(c.cell), c] as const))('%s', (_, c) => {
    const r = parseCount(c.cell);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.count).toEqual(c.count);
    if (c.warn) expect(r.warnings.join('\n')).toMatch(c.warn);
    else expect(r.warnings).toEqual([]);
  });
});

const REJECTED: [string, RegExp][] = [
  ['1,23', /ambiguous/],
  ['1.234,5', /ambiguous/],
  ['1.234', /ambiguous/],
  ['12,0', /ambiguous/],
  ['1.5', /ambiguous/],
  ['-3', /negative/],
  ['\u22123', /negative/],
  ['-3[r]', /negative/],
  ['1e3', /scientific/],
  ['12abc', /not a count/],
  ['1 234', /not a count/],
  ['<0', /allows no value/],
  ['9007199254740993', /too large/],
  ['<99999999999999999999', /too large/],
  // Invisible characters are shown as escapes, never as a blank in the message (bad-inputs 29).
  ['1\u00a0234', /\\u00A0/],
  ['\u00a012', /\\u00A0/],
  ['12\u200b', /\\u200B/],
  ['\ufeff12', /\\uFEFF/],
];

describe('parseCount: refused cells', () => {
  it.each(REJECTED)('%j', (cell, reason) => {
    const r = parseCount(cell);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toMatch(reason);
      expect(r.expected).toBeTruthy();
    }
  });
});

describe('countBounds', () => {
  it('is [n, n] for exact, [min, max] for suppressed, nothing for missing', () => {
    expect(countBounds({ kind: 'exact', value: 7, flags: [] })).toEqual({ min: 7, max: 7 });
    expect(countBounds({ kind: 'suppressed', min: 0, max: 4, flags: [] })).toEqual({ min: 0, max: 4 });
    expect(countBounds({ kind: 'suppressed', min: 0, max: null, flags: ['c'] })).toEqual({ min: 0, max: null });
    expect(countBounds({ kind: 'missing', flags: ['missing'] })).toBeUndefined();
  });
});

const safeCount = fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));

describe('parseCount: properties', () => {
  it('any non-negative safe integer prints and parses back exactly', () => {
    fc.assert(fc.property(safeCount, (n) => {
      expect(parseCount(String(n))).toEqual({ ok: true, count: { kind: 'exact', value: n, flags: [] }, warnings: [] });
    }));
  });

  it('also with thousands separators', () => {
    fc.assert(fc.property(safeCount, (n) => {
      const text = n.toLocaleString('en-GB');
      expect(text).toMatch(/^\d{1,3}(,\d{3})*$/);
      expect(parseCount(text)).toEqual({ ok: true, count: { kind: 'exact', value: n, flags: [] }, warnings: [] });
    }));
  });

  it('and with a marker after it, kept as a flag', () => {
    fc.assert(fc.property(safeCount, fc.constantFrom('[r]', ' [p]', '*', '†', ' (2)'), (n, marker) => {
      const r = parseCount(`${n}${marker}`);
      expect(r.ok && r.count).toEqual({ kind: 'exact', value: n, flags: [marker.trim().replace(/^\[([a-z])\]$/, '$1')] });
    }));
  });

  it('"<n" for n >= 1 is suppressed with bounds 0 to n-1', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (n) => {
      const r = parseCount(`<${n}`);
      expect(r.ok && r.count).toEqual({ kind: 'suppressed', min: 0, max: n - 1, flags: [] });
    }));
  });

  it('a comma not followed by exactly three digits is refused, never a guess', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 99 }), (a, b) => {
      expect(parseCount(`${a},${b}`).ok).toBe(false);
    }));
  });

  it('a negative number is always refused', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (n) => {
      const r = parseCount(String(-n));
      expect(!r.ok && r.reason).toMatch(/negative/);
    }));
  });
});
