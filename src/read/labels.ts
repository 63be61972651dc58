// What a header cell or a row label says about the cells it heads: a period, a category, a
// status, what is measured (counts, costs, staff), whether it is a Total, and a count glued to it.
// Labels as departments print them: the question's list markers ("(A) Lost", "iv) External hard
// drives", "1."), footnote markers, words run together by a web page ("12laptopcomputers").
// Pure: text in, facets out.
import type { Period } from '../model/model.js';
import { type AliasTables, aliasKey, resolveCategory } from '../engine/aliases.js';
import { numberWord } from '../engine/count.js';
import { type LabelContext, normaliseLabel, parsePeriodLabel, splitMarkers } from '../engine/period.js';

/** What a row or column holds: counts of devices, or something else kept out of the counts. */
export type Measure = 'count' | 'cost' | 'staff' | 'other';

export interface Facets {
  /** The label as printed, trimmed. */
  raw: string;
  /** Without list markers and footnote markers. */
  text: string;
  /** The words that name the item, without a count glued to them ("laptopcomputers"). */
  name: string;
  footnotes: string[];
  period?: Period;
  /** A period read that deserves a second look ("January 20245": January 2024, footnote 5). */
  periodWarning?: string;
  /** Why the label is not a period, when it looks like one would be expected. */
  periodReason?: string;
  category?: { value: string; known: boolean };
  status?: string;
  measure?: Measure;
  /** Says "Total": a stated total, checked against the sum of the others, never summed. */
  total: boolean;
  /** A count printed before the words ("12laptopcomputers", "17 laptops", "Three mobile phones"). */
  glued?: string;
}

/** The question's list markers at the start of a label: "(A) ", "a) ", "(i) ", "iv) ", "1. ". */
const LIST_MARKER = /^\s*(?:\(\s*(?:[a-z]|[ivx]{1,5}|\d{1,2})\s*\)|(?:[a-z]|[ivx]{1,5}|\d{1,2})\s*[).])\s*/i;
const TOTAL = /^(?:(?:grand|overall|sub)[\s-]*)?totals?\b\s*(?:of\b)?\s*/i;
/** Totals worded otherwise: "All devices", "All", "Devices total", "Overall". */
const OTHER_TOTAL = /^(?:all(?:\s+(?:devices|items|assets|equipment|categories|types))?|overall|(?:\w+\s+)?totals?)$/i;
const COST = /£|\$|€|\b(?:costs?|values?|price|spend|expenditure|replacement|amount|worth)(?![a-z])/i;
const STAFF = /\b(?:staff|employees|headcount|users|personnel|people employed|workforce)\b/i;
const OTHER = /%|\b(?:percent(?:age)?|rate|notes?|comments?|remarks|reference|ref|proportion|ratio|date reported)\b/i;
/** Words that say "how many": a count column with no category of its own. */
const COUNT_WORDS = /^(?:(?:total\s+)?(?:number|no\.?|numbers|count|quantity|qty|volume|figures?|items?|devices?|assets?|equipment|incidents?)(?:\s+of\s+(?:items?|devices?|assets?|incidents?|equipment))?)\b/i;

/** Status words as they appear inside labels; both a loss and a theft word make lost-or-stolen. */
const LOST_WORD = /(?:lost|loss|losses|misplaced|mislaid)(?![a-z])/i;
/** "Missing" and "unaccounted for" do not say whether an item was lost or stolen. */
const EITHER_WORD = /(?:missing|unaccounted for)(?![a-z])/i;
const STOLEN_WORD = /(?:stolen|stole|thefts?)(?![a-z])/i;
const RECOVERED_WORD = /(?:^|[^a-z])(?:recovered|found|returned)(?![a-z])/i;

/** Words that carry no meaning for the series: "Encrypted laptops", "Number of mobile phones". */
const FILLER = /\b(?:encrypted|reported|recorded|departmental|the|number|no\.|of|items?|devices?|lost|stolen|losses|thefts?|misplaced|missing|or|and|from|department|in|total)\b|[/&,]/gi;

export interface LabelEnv {
  aliases: AliasTables;
  labelCtx: LabelContext;
}

/** Removes the question's list marker ("(A) Lost" → "Lost"); a bare "(1)" stays (a footnote). */
export function stripListMarker(label: string): string {
  const m = LIST_MARKER.exec(label);
  if (!m) return label.trim();
  const rest = label.slice(m[0].length).trim();
  return rest ? rest : label.trim();
}

