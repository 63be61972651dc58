// What a cell says: an exact count, a suppressed one with bounds ("<5" is 0–4, "[c]" is 0 to
// unknown), or a missing one ("..", "[x]", blank) that is never 0; markers kept as flags.
import type { Count } from '../model/model.js';

export type CountResult =
  | { ok: true; count: Count; warnings: string[] }
  | { ok: false; reason: string; expected: string };

const EXPECTED = 'a whole number ≥ 0, "<N", "[c]", "..", "[x]" or blank, with optional markers like [r] or *';

/** Shorthands of the GSS guidance on symbols in tables, plus the common older ones. */
const MISSING: Record<string, string> = {
  '..': 'not-available', 'n/a': 'not-available', 'na': 'not-available', '[x]': 'not-available',
  '[z]': 'not-applicable', '-': 'nil-or-not-applicable', ':': 'not-available', '[low]': 'not-available',
  // Dashes: the GSS symbol for "nil or not applicable"; answers also type the en and em dash.
  '–': 'nil-or-not-applicable', '—': 'nil-or-not-applicable', 'n.a.': 'not-available', 'not available': 'not-available',
  'not held': 'not-available', 'unavailable': 'not-available', 'not known': 'not-available', 'unknown': 'not-available',
  'no record': 'not-available', 'not recorded': 'not-available',
};

/** Counts written as words ("Zero items", "Nil", "Three"): the ones answers use, up to ninety-nine. */
const UNITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** A count in words, or undefined: "nil" and "none" are 0, "twenty-one" 21. */
export function numberWord(text: string): number | undefined {
  const t = text.toLowerCase().trim();
  if (t === 'nil' || t === 'none') return 0;
  const unit = UNITS.indexOf(t);
  if (unit !== -1) return unit;
  const m = /^([a-z]+)(?:[\s-]+([a-z]+))?$/.exec(t);
  if (!m) return undefined;
  const tens = TENS.indexOf(m[1]!);
  if (tens < 2) return undefined;
  if (m[2] === undefined) return tens * 10;
  const u = UNITS.indexOf(m[2]);
  return u >= 1 && u <= 9 ? tens * 10 + u : undefined;
}

/** A word after a count that says what was counted, not how many: "94 items". */
const UNIT_WORD = /\s(?:items?|devices?|units?|assets?|pieces?)$/i;
const KNOWN_FLAGS = new Set(['r', 'p', 'e', 'u', 'w', 'b', 'd', 'f']);

// A marker at the very end of a right-trimmed cell, tried on a short tail (a leading \s* in the
// regex made a long cell with a run of spaces quadratic); symbol runs are counted by hand.
const BRACKET_MARKER = /(\[note \d{1,6}\]|\[[a-z]{1,4}\]|\(\d{1,2}\)|\(note \d{1,6}\))$/i;
const SYMBOL_MARKERS = new Set('*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰');

function trailingMarker(text: string): { marker: string; index: number } | undefined {
  let i = text.length;
  while (i > 0 && SYMBOL_MARKERS.has(text[i - 1]!)) i--;
  if (i < text.length) return { marker: text.slice(i), index: i };
  const from = Math.max(0, text.length - 14);
  const m = BRACKET_MARKER.exec(text.slice(from));
  return m ? { marker: m[1]!, index: from + m.index } : undefined;
}

