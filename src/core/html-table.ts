// Written answers after HTML parsing: a table's cells laid on a grid (spans expanded), the header
// found, counts glued to labels split off, rows shaped as the answer-table reader takes them; the
// year that month labels without one belong to; and what an answer says when it has no table.
// Pure: the HTML parser lives in io/pq-html.ts, the reading of API responses in io/pq-read.ts.
import type { Diagnostic } from './diagnostics.js';
import type { InputRow } from './table.js';
import { parsePeriodLabel } from './period.js';
import { parseIsoDay } from './dates.js';

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

export interface PreparedTable {
  header: InputRow;
  rows: InputRow[];
  /** Rows above the header (spacers, a caption row): read and skipped, as title rows of a CSV. */
  skippedAbove: { line: number; blank: boolean }[];
  warnings: Diagnostic[];
  notes: Diagnostic[];
}

/**
 * Positions in an answer's table are its row and cell numbers (1-based, the header is row 1 of
 * what follows any caption rows): the HTML of an answer is often one line, so its source lines
 * would not tell rows apart, and the Total checks and duplicate messages cite rows by line.
 */
export function prepareTable(table: HtmlTable, file: string, readsAsLabel: (label: string) => boolean): PreparedTable | undefined {
  const grid = layOut(table.rows);
  const warnings: Diagnostic[] = [];
  const notes: Diagnostic[] = [];
  const skippedAbove: PreparedTable['skippedAbove'] = [];
  let at = 0;
  // Spacer rows and a caption row (one cell spanning the table) above the header.
  for (; at < grid.length; at++) {
    const row = grid[at]!;
    const filled = row.cells.filter((c) => c !== '');
    if (filled.length === 0) { skippedAbove.push({ line: at + 1, blank: true }); continue; }
    if (row.spanning && grid.length > at + 1) {
      notes.push({ file, line: at + 1, code: 'CAPTION_ROW', message: `caption row above the header skipped: "${filled[0]!.slice(0, 60)}"` });
      skippedAbove.push({ line: at + 1, blank: false });
      continue;
    }
    break;
  }
  if (at >= grid.length) return undefined;
  const headerCells = trimTrailingEmpty(grid[at]!.cells);
  const width = headerCells.length;
  const toRow = (cells: string[], line: number): InputRow => ({
    fields: cells, line, columns: cells.map((_, i) => i + 1), blank: cells.every((c) => c.trim() === ''),
  });
  const header = toRow(headerCells, at + 1);
  const rows: InputRow[] = [];
  for (let k = at + 1; k < grid.length; k++) {
    const line = k + 1;
    let cells = grid[k]!.cells.slice();
    // Cells past the header's width that hold nothing are layout, not data.
    while (cells.length > width && cells[cells.length - 1] === '') cells.pop();
    if (cells.length === width - 1 && width > 1) {
      const split = splitGluedCount(cells[0] ?? '', readsAsLabel);
      if (split) {
        warnings.push({ file, line, column: 1, code: 'GLUED_COUNT', message: `count glued to its label: "${cells[0]}" read as label "${split.label}" and count ${split.count}` });
        cells = [split.label, split.count, ...cells.slice(1)];
      }
    }
    // One text cell alone is a note under the table (the answer-table reader skips and counts it).
    if (cells.length < width && cells.filter((c) => c !== '').length > 1) {
      warnings.push({ file, line, code: 'SHORT_ROW', message: `row has ${cells.length} cell${cells.length === 1 ? '' : 's'}, the header ${width}: the missing cells are read as empty` });
    }
    while (cells.length < width) cells.push('');
    rows.push(toRow(cells, line));
  }
  return { header, rows, skippedAbove, warnings, notes };
}

interface GridRow { cells: string[]; spanning: boolean }

/** Places cells on a grid as a browser does: colspan fills to the right, rowspan downwards (with ''). */
function layOut(rows: HtmlCell[][]): GridRow[] {
  const grid: GridRow[] = [];
  const carried = new Map<string, true>();
  const width = Math.max(0, ...rows.map((r) => r.reduce((n, c) => n + c.colspan, 0)));
  rows.forEach((row, r) => {
    const cells: string[] = [];
    let col = 0;
    const skipCarried = () => { while (carried.has(`${r},${col}`)) { cells[col] = ''; col++; } };
    for (const cell of row) {
      skipCarried();
      cells[col] = cell.text;
      for (let c = 1; c < cell.colspan; c++) cells[col + c] = '';
      for (let d = 1; d < cell.rowspan; d++) for (let c = 0; c < cell.colspan; c++) carried.set(`${r + d},${col + c}`, true);
      col += cell.colspan;
    }
    skipCarried();
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    grid.push({ cells, spanning: row.length === 1 && row[0]!.colspan > 1 && row[0]!.colspan >= width });
  });
  return grid;
}

function trimTrailingEmpty(cells: string[]): string[] {
  const out = cells.slice();
  while (out.length > 1 && out[out.length - 1] === '') out.pop();
  return out;
}

/**
 * Old answers sometimes lost the cell boundary between a row's label and its first count
 * ("Laptops65", "January 2024 12"). Split only when the row is one cell short, the cell does not
 * read as a label as it stands ("From 5 July 24" is a label, its row just short), and exactly one
 * split leaves a label that reads (a period or an asset type) and a plain count: "January 202412"
 * could be January + 202412 or January 2024 + 12, so it is not split.
 */
export function splitGluedCount(cell: string, readsAsLabel: (label: string) => boolean): { label: string; count: string } | undefined {
  const text = cell.trim();
  if (readsAsLabel(text)) return undefined;
  const run = /[\d,]+$/.exec(text);
  if (!run || run.index === 0) return undefined;
  const found: { label: string; count: string }[] = [];
  for (let k = run.index; k < text.length; k++) {
    const label = text.slice(0, k).trim();
    const count = text.slice(k);
    if (!label || label.endsWith(',') || !/^(0|[1-9]\d*|[1-9]\d{0,2}(,\d{3})+)$/.test(count)) continue;
    if (readsAsLabel(label)) found.push({ label, count });
  }
  return found.length === 1 ? found[0] : undefined;
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
