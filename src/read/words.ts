// The period an answer gives in words: "from 1 April 2023 to 10 November 2023", "Between 7th
// February 2023, when the Department was formed, to 10th November 2023", "(October 2022 to
// October 2023)", "in 2022", "in the financial year 2010-11", and the relative ones ("in the last
// year", "over the last 12 months", "so far in 2023") that end at the answer's date and do not say
// which days they mean: those are approximate. Pure: text in, a period or a reason out.
import type { Period } from '../model/model.js';
import { classifyInterval, parsePeriodLabel } from '../engine/period.js';
import { type Day, formatDay, fromDay, isValidDate, parseIsoDay, toDay } from '../engine/dates.js';

export interface WordsPeriod {
  period: Period;
  /** The words it was read from, as printed. */
  phrase: string;
  approximate: boolean;
}

export type WordsResult =
  | { ok: true; found: WordsPeriod }
  | { ok: false; reason: string; phrase: string }
  | undefined;

const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
/** A day, a month or a year as prose writes them: "7th February 2023", "1 Nov 2022", "October 2022", "01/04/2023". */
const DATE = `(?:(?:\\d{1,2}(?:st|nd|rd|th)?\\s+)?${MONTH},?\\s+\\d{4}|\\d{1,2}/\\d{1,2}/\\d{4}|\\d{4}-\\d{2}-\\d{2})`;
const RANGE_WORDS = new RegExp(`\\b(?:from|between|since)\\s+(${DATE})\\b[^.;:]{0,160}?\\s(?:to|and|until|till|up to)\\s+(?:the\\s+)?(${DATE})`, 'i');
const RANGE_BARE = new RegExp(`(${DATE})\\s*(?:to|until|till|-|–|—)\\s*(${DATE})`, 'i');
const FINANCIAL_YEAR = /\b(?:financial years?|fy)\s*(\d{4}\s*[-/–]\s*\d{2,4})\b/gi;
const FY_PHRASE = /\b(?:in|during|for)\s+(\d{4}\s*[-/–]\s*\d{2}(?:\d{2})?)\b/gi;
const MONTH_PHRASE = new RegExp(`\\b(?:in|during|for)\\s+(${MONTH}\\s+\\d{4})\\b`, 'i');
const YEAR_PHRASE = /\b(?:in|during|for|so far in|throughout)\s+(?:the\s+(?:calendar\s+)?year\s+)?((?:19|20)\d{2})\b(?!\s*[-/–]\s*\d)/i;

/** "in the last year", "over the last 12 months", "in the past two years": N months back from the answer. */
const LAST_N = /\b(?:in|over|during|for|within)\s+the\s+(?:last|past|previous|preceding)\s+(?:(\d{1,2}|one|two|three|six|twelve|eighteen|twenty-four)\s+)?(year|years|month|months|calendar year|12-month period)\b/i;
const SO_FAR_THIS_YEAR = /\b(?:so far this year|this year to date|so far in this year|in this year|this calendar year|year to date)\b/i;
const TO_DATE = /\b(?:to date|so far)\b/i;

const WORD_NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, six: 6, twelve: 12, eighteen: 18, 'twenty-four': 24 };

/** Does a sentence speak of the figures (losses, thefts, the table), so its dates are theirs? */
const ABOUT_FIGURES = /\b(?:lost|stolen|loss|losses|theft|thefts|missing|misplaced|figures?|table|recorded|reported|records)\b/i;

