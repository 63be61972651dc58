// Figures an answer gives in sentences instead of a table: "69 Encrypted laptops have been
// reported lost or stolen in 2023", "this department recorded ten lost/stolen laptops and eight
// lost/stolen phones", "The number of lost laptops was 30", "No External Hard Drives have been
// reported lost or stolen". Only a number next to a device word is a figure: "3,500 staff" and
// "no lost or stolen items" are not. Pure: text in, figures with their sentences out.
import type { Period } from '../model/model.js';
import type { AliasTables } from '../engine/aliases.js';
import { emptyStats, makeRecord, type ReadContext, seriesDefaults, type TableResult } from './table.js';
import { parsePeriodLabel } from '../engine/period.js';
import { numberWord } from '../engine/count.js';
import { categoryIn, statusIn } from './labels.js';
import { periodInSentence, periodInWords, sentencesOf } from './words.js';

export interface TextFigure {
  category: string;
  /** The status the sentence names (lost, stolen, lost-or-stolen), if any. */
  status?: string;
  count: number;
  /** The words the figure was read from ("69 Encrypted laptops"). */
  phrase: string;
  sentence: string;
  /** The figure's own part of the sentence, up to the next figure. */
  clause: string;
}

const UNITS = 'one|two|three|four|five|six|seven|eight|nine';
const WORDS = `no|zero|nil|none|${UNITS}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\\s-](?:${UNITS}))?`;
const COUNT = String.raw`(\d{1,3}(?:,\d{3})+|\d+|` + WORDS + ')';
const FILLER = String.raw`(?:(?:encrypted|departmental|lost|stolen|lost\s*/\s*stolen|lost\s+or\s+stolen|missing|mobile|new|further|other|more|additional)\s+)*`;
const DEVICE = String.raw`([a-z][a-z'’]{0,30}(?:[\s-][a-z][a-z'’]{0,30}){0,3})`;
/** A count before a device phrase: "69 Encrypted laptops", "ten lost/stolen laptops". */
const BEFORE = new RegExp(String.raw`(?<![\w£$.,])${COUNT}(?![\w,])(?=\s+(${FILLER})${DEVICE})`, 'gi');
/** "The number of lost laptops was 30", "the number of laptops lost or stolen is 12". */
const NUMBER_OF = new RegExp(String.raw`\bnumber\s+of\s+(${FILLER})${DEVICE}[^.;]{0,40}?\s(?:was|is|were|totalled|came to|stands at)\s+${COUNT}\b`, 'gi');

/** Words before a count that make it no exact figure. */
const QUALIFIER = /\b(?:fewer than|less than|under|below|up to|at most|more than|over|at least|around|about|approximately|nearly|almost|some|roughly|circa|c\.|upwards of)\s*$/i;

/** Words that may follow a device phrase without belonging to it. */
const STOP = /\s+(?:have|has|had|were|was|are|is|been|reported|recorded|lost|stolen|in|on|at|and|or|during|over|since|from|to|with|which|that|the|of|so)(?:\s.*)?$/i;

export function figuresInText(text: string, aliases: AliasTables): TextFigure[] {
  const out: TextFigure[] = [];
  for (const sentence of sentencesOf(text)) {
    // Each figure's own clause, from it to the next figure: its status and period are the ones
    // said there ("69 laptops were lost in 2023 and 12 phones were stolen in the last year").
    const found: { at: number; countText: string; filler: string; deviceText: string; countFirst: boolean }[] = [];
    for (const m of sentence.matchAll(BEFORE)) {
      // "In 2023 laptops were …": a year, not a count.
      const before = sentence.slice(Math.max(0, m.index - 40), m.index);
      if (/^(?:19|20)\d\d$/.test(m[1]!) && /\b(?:in|since|during|of|for|from|to|between|and|until)\s*$/i.test(before)) continue;
      // "fewer than 5", "more than 20", "around 30": not a count the answer gives exactly.
      if (QUALIFIER.test(before)) continue;
      found.push({ at: m.index, countText: m[1]!, filler: m[2] ?? '', deviceText: m[3]!, countFirst: true });
    }
    for (const m of sentence.matchAll(NUMBER_OF)) found.push({ at: m.index, countText: m[3]!, filler: m[1] ?? '', deviceText: m[2]!, countFirst: false });
    found.sort((x, y) => x.at - y.at);
    const seen = new Set<string>();
    found.forEach((f, k) => {
      const count = countOf(f.countText);
      if (count === undefined) return;
      const device = bestDevice(f.deviceText, aliases);
      if (!device) return;
      const key = `${device.category}|${count}`;
      if (seen.has(key)) return;
      seen.add(key);
      const clause = sentence.slice(f.at, found[k + 1]?.at ?? sentence.length);
      const status = statusIn(clause, aliases) ?? statusIn(sentence, aliases);
      const phrase = f.countFirst ? `${f.countText} ${f.filler}${device.words}` : `number of ${f.filler}${device.words} … ${f.countText}`;
      out.push({ category: device.category, ...(status ? { status } : {}), count, phrase: phrase.replace(/\s+/g, ' ').trim(), sentence, clause });
    });
  }
  return out;
}

