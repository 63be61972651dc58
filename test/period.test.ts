// Period labels (design §3) and query periods (design §5): every label the design names, read to
// its exact interval, and the rejections with their reasons; properties of the calendar arithmetic.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { daysInMonth, formatDay, fromDay, isLeapYear, parseIsoDay, toDay } from '../src/engine/dates.js';
import {
  type LabelContext, classifyInterval, parsePeriodLabel, parseQueryPeriod, periodDays, splitMarkers,
} from '../src/engine/period.js';

type Kind = 'day' | 'month' | 'quarter' | 'year' | 'financial-year' | 'custom';
interface LabelCase { label: string; ctx?: LabelContext; start: string; end: string; kind: Kind; footnotes?: string[]; warning?: RegExp }

const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
];

// design §3, "Period labels to understand (at least)", in the order written there.
const LABELS: LabelCase[] = [
  { label: '2025-01', start: '2025-01-01', end: '2025-01-31', kind: 'month' },
  { label: 'January 2025', start: '2025-01-01', end: '2025-01-31', kind: 'month' },
  { label: 'Jan 2025', start: '2025-01-01', end: '2025-01-31', kind: 'month' },
  { label: 'Jan-25', start: '2025-01-01', end: '2025-01-31', kind: 'month' },
  { label: 'Jan 25', start: '2025-01-01', end: '2025-01-31', kind: 'month' },
  { label: 'January 25', start: '2025-01-01', end: '2025-01-31', kind: 'month' },
  { label: '01/2025', start: '2025-01-01', end: '2025-01-31', kind: 'month' },
  { label: 'January', ctx: { year: 2025 }, start: '2025-01-01', end: '2025-01-31', kind: 'month' },
  { label: 'February', ctx: { year: 2024 }, start: '2024-02-01', end: '2024-02-29', kind: 'month' },
  // MoD answer of March 2025 (fixtures/builtin/mod-devices-2024-07-05-to-2025-02-27.csv).
  { label: 'From 5 July 24', start: '2024-07-05', end: '2024-07-31', kind: 'custom' },
  { label: 'Up to 27 Feb 25', start: '2025-02-01', end: '2025-02-27', kind: 'custom' },
  // MoD answer of December 2024 (fixtures/builtin/mod-devices-2024-to-15-dec.csv), year from metadata.
  { label: 'December (to 15th)', ctx: { year: 2024 }, start: '2024-12-01', end: '2024-12-15', kind: 'custom' },
  { label: '5-31 July 2024', start: '2024-07-05', end: '2024-07-31', kind: 'custom' },
  { label: '1 January 2025 to 27 February 2025', start: '2025-01-01', end: '2025-02-27', kind: 'custom' },
  { label: '2023', start: '2023-01-01', end: '2023-12-31', kind: 'year' },
  { label: '2023-24', start: '2023-04-01', end: '2024-03-31', kind: 'financial-year' },
  { label: '2023/24', start: '2023-04-01', end: '2024-03-31', kind: 'financial-year' },
  { label: 'FY 2023-24', start: '2023-04-01', end: '2024-03-31', kind: 'financial-year' },
  { label: 'FY2023-24', start: '2023-04-01', end: '2024-03-31', kind: 'financial-year' },
  { label: '2023 to 2024', ctx: { financialYearContext: true }, start: '2023-04-01', end: '2024-03-31', kind: 'financial-year' },
  { label: '2023 to 2024', start: '2023-01-01', end: '2024-12-31', kind: 'custom' },
  { label: '1999-00', start: '1999-04-01', end: '2000-03-31', kind: 'financial-year' },
  { label: 'Q1 2025', start: '2025-01-01', end: '2025-03-31', kind: 'quarter' },
  { label: '2025 Q1', start: '2025-01-01', end: '2025-03-31', kind: 'quarter' },
  { label: 'Q4 2024', start: '2024-10-01', end: '2024-12-31', kind: 'quarter' },
  { label: '2024-07-05..2024-07-31', start: '2024-07-05', end: '2024-07-31', kind: 'custom' },
  // Footnote digits glued to the label, and footnote markers: the period plus the footnote.
  { label: 'December1', ctx: { year: 2024 }, start: '2024-12-01', end: '2024-12-31', kind: 'month', footnotes: ['1'] },
  { label: 'July 20241', start: '2024-07-01', end: '2024-07-31', kind: 'month', footnotes: ['1'], warning: /read as July 2024 with footnote 1/ },
  { label: '2023*', start: '2023-01-01', end: '2023-12-31', kind: 'year', footnotes: ['*'] },
  { label: 'July 2024 (1)', start: '2024-07-01', end: '2024-07-31', kind: 'month', footnotes: ['(1)'] },
  { label: 'June [note 3]', ctx: { year: 2024 }, start: '2024-06-01', end: '2024-06-30', kind: 'month', footnotes: ['[note 3]'] },
  { label: 'Jan 2025 (1)*', start: '2025-01-01', end: '2025-01-31', kind: 'month', footnotes: ['(1)', '*'] },
  // Variants seen in answers: other spellings, dashes and spaces.
  { label: 'Sept 2024', start: '2024-09-01', end: '2024-09-30', kind: 'month' },
  { label: 'Sep 2024', start: '2024-09-01', end: '2024-09-30', kind: 'month' },
  { label: 'Jan-23', start: '2023-01-01', end: '2023-01-31', kind: 'month' },
  { label: ' January\u00a02025 ', start: '2025-01-01', end: '2025-01-31', kind: 'month' },
  { label: '2023\u201324', start: '2023-04-01', end: '2024-03-31', kind: 'financial-year' },
  { label: '2023/2024', start: '2023-04-01', end: '2024-03-31', kind: 'financial-year' },
  { label: 'January to March 2025', start: '2025-01-01', end: '2025-03-31', kind: 'quarter' },
  { label: 'From 5 July 2024', start: '2024-07-05', end: '2024-07-31', kind: 'custom' },
  { label: 'July 2024 (from 5th)', start: '2024-07-05', end: '2024-07-31', kind: 'custom' },
  { label: '01/02/2024', start: '2024-02-01', end: '2024-02-01', kind: 'day' },
  { label: '29/02/2024', start: '2024-02-29', end: '2024-02-29', kind: 'day' },
  { label: '2024-02-29', start: '2024-02-29', end: '2024-02-29', kind: 'day' },
  { label: '2023-24 Q1', start: '2023-04-01', end: '2023-06-30', kind: 'quarter' },
  { label: '2023-24 Q4', start: '2024-01-01', end: '2024-03-31', kind: 'quarter' },
];