function visible(ch: string): string {
  return `\\u${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Reads one count cell. Positions are added by the caller, which knows the file. */
export function parseCount(cell: string): CountResult {
  const warnings: string[] = [];
  const odd = /[\u00a0\u2007\u202f\u200b\u200c\u200d\u2060\ufeff]/.exec(cell);
  if (odd) {
    return { ok: false, reason: `invisible character ${visible(odd[0])} in a count`, expected: 'a number without invisible characters' };
  }
  let text = cell.trim();
  if (text !== cell && text !== '') warnings.push('spaces around a count were trimmed');
  const flags: string[] = [];
  for (let m = trailingMarker(text); m && text.slice(0, m.index).trim() !== ''; m = trailingMarker(text)) {
    const marker = m.marker;
    const inner = /^\[([a-z]{1,4})\]$/i.exec(marker);
    if (inner) {
      const f = inner[1]!.toLowerCase();
      if (!KNOWN_FLAGS.has(f) && !MISSING[`[${f}]`] && f !== 'c') warnings.push(`unknown marker "${marker}" kept as a flag`);
      flags.unshift(f);
    } else {
      flags.unshift(marker);
    }
    text = text.slice(0, m.index).trim();
  }
  const unitWord = UNIT_WORD.exec(text);
  const counted = unitWord ? text.slice(0, unitWord.index).trim() : '';
  if (counted && (/^[\d,]+$/.test(counted) || numberWord(counted) !== undefined)) text = counted;
  const lower = text.toLowerCase();
  const word = numberWord(lower);
  if (word !== undefined) return { ok: true, count: { kind: 'exact', value: word, flags }, warnings };
  if (lower === '') {
    if (flags.length === 0) warnings.push('empty count read as missing (not 0)');
    return { ok: true, count: { kind: 'missing', flags: ['missing', ...flags] }, warnings };
  }
  if (MISSING[lower] !== undefined) return { ok: true, count: { kind: 'missing', flags: [MISSING[lower]!, ...flags] }, warnings };
  if (lower === '[c]' || lower === 'c') return { ok: true, count: { kind: 'suppressed', min: 0, max: null, flags: ['c', ...flags] }, warnings };
  const below = /^(<|<=|≤|fewer than|less than)\s*(\d+)$/.exec(lower);
  if (below) {
    const n = Number(below[2]);
    if (!Number.isSafeInteger(n)) return { ok: false, reason: `"${text}" is too large`, expected: EXPECTED };
    const inclusive = below[1] === '<=' || below[1] === '≤';
    if (!inclusive && n === 0) return { ok: false, reason: `"${cell}" allows no value`, expected: EXPECTED };
    return { ok: true, count: { kind: 'suppressed', min: 0, max: inclusive ? n : n - 1, flags: [...flags] }, warnings };
  }
  const value = parseWhole(text);
  if (typeof value === 'string') return { ok: false, reason: value, expected: EXPECTED };
  if (value.warning) warnings.push(value.warning);
  return { ok: true, count: { kind: 'exact', value: value.n, flags }, warnings };
}

/** A whole number as answers print it: 1234, 1,234, 12.0. Rejects 1,23, 1.234,5, -3, 1e3. */
function parseWhole(text: string): { n: number; warning?: string } | string {
  if (/^-\s*\d/.test(text) || /^[−–]\s*\d/.test(text)) return `negative count "${text}"`;
  if (/^\d+$/.test(text)) return checkSafe(Number(text), text);
  if (/^\d{1,3}(,\d{3})+$/.test(text)) return checkSafe(Number(text.replace(/,/g, '')), text);
  if (/^\d+\.0+$/.test(text)) {
    const r = checkSafe(Number(text), text);
    return typeof r === 'string' ? r : { ...r, warning: `"${text}" read as ${r.n}` };
  }
  if (/^[\d.,]+$/.test(text) && /[.,]/.test(text)) return `ambiguous number format "${text}"`;
  if (/^\d+(\.\d+)?e[+-]?\d+$/i.test(text)) return `scientific notation "${text}" is not a count`;
  return `not a count: "${text}"`;
}

function checkSafe(n: number, text: string): { n: number } | string {
  return Number.isSafeInteger(n) ? { n } : `"${text}" is too large`;
}

/** Bounds of a count as an interval; a missing count has none. */
export function countBounds(c: Count): { min: number; max: number | null } | undefined {
  if (c.kind === 'exact') return { min: c.value, max: c.value };
  if (c.kind === 'suppressed') return { min: c.min, max: c.max };
  return undefined;
}
