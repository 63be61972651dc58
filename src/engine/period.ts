// Period labels as departments write them ("Jan-23", "From 5 July 24", "December (to 15th)",
// "2023-24") and query periods as users type them ("2025-01-01..2025-02-27", "FY2023-24"), both
// turned into closed intervals of calendar days. Pure: no I/O, no Date in local time.
import type { Period } from '../model/model.js';
import type { PeriodKind } from '../model/vocab.js';
import {
  type Day, dayOf, daysInMonth, formatDay, fromDay, isValidDate, monthEnd, monthStart, parseIsoDay, toDay,
} from './dates.js';

export interface LabelContext {
  /** Year for labels that name a month without one (`# year:` metadata or `--year`). */
  year?: number;
  /** The axis holds financial years, so "2023 to 2024" means FY 2023-24. */
  financialYearContext?: boolean;
  /** The column says what the label is (long layout `month`, `year`, `financial_year`, `date`). */
  hint?: 'month' | 'year' | 'financial-year' | 'day';
  /** The answer's date (YYYY-MM-DD): where "2007-08 (to date)" ends. */
  answered?: string;
}

export type LabelResult =
  | { ok: true; period: Period; footnotes: string[]; /** A reading worth a second look (a digit glued to a year). */ warning?: string }
  | { ok: false; reason: string };

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11,
  november: 11, dec: 12, december: 12,
};
// Exactly the spellings in MONTHS: a looser pattern ("sept?(?:ember)?") let "Sepember 2024" match
// with no month found, and the label silently became the whole year.
const MONTH_RE = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';

/** A point in time at day, month or year resolution, possibly missing its year or month. */
interface Point { year?: number; month?: number; day?: number }

type Atom = { type: 'point'; point: Point } | { type: 'period'; start: Day; end: Day; kind: PeriodKind };

function twoDigitYear(text: string): number {
  const n = Number(text);
  return n < 70 ? 2000 + n : 1900 + n;
}

function readYear(text: string): number {
  const t = text.replace(/^'/, '');
  return t.length === 2 ? twoDigitYear(t) : Number(t);
}

/** Financial year starting in `startYear`: 1 April to 31 March (HM Treasury's year). */
export function financialYear(startYear: number): { start: Day; end: Day } {
  return { start: toDay(startYear, 4, 1), end: toDay(startYear + 1, 3, 31) };
}

/** "2023-24", "2023/24", "2023/2024", "1999-00": the start year, or a reason it is not one. */
function readFinancialYear(a: string, b: string): number | string {
  const start = Number(a);
  const expected = b.length === 2 ? (start + 1) % 100 : start + 1;
  if (Number(b) !== expected) return `"${a}-${b}" is not a valid financial year (the second year must follow the first)`;
  return start;
}

const FY_RE = /^(?:fy|financial year)?\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})$/;

/**
 * One term of a label or a query, lower-cased: a day, a month, a year, a financial year or
 * quarter, a named month; a reason when it is one of these written wrong; undefined when it is
 * none of them.
 * Long: a flat list of shapes tried in turn, whose order settles what an ambiguous term is
 * (2011-12, 2023-2024, 23-24); in pieces, that order would be spread over several functions.
 */