describe('parsePeriodLabel: the labels of design §3', () => {
  it.each(LABELS.map((c) => [`${c.label}${c.ctx ? ` ${JSON.stringify(c.ctx)}` : ''}`, c] as const))('%s', (_, c) => {
    const r = parsePeriodLabel(c.label, c.ctx);
    expect(r).toEqual({
      ok: true,
      period: { start: c.start, end: c.end, kind: c.kind, label: c.label.trim() },
      footnotes: c.footnotes ?? [],
      ...(c.warning ? { warning: expect.stringMatching(c.warning) } : {}),
    });
  });
});

describe('parsePeriodLabel: a digit glued to a year', () => {
  it('"January 20245" is January 2024 with footnote 5, and says it may be a typing slip', () => {
    const r = parsePeriodLabel('January 20245');
    expect(r).toMatchObject({ ok: true, period: { start: '2024-01-01', end: '2024-01-31' }, footnotes: ['5'] });
    expect(r.ok && r.warning).toBe('"January 20245" read as January 2024 with footnote 5 (a digit glued to the year); if it is a typing slip, correct the label');
  });

  it('a digit glued to a word reads without a warning ("December1")', () => {
    expect(parsePeriodLabel('December1', { year: 2024 })).not.toHaveProperty('warning');
  });
});