export function sentencesOf(text: string): string[] {
  return text.split(/(?<=[.!?:])\s+(?=[A-Z(0-9])/).map((s) => s.trim()).filter(Boolean);
}

/**
 * The period one passage gives: the first sentence about the figures that names one. Several
 * different periods in one passage ("in the financial year 2010-11, 2011-12 and 2012-13") give
 * none: they belong to the tables, each of which names its own.
 */
export function periodInWords(text: string, answered: string | undefined, { anySentence = false } = {}): WordsResult {
  for (const sentence of sentencesOf(text)) {
    if (!anySentence && !ABOUT_FIGURES.test(sentence)) continue;
    const found = periodInSentence(sentence, answered);
    if (found) return found;
  }
  return undefined;
}

/** The period one sentence (or label) names, exact phrases before relative ones. */
export function periodInSentence(sentence: string, answered: string | undefined): WordsResult {
  const s = sentence.replace(/[\s\u00a0]+/g, ' ');
  const range = RANGE_WORDS.exec(s) ?? RANGE_BARE.exec(s);
  if (range) {
    const a = parsePeriodLabel(range[1]!.replace(/,/g, ''));
    const b = parsePeriodLabel(range[2]!.replace(/,/g, ''));
    if (a.ok && b.ok && b.period.end >= a.period.start) {
      return exact(range[0], a.period.start, b.period.end);
    }
  }
  const fys = new Set<string>();
  let fyPhrase = '';
  for (const re of [FINANCIAL_YEAR, FY_PHRASE]) {
    for (const m of s.matchAll(re)) {
      const p = parsePeriodLabel(m[1]!.replace(/–/g, '-'), { financialYearContext: true });
      if (p.ok && p.period.kind === 'financial-year') {
        fys.add(p.period.start);
        fyPhrase ||= m[0];
      }
    }
  }
  // "in the financial year 2010-11, 2011-12 and 2012-13": the years the tables give, one each.
  const moreYears = /\d{4}\s*[-/–]\s*\d{2}\s*(?:,|and)\s*\d{4}\s*[-/–]\s*\d{2}/.test(s);
  if (fys.size === 1 && !moreYears) {
    const start = [...fys][0]!;
    const p = parsePeriodLabel(`${start.slice(0, 4)}-${String((Number(start.slice(0, 4)) + 1) % 100).padStart(2, '0')}`);
    if (p.ok) return clipToAnswer(fyPhrase, p.period.start, p.period.end, answered, false);
  }
  if (fys.size > 1 || moreYears) return undefined;
  // Several calendar years named ("in 2021, 2022 and 2023", "in 2021 compared with 2022"): the
  // sentence gives no one period, as for several financial years.
  if (new Set([...s.matchAll(/(?<![\d/-])((?:19|20)\d{2})(?![\d])/g)].map((m) => m[1])).size > 1) return undefined;
  const month = MONTH_PHRASE.exec(s);
  if (month) {
    const p = parsePeriodLabel(month[1]!);
    if (p.ok) return clipToAnswer(month[0], p.period.start, p.period.end, answered, false);
  }
  const year = YEAR_PHRASE.exec(s);
  if (year) {
    const y = Number(year[1]);
    const soFar = /so far/i.test(year[0]) || TO_DATE.test(s);
    return clipToAnswer(year[0], formatDay(toDay(y, 1, 1)), formatDay(toDay(y, 12, 31)), answered, soFar);
  }
  const last = LAST_N.exec(s);
  if (last) {
    const n = last[1] ? Number(last[1]) || WORD_NUMBERS[last[1].toLowerCase()]! : 1;
    const months = /month/i.test(last[2]!) ? n : n * 12;
    return relative(last[0], answered, (end) => addMonths(end, -months) + 1);
  }
  const thisYear = SO_FAR_THIS_YEAR.exec(s);
  if (thisYear) return relative(thisYear[0], answered, (end) => toDay(fromDay(end).year, 1, 1));
  return undefined;
}

function exact(phrase: string, start: string, end: string): WordsResult {
  const a = parseIsoDay(start)!;
  const b = parseIsoDay(end)!;
  return { ok: true, found: { phrase: phrase.trim(), approximate: false, period: { start, end, label: phrase.trim(), kind: classifyInterval(a, b) } } };
}

/**
 * A year or month named in an answer given before it ended ("in 2023", answered in November
 * 2023): the figures run to the answer, not the year's end; how close to it the answer does not
 * say, so the period is approximate. `soFar`: the words say so themselves ("so far in 2023").
 */
function clipToAnswer(phrase: string, start: string, end: string, answered: string | undefined, soFar: boolean): WordsResult {
  const day = answered ? parseIsoDay(answered) : undefined;
  // Without the answer's date, "in 2023" may mean all of 2023 or 2023 up to the answer: not known.
  if (day === undefined) return noDate(phrase);
  if (day < parseIsoDay(start)!) return { ok: false, reason: `the answer (${answered}) is dated before the period it names ("${phrase.trim()}")`, phrase: phrase.trim() };
  if (day >= parseIsoDay(end)! && !soFar) return exact(phrase, start, end);
  const to = Math.min(day, parseIsoDay(end)!);
  return approximate(phrase, parseIsoDay(start)!, to);
}

function relative(phrase: string, answered: string | undefined, startOf: (end: Day) => Day): WordsResult {
  const end = answered ? parseIsoDay(answered) : undefined;
  if (end === undefined) return noDate(phrase);
  return approximate(phrase, startOf(end), end);
}

function approximate(phrase: string, start: Day, end: Day): WordsResult {
  const label = phrase.trim();
  return { ok: true, found: { phrase: label, approximate: true, period: { start: formatDay(start), end: formatDay(end), label, kind: classifyInterval(start, end), approximate: true } } };
}

function noDate(phrase: string): WordsResult {
  return {
    ok: false, phrase: phrase.trim(),
    reason: `"${phrase.trim()}" depends on the answer's date (the period may run only up to it), which is not known: give it as "answered: YYYY-MM-DD" (in an inputs file entry, or "# answered:" metadata)`,
  };
}

/** The same day `months` months away (the last day of the month where it has fewer days). */
function addMonths(day: Day, months: number): Day {
  const { year, month, day: d } = fromDay(day);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  let dd = d;
  while (!isValidDate(y, m, dd)) dd--;
  return toDay(y, m, dd);
}