function parseAtom(s: string, ctx: LabelContext, query: boolean): Atom | string | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) {
    const d = parseIsoDay(s);
    return d === undefined ? `"${s}" is not a real date` : { type: 'period', start: d, end: d, kind: 'day' };
  }
  if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d+)$/.exec(s))) {
    if (m[3]!.length !== 4) return `"${s}": expected dd/mm/yyyy with a four-digit year`;
    const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mo > 12) return `"${s}": month ${mo} does not exist (dates are read as dd/mm/yyyy)`;
    if (!isValidDate(y, mo, d)) return `"${s}" is not a real date`;
    return { type: 'period', start: toDay(y, mo, d), end: toDay(y, mo, d), kind: 'day' };
  }
  if ((m = /^(\d{1,2})\/(\d{4})$/.exec(s))) {
    const mo = Number(m[1]);
    if (mo < 1 || mo > 12) return `"${s}": month ${mo} does not exist`;
    return { type: 'point', point: { year: Number(m[2]), month: mo } };
  }
  if ((m = /^(?:fy|financial year)?\s*(\d{2})\s*[-/]\s*(\d{2})$/.exec(s))) {
    return `"${s}" is not a valid financial year: write it with a four-digit start year (e.g. 20${m[1]}-${m[2]})`;
  }
  if ((m = /^(\d{4})\s*-\s*(\d{2})$/.exec(s)) && !s.startsWith('fy')) {
    // A bare 2011-12: a month in a query (design §5) or where the column says so; in an answer's
    // label a following year means a financial year ("2023-24"), as departments write them.
    const mo = Number(m[2]);
    const fyLike = Number(m[2]) === (Number(m[1]) + 1) % 100;
    if (query || ctx.hint === 'month' || !fyLike) {
      if (mo >= 1 && mo <= 12) return { type: 'point', point: { year: Number(m[1]), month: mo } };
      if (query && fyLike) return `"${s}" is ambiguous: write FY${s} for a financial year`;
      if (query || ctx.hint === 'month') return `"${s}": month ${mo} does not exist`;
    }
  }
  if ((m = FY_RE.exec(s))) {
    // In a query only "FY" or a slash makes a financial year (design §5); "2023-2024" could be
    // either, so say both ways of writing it rather than guessing.
    if (query && !s.startsWith('f') && !s.includes('/')) {
      if (typeof readFinancialYear(m[1]!, m[2]!) === 'string') return undefined;
      return `"${s}" is ambiguous: write FY${m[1]}-${m[2]!.slice(-2)} for a financial year or ${m[1]}..${m[2]} for the calendar years`;
    }
    const fy = readFinancialYear(m[1]!, m[2]!);
    if (typeof fy === 'string') return fy;
    const { start, end } = financialYear(fy);
    return { type: 'period', start, end, kind: 'financial-year' };
  }
  if ((m = /^(?:fy|financial year)?\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*,?\s*q([1-4])$/.exec(s))) {
    const fy = readFinancialYear(m[1]!, m[2]!);
    if (typeof fy === 'string') return fy;
    const q = Number(m[3]);
    const startMonth = 4 + (q - 1) * 3;
    const y = startMonth > 12 ? fy + 1 : fy;
    const mo = ((startMonth - 1) % 12) + 1;
    return { type: 'period', start: monthStart(y, mo), end: monthEnd(y, mo + 2), kind: 'quarter' };
  }
  if ((m = /^q([1-4])\s*[- ]?\s*(\d{4})$/.exec(s)) || (m = /^(\d{4})\s*[- ]?\s*q([1-4])$/.exec(s))) {
    const [q, y] = m[1]!.length === 4 ? [Number(m[2]), Number(m[1])] : [Number(m[1]), Number(m[2])];
    const mo = (q - 1) * 3 + 1;
    return { type: 'period', start: monthStart(y, mo), end: monthEnd(y, mo + 2), kind: 'quarter' };
  }
  if ((m = /^(\d{4})$/.exec(s))) return { type: 'point', point: { year: Number(m[1]) } };
  const named = new RegExp(`^(?:(\\d{1,2})(?:st|nd|rd|th)?\\s*)?${MONTH_RE}(?:[\\s\\-,]+('?\\d{2}|\\d{4}))?$`).exec(s);
  if (named) {
    const month = MONTHS[named[2]!];
    if (month === undefined) return undefined;
    const point: Point = { month };
    if (named[3] !== undefined) point.year = readYear(named[3]);
    if (named[1] !== undefined) point.day = Number(named[1]);
    return { type: 'point', point };
  }
  if ((m = /^(\d{1,2})(?:st|nd|rd|th)?$/.exec(s))) return { type: 'point', point: { day: Number(m[1]) } };
  return undefined;
}

const MISSING_YEAR = 'no year in the label: add "# year: YYYY" metadata or --year';

function pointBounds(p: Point, ctx: LabelContext, text: string): { start: Day; end: Day; kind: PeriodKind } | string {
  const year = p.year ?? ctx.year;
  if (year === undefined) return `"${text}": ${MISSING_YEAR}`;
  if (p.month === undefined) {
    if (p.day !== undefined) return `"${text}": a day needs a month`;
    return { start: toDay(year, 1, 1), end: toDay(year, 12, 31), kind: 'year' };
  }
  if (p.day === undefined) return { start: monthStart(year, p.month), end: monthEnd(year, p.month), kind: 'month' };
  if (!isValidDate(year, p.month, p.day)) return `"${text}" is not a real date`;
  const d = toDay(year, p.month, p.day);
  return { start: d, end: d, kind: 'day' };
}