describe('labels of any length are read in linear time', () => {
  it.each([
    ['a run of spaces before a word', `a${' '.repeat(70_000)}x`],
    ['"from" and a run of spaces', `from ${' '.repeat(70_000)}x`],
    ['a run of footnote stars', `2024${'*'.repeat(70_000)}x`],
    ['a run of brackets', `2024 ${'(1)'.repeat(25_000)}`],
  ])('%s (70 KB)', (_, label) => {
    const started = performance.now();
    expect(parsePeriodLabel(label)).toMatchObject({ ok: false, reason: expect.stringMatching(/too long to read \(at most 200\)/) });
    // Other readers split markers off any cell (a category, a Total label), of any length.
    splitMarkers(label);
    // Quadratic took seconds here; linear takes a few milliseconds (generous for a loaded machine).
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

interface RejectCase { label: string; ctx?: LabelContext; reason: RegExp }
const REJECTS: RejectCase[] = [
  { label: 'January', reason: /--year/ },
  { label: 'December (to 15th)', reason: /--year/ },
  { label: 'December1', reason: /--year/ },
  { label: '2023-25', reason: /not a valid financial year/ },
  { label: '2024-23', reason: /not a valid financial year/ },
  { label: '23-24', reason: /not a valid financial year/ },
  { label: 'FY 2023-25', reason: /not a valid financial year/ },
  { label: '2023 to 2025', ctx: { financialYearContext: true }, reason: /not a valid financial year/ },
  { label: '31 February 2024', reason: /not a real date/ },
  { label: 'Total', reason: /cannot read "Total"/ },
  { label: '', reason: /empty/ },
  { label: '   ', reason: /empty/ },
  // dd/mm/yyyy only (bad-inputs 30-33): never an mm/dd fallback, never a two-digit year.
  { label: '13/25/2024', reason: /month 25 does not exist/ },
  { label: '02/13/2024', reason: /month 13 does not exist/ },
  { label: '31/02/2024', reason: /not a real date/ },
  { label: '29/02/2023', reason: /not a real date/ },
  { label: '1/2/24', reason: /dd\/mm\/yyyy/ },
  { label: '13/2024', reason: /month 13 does not exist/ },
  // A misspelt month is not a year: "Sepember 2024" once read as the whole of 2024.
  { label: 'Sepember 2024', reason: /cannot read/ },
  { label: 'Febuary 2024', reason: /cannot read/ },
  // The column says month: "2024-25" is then no month at all, not a financial year.
  { label: '2024-25', ctx: { hint: 'month' }, reason: /month 25 does not exist/ },
  { label: '2023', ctx: { hint: 'financial-year' }, reason: /financial year/ },
  { label: '31 July 2024 to 5 July 2024', reason: /ends before it starts/ },
  { label: '2025-02-30..2025-03-01', reason: /"2025-02-30" is not a real date/ },
];

describe('parsePeriodLabel: rejections say why', () => {
  it.each(REJECTS.map((c) => [`${JSON.stringify(c.label)}${c.ctx ? ` ${JSON.stringify(c.ctx)}` : ''}`, c] as const))('%s', (_, c) => {
    const r = parsePeriodLabel(c.label, c.ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(c.reason);
  });
});

describe('splitMarkers', () => {
  it('keeps markers in order and leaves a label that is only a marker alone', () => {
    expect(splitMarkers('July 2024 (1) [note 2]*')).toEqual({ text: 'July 2024', markers: ['(1)', '[note 2]', '*'] });
    expect(splitMarkers('*')).toEqual({ text: '*', markers: [] });
    // "(to 15th)" is part of the period, not a footnote.
    expect(splitMarkers('December (to 15th)')).toEqual({ text: 'December (to 15th)', markers: [] });
  });
});

interface QueryCase { text: string; start: string; end: string; kind: Kind }
const QUERIES: QueryCase[] = [
  { text: '2025-01-01', start: '2025-01-01', end: '2025-01-01', kind: 'day' },
  { text: '2025-01', start: '2025-01-01', end: '2025-01-31', kind: 'month' },
  { text: '2024-02', start: '2024-02-01', end: '2024-02-29', kind: 'month' },
  { text: '2025', start: '2025-01-01', end: '2025-12-31', kind: 'year' },
  { text: '2025-Q1', start: '2025-01-01', end: '2025-03-31', kind: 'quarter' },
  { text: '2025-q4', start: '2025-10-01', end: '2025-12-31', kind: 'quarter' },
  { text: 'FY2023-24', start: '2023-04-01', end: '2024-03-31', kind: 'financial-year' },
  { text: 'fy1999-00', start: '1999-04-01', end: '2000-03-31', kind: 'financial-year' },
  { text: '2023/24', start: '2023-04-01', end: '2024-03-31', kind: 'financial-year' },
  { text: '2023..2024', start: '2023-01-01', end: '2024-12-31', kind: 'custom' },
  { text: '2025-01-01..2025-02-27', start: '2025-01-01', end: '2025-02-27', kind: 'custom' },
  { text: '2025-01..2025-03', start: '2025-01-01', end: '2025-03-31', kind: 'quarter' },
  { text: 'FY2023-24..FY2024-25', start: '2023-04-01', end: '2025-03-31', kind: 'custom' },
  // design §5: a bare 2011-12 is a month, December 2011 (in an answer's label it is a financial year).
  { text: '2011-12', start: '2011-12-01', end: '2011-12-31', kind: 'month' },
];

describe('parseQueryPeriod (design §5)', () => {
  it.each(QUERIES.map((c) => [c.text, c] as const))('%s', (_, c) => {
    expect(parseQueryPeriod(c.text)).toEqual({ ok: true, period: { start: c.start, end: c.end, kind: c.kind, label: c.text } });
  });

  it('reads a bare 2011-12 as a month in a query but a financial year in an answer', () => {
    const q = parseQueryPeriod('2011-12');
    const l = parsePeriodLabel('2011-12');
    expect(q.ok && q.period.kind).toBe('month');
    expect(l.ok && l.period.kind).toBe('financial-year');
  });

  it.each([
    ['2023-24', /write FY2023-24/],
    ['1999-00', /write FY1999-00/],
    ['2023-2024', /FY2023-24.*2023\.\.2024/],
    ['2025-13', /month 13 does not exist/],
    ['2025-02-30', /not a real date/],
    ['2025-01-01..2025-02-30', /"2025-02-30" is not a real date/],
    ['2024-12..2024-11', /ends before it starts/],
    ['garbage', /cannot read "garbage"/],
    ['', /cannot read/],
  ])('rejects %j', (text, reason) => {
    const r = parseQueryPeriod(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toMatch(reason);
      expect(r.reason).toMatch(/expected a period such as/);
    }
  });
});

// Calendar days across the whole supported range (years 1 to 9999).
const MIN_DAY = toDay(1, 1, 1);
const MAX_DAY = toDay(9999, 12, 31);
const anyDay = fc.integer({ min: MIN_DAY, max: MAX_DAY });

describe('calendar days: properties', () => {
  it('toDay and fromDay are inverse, and formatDay/parseIsoDay round-trip', () => {
    fc.assert(fc.property(anyDay, (d) => {
      const { year, month, day } = fromDay(d);
      expect(toDay(year, month, day)).toBe(d);
      expect(day).toBeGreaterThanOrEqual(1);
      expect(day).toBeLessThanOrEqual(daysInMonth(year, month));
      expect(parseIsoDay(formatDay(d))).toBe(d);
    }));
  });

  it('consecutive day numbers are consecutive calendar days', () => {
    fc.assert(fc.property(fc.integer({ min: MIN_DAY, max: MAX_DAY - 1 }), (d) => {
      const a = fromDay(d);
      const b = fromDay(d + 1);
      if (a.day < daysInMonth(a.year, a.month)) expect(b).toEqual({ ...a, day: a.day + 1 });
      else if (a.month < 12) expect(b).toEqual({ year: a.year, month: a.month + 1, day: 1 });
      else expect(b).toEqual({ year: a.year + 1, month: 1, day: 1 });
    }));
  });

  it('agrees with Date.UTC on known anchors', () => {
    for (const [y, m, d] of [[1970, 1, 1], [2000, 2, 29], [1900, 3, 1], [2024, 12, 31], [1, 1, 1]] as const) {
      const utc = new Date(0);
      utc.setUTCFullYear(y, m - 1, d);
      expect(toDay(y, m, d)).toBe(Math.floor(utc.getTime() / 86_400_000));
    }
  });
});

const dayPair = fc.tuple(anyDay, anyDay).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));

describe('query ranges: properties', () => {
  it('A..B of ISO days is exactly [A, B] and has B - A + 1 days', () => {
    fc.assert(fc.property(dayPair, ([a, b]) => {
      const r = parseQueryPeriod(`${formatDay(a)}..${formatDay(b)}`);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.period.start).toBe(formatDay(a));
      expect(r.period.end).toBe(formatDay(b));
      expect(periodDays(r.period)).toBe(b - a + 1);
      expect(r.period.kind).toBe(classifyInterval(a, b));
    }));
  });

  it('a range ending before it starts is rejected', () => {
    fc.assert(fc.property(dayPair.filter(([a, b]) => a < b), ([a, b]) => {
      expect(parseQueryPeriod(`${formatDay(b)}..${formatDay(a)}`).ok).toBe(false);
    }));
  });

  it('splitting a range at any day gives parts whose days add up to the whole', () => {
    fc.assert(fc.property(dayPair.filter(([a, b]) => a < b), fc.double({ min: 0, max: 1, noNaN: true }), ([a, b], f) => {
      const cut = Math.min(b - 1, a + Math.floor(f * (b - a))); // the left part ends on `cut`
      const whole = parseQueryPeriod(`${formatDay(a)}..${formatDay(b)}`);
      const left = parseQueryPeriod(`${formatDay(a)}..${formatDay(cut)}`);
      const right = parseQueryPeriod(`${formatDay(cut + 1)}..${formatDay(b)}`);
      if (!whole.ok || !left.ok || !right.ok) throw new Error('a valid range was rejected');
      expect(periodDays(left.period) + periodDays(right.period)).toBe(periodDays(whole.period));
    }));
  });

  it('months A..B cover whole months', () => {
    fc.assert(fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 40 }), (y, m, span) => {
      const endIndex = y * 12 + (m - 1) + span;
      const [ey, em] = [Math.floor(endIndex / 12), (endIndex % 12) + 1];
      fc.pre(ey <= 9999);
      const pad = (n: number) => String(n).padStart(2, '0');
      const r = parseQueryPeriod(`${y}-${pad(m)}..${ey}-${pad(em)}`);
      expect(r.ok && [r.period.start, r.period.end]).toEqual([`${y}-${pad(m)}-01`, `${ey}-${pad(em)}-${pad(daysInMonth(ey, em))}`]);
    }));
  });
});