export function readFacets(label: string, env: LabelEnv): Facets {
  const raw = label.replace(/[\s\u00a0\u2007\u202f]+/g, ' ').trim();
  const unlisted = stripListMarker(raw);
  const { text, markers } = splitMarkers(unlisted);
  const facets: Facets = { raw, text, name: text, footnotes: markers, total: false };
  if (!text) return facets;
  const period = parsePeriodLabel(unlisted, env.labelCtx);
  if (period.ok) {
    facets.period = period.period;
    facets.footnotes = period.footnotes;
    if (period.warning) facets.periodWarning = period.warning;
    return facets;
  }
  facets.periodReason = period.reason;
  let rest = text;
  const total = TOTAL.exec(rest);
  if (total) {
    facets.total = true;
    rest = rest.slice(total[0].length).trim();
  } else if (OTHER_TOTAL.test(rest)) {
    facets.total = true;
    rest = '';
  }
  if (STAFF.test(rest)) {
    // "Total number of staff" heads a headcount, not a Total of the counts.
    facets.measure = 'staff';
    facets.total = false;
    return facets;
  }
  if (COST.test(rest)) facets.measure = 'cost';
  else if (OTHER.test(rest)) facets.measure = 'other';
  const status = statusIn(rest, env.aliases);
  if (status) facets.status = status;
  const glued = gluedCount(rest);
  const words = glued ? glued.rest : rest;
  const category = categoryIn(words, env.aliases);
  if (category) {
    facets.category = category;
    if (glued && category.known) {
      facets.glued = glued.count;
      facets.name = words;
    }
  }
  if (!facets.measure && COUNT_WORDS.test(rest)) facets.measure = 'count';
  return facets;
}

/** True when the label says anything a table's axis could carry. */
export function hasFacets(f: Facets): boolean {
  return !!(f.period || f.category?.known || f.status || f.measure || f.total);
}

/** The status a label names: whole ("Lost", "Recovered"), or inside it ("Number Lost", "Stolen Laptops"). */
export function statusIn(text: string, aliases: AliasTables): string | undefined {
  const whole = aliases.statuses.get(aliasKey(text));
  if (whole) return whole;
  const lost = LOST_WORD.test(text);
  const stolen = STOLEN_WORD.test(text);
  if ((lost && stolen) || EITHER_WORD.test(text)) return 'lost-or-stolen';
  if (stolen) return 'stolen';
  if (lost) return 'lost';
  if (RECOVERED_WORD.test(text)) return 'recovered';
  return undefined;
}

/**
 * The category a label names: the whole label through the alias table, then with its filler
 * words gone ("Stolen Laptops", "Encrypted smartphones"), then with its spaces gone, as web pages
 * lose them ("laptopcomputers", "other pieces of ITequipment").
 */
export function categoryIn(text: string, aliases: AliasTables): { value: string; known: boolean } | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const whole = resolveCategory(aliases, t);
  if (whole.known) return whole;
  const bare = t.replace(FILLER, ' ').replace(/\s+/g, ' ').trim();
  if (bare && bare !== t) {
    const b = resolveCategory(aliases, bare);
    if (b.known) return b;
  }
  const squeezed = squeezedCategories(aliases).get(t.toLowerCase().replace(/[^a-z]/g, ''));
  if (squeezed) return { value: squeezed, known: true };
  return { value: whole.value, known: false };
}

const squeezedCache = new WeakMap<AliasTables, Map<string, string>>();

/** The category aliases with everything but letters removed: "laptopcomputers" → laptop. */
function squeezedCategories(aliases: AliasTables): Map<string, string> {
  let map = squeezedCache.get(aliases);
  if (!map) {
    map = new Map();
    for (const [variant, canonical] of aliases.categories) {
      const key = variant.replace(/[^a-z]/g, '');
      if (key.length >= 3 && !map.has(key)) map.set(key, canonical);
    }
    squeezedCache.set(aliases, map);
  }
  return map;
}

/** A count before the words of a label: "12laptopcomputers", "17 laptops", "Three mobile phones". */
export function gluedCount(text: string): { count: string; rest: string } | undefined {
  const digits = /^(\d{1,3}(?:,\d{3})+|\d+)\s*(?=[a-z])/i.exec(text);
  if (digits) return { count: digits[1]!, rest: text.slice(digits[0].length).trim() };
  const word = /^([a-z]+(?:-[a-z]+)?)\s+/i.exec(text);
  if (word && numberWord(word[1]!) !== undefined && word[1]!.toLowerCase() !== 'none') return { count: word[1]!, rest: text.slice(word[0].length).trim() };
  return undefined;
}

/** A label column's own header ("Item", "Type", "Month"): names the labels, heads no counts. */
export function isLabelHeader(text: string, aliases: AliasTables): boolean {
  const t = normaliseLabel(stripListMarker(text));
  if (!t) return true;
  if (/^(?:item|items|item type|type|types|device|devices|device type|asset|assets|asset type|equipment|category|description|month|year|period|date|financial year|fy|quarter|calendar year)$/.test(t)) return true;
  return aliases.headers.get(aliasKey(t)) !== undefined && !COUNT_WORDS.test(t);
}