function atomBounds(a: Atom, ctx: LabelContext, text: string) {
  return a.type === 'period' ? a : pointBounds(a.point, ctx, text);
}

/** The kind a custom interval really is (1-31 July is a month). */
export function classifyInterval(start: Day, end: Day): PeriodKind {
  if (start === end) return 'day';
  const a = fromDay(start);
  const b = fromDay(end);
  if (a.day !== 1 || b.day !== daysInMonth(b.year, b.month)) return 'custom';
  const months = (b.year - a.year) * 12 + (b.month - a.month) + 1;
  if (months === 1) return 'month';
  if (months === 3 && (a.month - 1) % 3 === 0) return 'quarter';
  if (months === 12 && a.month === 1) return 'year';
  if (months === 12 && a.month === 4) return 'financial-year';
  return 'custom';
}

function range(left: Atom, right: Atom, ctx: LabelContext, text: string): { start: Day; end: Day; kind: PeriodKind } | string {
  // The left side inherits what it leaves out from the right: "5-31 July 2024", "January to March 2025".
  let l = left;
  if (l.type === 'point' && right.type === 'point') {
    const p = { ...l.point };
    if (p.year === undefined) p.year = right.point.year;
    if (p.month === undefined && p.day !== undefined) p.month = right.point.month;
    l = { type: 'point', point: p };
  }
  const a = atomBounds(l, ctx, text);
  if (typeof a === 'string') return a;
  const b = atomBounds(right, ctx, text);
  if (typeof b === 'string') return b;
  if (b.end < a.start) return `"${text}" ends before it starts`;
  return { start: a.start, end: b.end, kind: classifyInterval(a.start, b.end) };
}

// A bracketed marker at the very end of a (right-trimmed) label; tried on a short tail only, so a
// long label costs no more than a short one (a regex with a leading \s* scanned a run of spaces
// once per space: 70 KB took 20 s).
const BRACKET_MARKER_RE = /(\[note \d{1,6}\]|\[[a-z]\]|\(\d{1,2}\)|\(note \d{1,6}\))$/i;
const SYMBOL_MARKERS = new Set('*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰');
const BRACKET_TAIL = 14;

/** The marker at the end of `text` (already right-trimmed) and where it starts, if any. */
function lastMarker(text: string): { marker: string; index: number } | undefined {
  let i = text.length;
  while (i > 0 && SYMBOL_MARKERS.has(text[i - 1]!)) i--;
  if (i < text.length) return { marker: text.slice(i), index: i };
  const from = Math.max(0, text.length - BRACKET_TAIL);
  const m = BRACKET_MARKER_RE.exec(text.slice(from));
  return m ? { marker: m[1]!, index: from + m.index } : undefined;
}

/** Splits footnote markers off the end of a label ("July 2024 (1)", "2023*", "June [note 3]"). */
export function splitMarkers(label: string): { text: string; markers: string[] } {
  let text = label.trimEnd();
  const markers: string[] = [];
  for (let m = lastMarker(text); m && m.index > 0; m = lastMarker(text)) {
    // A marker needs something before it: "*" alone is a label, not a footnote.
    const before = text.slice(0, m.index).trimEnd();
    if (before === '') break;
    markers.unshift(m.marker);
    text = before;
  }
  return { text: text.trim(), markers };
}