describe('labels: properties', () => {
  const year = fc.integer({ min: 1000, max: 9999 });
  const month = fc.integer({ min: 1, max: 12 });

  it('"MonthName YYYY" is the 1st to the last day of that month', () => {
    fc.assert(fc.property(year, month, fc.boolean(), (y, m, short) => {
      const name = short ? MONTH_NAMES[m - 1]!.slice(0, 3) : MONTH_NAMES[m - 1]!;
      const r = parsePeriodLabel(`${name} ${y}`);
      const last = m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
      const mm = String(m).padStart(2, '0');
      expect(r.ok && r.period).toEqual({ start: `${y}-${mm}-01`, end: `${y}-${mm}-${last}`, kind: 'month', label: `${name} ${y}` });
    }));
  });

  it('a month name without a year takes the year from the context', () => {
    fc.assert(fc.property(year, month, (y, m) => {
      const r = parsePeriodLabel(MONTH_NAMES[m - 1]!, { year: y });
      expect(r.ok && r.period.start).toBe(`${y}-${String(m).padStart(2, '0')}-01`);
    }));
  });

  it('"YYYY-YY" is 1 April YYYY to 31 March YYYY+1, 365 or 366 days', () => {
    fc.assert(fc.property(fc.integer({ min: 1000, max: 9998 }), fc.constantFrom('-', '/'), (y, sep) => {
      const label = `${y}${sep}${String((y + 1) % 100).padStart(2, '0')}`;
      const r = parsePeriodLabel(label);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.period).toEqual({ start: `${y}-04-01`, end: `${y + 1}-03-31`, kind: 'financial-year', label });
      expect(periodDays(r.period)).toBe(isLeapYear(y + 1) ? 366 : 365);
    }));
  });

  it('"YYYY-YY" where YY does not follow YYYY is rejected, never read as something else', () => {
    fc.assert(fc.property(fc.integer({ min: 1000, max: 9998 }), fc.integer({ min: 0, max: 99 }), (y, yy) => {
      fc.pre(yy !== (y + 1) % 100);
      const r = parsePeriodLabel(`FY ${y}-${String(yy).padStart(2, '0')}`);
      expect(r.ok).toBe(false);
    }));
  });
});
