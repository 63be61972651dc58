// Written answers after HTML parsing: a table's cells laid on a grid (spans expanded) for the
// answer-table reader; the year that month labels without one belong to; and what an answer says
// when it has no table.
// Pure: the HTML parser lives in io/pq-html.ts, the reading of API responses in io/pq-read.ts.
import type { GridRow } from './grid.js';
import { parsePeriodLabel } from '../engine/period.js';
import { parseIsoDay } from '../engine/dates.js';

/** A `<td>` or `<th>` as text: tags gone, `<br>` and paragraphs a space, `&nbsp;` a space. */
export interface HtmlCell {
  text: string;
  colspan: number;
  rowspan: number;
}

/** One `<table>` of an answer, rows in document order (thead, tbody and tfoot alike). */
export interface HtmlTable {
  rows: HtmlCell[][];
  caption?: string;
}

/**
 * An answer's table as grid rows, as a browser lays it out: colspan fills to the right (the cells
 * it covers are marked as spans), rowspan downwards. Positions are the table's row and cell
 * numbers (1-based): the HTML of an answer is often one line, so source lines would not tell
 * rows apart. Spans are bounded by the table's real size: a rowspan stops at the last row, and the
 * grid is at most four times as wide as its widest row of real cells (a span bomb of a few hundred
 * bytes cannot make millions of cells).
 */
export function htmlGrid(table: HtmlTable): GridRow[] {
  const rows = table.rows;
  const realWidth = rows.reduce((n, r) => Math.max(n, r.length), 0);
  const spanWidth = rows.reduce((n, r) => Math.max(n, r.reduce((w, c) => w + c.colspan, 0)), 0);
  const width = Math.min(spanWidth, Math.max(realWidth * 4, realWidth + 8));
  // pending[c]: how many more rows the cell above still covers in column c.
  const pending = new Int32Array(width);
  const out: GridRow[] = [];
  rows.forEach((row, r) => {
    const fields: string[] = [];
    const spans: boolean[] = [];
    let col = 0;
    const place = (text: string, span: boolean) => { fields[col] = text; spans[col] = span; col++; };
    const skipCovered = () => { while (col < width && pending[col]! > 0) { pending[col]!--; place('', true); } };
    for (const cell of row) {
      skipCovered();
      if (col >= width) break;
      const start = col;
      place(cell.text, false);
      for (let c = 1; c < cell.colspan && col < width; c++) place('', true);
      const down = Math.min(cell.rowspan, rows.length - r) - 1;
      for (let c = start; c < col; c++) pending[c] = Math.max(pending[c]!, down);
    }
    skipCovered();
    const line = r + 1;
    out.push({ fields, line, columns: fields.map((_, i) => i + 1), blank: fields.every((f) => f.trim() === ''), spans });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// The year of month labels written without one ("January" … "December (to 15th)").

export type YearBasis = 'option' | 'question' | 'answer-date';

export interface YearChoice {
  year?: number;
  basis?: YearBasis;
  /** Why no year was chosen, for the reject message of each row that needs one. */
  reason?: string;
}

/** Calendar years a question names ("in each month of 2024"), leaving out financial years' halves. */
export function yearsInText(text: string): number[] {
  const years = new Set<number>();
  for (const m of text.matchAll(/(?<![\d/-])(19[5-9]\d|20\d\d)(?![\d])(\s*[-/–]\s*\d{2,4}\b)?/g)) {
    if (m[2]) continue;
    years.add(Number(m[1]));
  }
  return [...years].sort((a, b) => a - b);
}

/** The labels, among `labels`, that read as a period only once a year is supplied. */
export function yearlessLabels(labels: string[]): string[] {
  return labels.filter((l) => l.trim() !== '' && !parsePeriodLabel(l).ok && parsePeriodLabel(l, { year: 2000 }).ok);
}

/**
 * The year for labels without one: --year; else the one calendar year the question names; else,
 * when the question names none, the year of the answer if every such label, read in that year,
 * ends by the answer date (months "so far this year"). Anything else is ambiguous: no year, and
 * the reason says to use --year.
 */
export function chooseYear(labels: string[], question: string | undefined, answered: string | undefined, option?: number): YearChoice {
  if (option !== undefined) return { year: option, basis: 'option' };
  const needing = yearlessLabels(labels);
  if (needing.length === 0) return {};
  const named = question ? yearsInText(question) : [];
  if (named.length === 1) return { year: named[0]!, basis: 'question' };
  if (named.length > 1) return { reason: `the question names several years (${named.join(', ')}): use --year` };
  const answeredDay = answered ? parseIsoDay(answered) : undefined;
  if (answered && answeredDay !== undefined) {
    const year = Number(answered.slice(0, 4));
    const fits = needing.every((l) => {
      const p = parsePeriodLabel(l, { year });
      return p.ok && p.period.end <= answered;
    });
    if (fits) return { year, basis: 'answer-date' };
    return { reason: `the question names no year and these months do not all fall before the answer date (${answered}): use --year` };
  }
  return { reason: 'no year in the question, and no answer date: use --year' };
}

// ---------------------------------------------------------------------------------------------
// Answers that hold no table to read.

/** List results carry a preview of the answer: plain text cut at a fixed length, ending "...". */
export function isTruncatedPreview(answerText: string): boolean {
  const t = answerText.trimEnd();
  return t.endsWith('...') || t.endsWith('…');
}

/** "I will write to the hon. Member as soon as possible": a holding answer, not the answer. */
export function isHoldingText(text: string): boolean {
  return /\b(?:i|we)\s+(?:will|shall)\s+(?:reply|respond|write|answer)\b.{0,120}?\bas soon as (?:possible|practicable|it is|the information)/i.test(text)
    || /\bholding answer\b/i.test(text);
}

/** A short quotation of an answer's words for a message. */
export function snippet(text: string, length = 100): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > length ? `${t.slice(0, length - 1)}…` : t;
}