export function normaliseLabel(label: string): string {
  return label
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

function parseCore(s: string, ctx: LabelContext, query: boolean): { start: Day; end: Day; kind: PeriodKind } | string | undefined {
  const atom = parseAtom(s, ctx, query);
  if (typeof atom === 'string') return atom;
  if (atom) {
    if (atom.type === 'period') return atom;
    if (ctx.hint === 'financial-year' && atom.point.month === undefined && atom.point.year !== undefined) {
      return `"${s}": expected a financial year such as 2023-24`;
    }
    return pointBounds(atom.point, ctx, s);
  }
  let m: RegExpExecArray | null;
  // "December (to 15th)", "July 2024 (from 5th)": part of a month.
  if ((m = /^(.+?)\s*\(\s*(to|up to|until|from)\s+(\d{1,2})(?:st|nd|rd|th)?\s*\)$/.exec(s))) {
    const base = parseCore(m[1]!, ctx, query);
    if (typeof base !== 'object') return base ?? `"${s}": cannot read "${m[1]}" as a month`;
    if (base.kind !== 'month') return `"${s}": a day bound needs a month`;
    const { year, month } = fromDay(base.start);
    const day = Number(m[3]);
    if (!isValidDate(year, month, day)) return `"${s}" is not a real date`;
    const d = toDay(year, month, day);
    return m[2] === 'from' ? { start: d, end: base.end, kind: classifyInterval(d, base.end) } : { start: base.start, end: d, kind: classifyInterval(base.start, d) };
  }
  // "From 5 July 24" (to the end of that month), "Up to 27 Feb 25" (from the start of that month).
  if ((m = /^(from|since|up to|to|until|till)\s+(.+)$/.exec(s))) {
    const at = parseAtom(m[2]!, ctx, query);
    if (typeof at === 'string') return at;
    if (!at || at.type !== 'point' || at.point.day === undefined) return `"${s}": expected a day such as "From 5 July 24"`;
    const b = pointBounds(at.point, ctx, s);
    if (typeof b === 'string') return b;
    const { year, month } = fromDay(b.start);
    return m[1] === 'from' || m[1] === 'since'
      ? { start: b.start, end: monthEnd(year, month), kind: classifyInterval(b.start, monthEnd(year, month)) }
      : { start: monthStart(year, month), end: b.end, kind: classifyInterval(monthStart(year, month), b.end) };
  }
  // "2023 to 2024": a financial year among financial years, else the calendar years.
  if ((m = /^(\d{4}) to (\d{4})$/.exec(s)) && (ctx.financialYearContext || ctx.hint === 'financial-year')) {
    const fy = readFinancialYear(m[1]!, m[2]!);
    if (typeof fy === 'string') return fy;
    const { start, end } = financialYear(fy);
    return { start, end, kind: 'financial-year' };
  }
  // Ranges: "1 January 2025 to 27 February 2025", "5-31 July 2024", "2024-07-05..2024-07-31".
  const separators = query ? [/\.\./g] : [/\.\./g, / to /g, / - /g, /-/g];
  let reason: string | undefined;
  for (const sep of separators) {
    for (const hit of s.matchAll(sep)) {
      const left = s.slice(0, hit.index).trim();
      const right = s.slice(hit.index! + hit[0].length).trim();
      if (!left || !right) continue;
      const l = parseAtom(left, ctx, query);
      const r = parseAtom(right, ctx, query);
      if (l && r && typeof l !== 'string' && typeof r !== 'string') return range(l, r, ctx, s);
      // "A..B" is unmistakably a range, so say what is wrong with its end ("2025-02-30").
      if (hit[0] === '..') reason ??= typeof l === 'string' ? l : typeof r === 'string' ? r : undefined;
    }
  }
  return reason;
}

function toPeriod(label: string, b: { start: Day; end: Day; kind: PeriodKind }): Period {
  return { start: formatDay(b.start), end: formatDay(b.end), label, kind: b.kind };
}

/**
 * The longest label read as a period; the longest real one ("1 January 2025 to 27 February 2025
 * [note 12]") is under 50, and some of the label regexes below cost more than linear time.
 */
export const MAX_PERIOD_LABEL = 200;

/** Reads a period label from an answer table or a long file. */
export function parsePeriodLabel(label: string, ctx: LabelContext = {}): LabelResult {
  if (label.length > MAX_PERIOD_LABEL) return { ok: false, reason: `a period label of ${label.length} characters is too long to read (at most ${MAX_PERIOD_LABEL})` };
  const { text, markers } = splitMarkers(label.trim());
  const s = normaliseLabel(text);
  if (!s) return { ok: false, reason: 'empty period label' };
  if (/^\d{5}$/.test(s)) return { ok: false, reason: `"${s}" looks like an Excel serial date, not a period: export dates as YYYY-MM-DD` };
  const toDate = readToDate(s, ctx);
  if (toDate) {
    if (typeof toDate === 'string') return { ok: false, reason: toDate };
    return { ok: true, period: { ...toPeriod(label.trim(), toDate.bounds), approximate: true }, footnotes: [...markers, ...toDate.footnotes] };
  }
  let result = parseCore(s, ctx, false);
  let footnotes = markers;
  let warning: string | undefined;
  // Footnote digits glued to a label ("December1", "July 20241"), only where the label without
  // them reads and with them does not.
  // A footnote digit glued to a financial year ("2004-051" is 2004-05, note 1).
  const gluedFy = typeof result !== 'object' ? /^(\d{4}\s*[-/]\s*\d{2})(\d)$/.exec(s) : null;
  if (gluedFy) {
    const retry = parseCore(gluedFy[1]!, { ...ctx, hint: undefined }, false);
    if (typeof retry === 'object' && retry.kind === 'financial-year') {
      result = retry;
      footnotes = [...markers, gluedFy[2]!];
    }
  }
  if (typeof result !== 'object') {
    // After a word or a year that follows a word ("December1", "July 20241"); never a bare number ("45292" is an Excel serial, not a year).
    const glued = /^(.*?(?:[a-z)]|\D\d{4}))(\d)$/.exec(s);
    if (glued && !/q$/.test(glued[1]!)) {
      const retry = parseCore(glued[1]!, ctx, false);
      if (typeof retry === 'object') {
        result = retry;
        footnotes = [...markers, glued[2]!];
        // "July 20241" is July 2024 with footnote 1, but "January 20245" may be a slip for 2025.
        if (/\d{4}$/.test(glued[1]!)) warning = `"${label.trim()}" read as ${glued[1]!.replace(/^\w/, (c) => c.toUpperCase())} with footnote ${glued[2]} (a digit glued to the year); if it is a typing slip, correct the label`;
      } else if (result === undefined && typeof retry === 'string') {
        // "December1" without a year: the missing year is the problem worth naming.
        result = retry;
      }
    }
  }
  if (typeof result === 'string') return { ok: false, reason: result };
  if (!result) return { ok: false, reason: `cannot read "${label.trim()}" as a period` };
  return { ok: true, period: toPeriod(label.trim(), result), footnotes, ...(warning ? { warning } : {}) };
}