function countOf(text: string): number | undefined {
  const t = text.toLowerCase();
  if (/^[\d,]+$/.test(t)) return Number(t.replace(/,/g, ''));
  if (t === 'no' || t === 'zero') return 0;
  const w = numberWord(t);
  return w;
}

/** The longest start of the words that names a known category: "laptops have been" → laptop. */
function bestDevice(words: string, aliases: AliasTables): { category: string; words: string } | undefined {
  let text = words.replace(STOP, '').trim();
  for (let n = 0; n < 4 && text; n++) {
    const c = categoryIn(text, aliases);
    if (c?.known) return { category: c.value, words: text };
    text = text.replace(/[\s-]*[^\s-]+$/, '').trim();
  }
  return undefined;
}

/** An answer's sentences as records: each figure with its sentence, flagged `from-text`. */
export function readTextFigures(text: string, figures: TextFigure[], ctx: ReadContext, question: string | undefined, line: number): TableResult {
  const result: TableResult = { layout: 'text', records: [], rejects: [], warnings: [], notes: [], totalChecks: [], stats: emptyStats(), headerMapping: {} };
  const { file } = ctx;
  const defaults = seriesDefaults(ctx, (code, message) => result.warnings.push({ file, code, message }));
  const answered = ctx.metadata.answered?.trim() || undefined;
  const stated = ctx.metadata.period;
  const fixed = stated !== undefined ? parsePeriodLabel(stated, { answered }) : undefined;
  const whole = periodInWords(text, answered);
  const asked = question ? periodInSentence(question, answered) : undefined;
  const seen = new Map<string, TextFigure>();
  for (const f of figures) {
    result.stats.rows_read++;
    const reject = (message: string) => {
      result.stats.rows_rejected++;
      result.rejects.push({ file, line, code: 'REJECTED_ROW', message, got: f.sentence });
    };
    const inClause = periodInSentence(f.clause, answered);
    const own = inClause && (inClause.ok || !periodInSentence(f.sentence, answered)?.ok) ? inClause : periodInSentence(f.sentence, answered);
    let period: Period | undefined;
    let from = '';
    if (fixed?.ok) { period = fixed.period; from = 'metadata'; }
    else {
      const found = [own, whole, asked].find((w) => w?.ok);
      if (found?.ok) { period = found.found.period; from = found === asked ? 'question' : 'text'; }
      else {
        const why = [own, whole, asked].find((w) => w && !w.ok);
        reject(`"${f.phrase}": ${why && !why.ok ? why.reason : 'no period in the sentence, the answer or the question: give one as "period:" in its inputs file entry'}`);
        continue;
      }
    }
    const status = f.status ?? defaults.status;
    const key = `${f.category}|${status}`;
    const twin = seen.get(key);
    if (twin) {
      if (twin.count === f.count) { result.stats.rows_read--; continue; }
      reject(`"${f.phrase}" and "${twin.phrase}" give two figures for ${f.category}`);
      continue;
    }
    seen.set(key, f);
    const record = makeRecord(ctx, defaults, { category: f.category, status }, period, { kind: 'exact', value: f.count, flags: ['from-text'] }, {
      line, column: 0, raw: f.phrase, rowLabel: f.sentence, columnLabel: 'text',
    });
    record.provenance.period_from = from;
    result.records.push(record);
    result.stats.rows_accepted++;
  }
  result.stats.records = result.records.length;
  result.notes.push({ file, code: 'FROM_TEXT', message: `${result.records.length} figure${result.records.length === 1 ? '' : 's'} read from the answer's sentences (no table)` });
  return result;
}