/**
 * "2007-08 (to date)", "2024 (to date1)", "2023 so far": the period from its start to the answer
 * date, which the label does not give: approximate (the figures may stop a little before it).
 */
function readToDate(s: string, ctx: LabelContext): { bounds: { start: Day; end: Day; kind: PeriodKind }; footnotes: string[] } | string | undefined {
  // The suffix found from the end (no pattern that rescans the label).
  const m = /(?:\(\s*(?:to date|so far|year to date|ytd)\s*(\d?)\s*\)|(?:,|\s)\s*(?:to date|so far))$/.exec(s.length > 40 ? s.slice(-40) : s);
  if (!m) return undefined;
  const head = s.slice(0, s.length - (s.length > 40 ? 40 : s.length) + m.index).replace(/[\s,]+$/, '');
  if (!head) return undefined;
  const base = parseCore(head, ctx, false);
  if (typeof base !== 'object') return base ?? undefined;
  if (!ctx.answered) return `"${s}" runs to the date of the answer, which is not known: give it as "answered" (metadata or the input's entry)`;
  const answered = parseIsoDay(ctx.answered);
  if (answered === undefined) return `"${s}": the answer date "${ctx.answered}" is not a YYYY-MM-DD date`;
  if (answered < base.start) return `"${s}" runs to the answer date ${ctx.answered}, which is before it starts`;
  const end = Math.min(answered, base.end);
  return { bounds: { start: base.start, end, kind: classifyInterval(base.start, end) }, footnotes: m[1] ? [m[1]] : [] };
}

export type QueryResult = { ok: true; period: Period } | { ok: false; reason: string };

const QUERY_HELP = 'expected a period such as 2025-01-01, 2025-01, 2025, 2025-Q1, FY2023-24, 2023/24 or a range A..B';

/** Reads a period typed on the command line (design §5). A bare 2011-12 is a month. */
export function parseQueryPeriod(text: string): QueryResult {
  if (text.length > MAX_PERIOD_LABEL) return { ok: false, reason: `a period of ${text.length} characters is too long to read (at most ${MAX_PERIOD_LABEL}); ${QUERY_HELP}` };
  const s = normaliseLabel(text);
  const result = s ? parseCore(s, {}, true) : undefined;
  if (typeof result === 'string') return { ok: false, reason: `${result}; ${QUERY_HELP}` };
  if (!result) return { ok: false, reason: `cannot read "${text}" as a period; ${QUERY_HELP}` };
  return { ok: true, period: toPeriod(text, result) };
}

export function periodDays(p: Pick<Period, 'start' | 'end'>): number {
  return dayOf(p.end) - dayOf(p.start) + 1;
}
