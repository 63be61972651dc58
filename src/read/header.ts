// Step 1 of reading a table: where its header is. Blank rows and caption rows above it (a title,
// "Losses and thefts for period April 2005 to March 2009", a year over each table), then one
// header row or two (years over Lost/Stolen, spanning cells as colspan or as empty cells), the
// corner cell empty first, or missing, or printed last.
import type { Diagnostic } from '../model/diagnostics.js';
import { parseCount } from '../engine/count.js';
import { cellText, filledCells, type GridRow } from './grid.js';
import { type LabelEnv, hasFacets, isLabelHeader, readFacets } from './labels.js';

/** Caption rows above a header, at most (a notes-only column of text is not a table). */
const MAX_CAPTIONS = 20;

export interface HeaderFound {
  /** Rows above the header: blank, or captions (their text is the table's words). */
  above: { row: GridRow; caption: boolean }[];
  captions: { text: string; line: number }[];
  /** Each column's header text, level by level (one level, or two for a header on two rows). */
  levels: string[][];
  /** The header rows as read (the first one positions header problems). */
  rows: GridRow[];
  body: GridRow[];
  width: number;
}

/** `headerLine`: --header-row (or the input's `header-row`): the line the header is on. */
export function findHeader(rows: GridRow[], file: string, env: LabelEnv, headerLine: number | undefined, trim: boolean): HeaderFound | Diagnostic {
  const top = headerLine !== undefined ? rowsAboveLine(rows, file, headerLine) : rowsAboveTable(rows);
  if ('code' in top) return top;
  const { above, captions, start: k } = top;
  const first = rows[k];
  if (!first) return { file, line: rows[0]?.line ?? 1, code: 'NO_HEADER', message: 'the table has no header row', expected: 'a header row' };
  if (headerLine !== undefined && isFiguresRow(first, env)) {
    return {
      file, line: first.line, column: 1, code: 'DATA_AS_HEADER',
      message: `line ${first.line}, given as the header row, is a row of figures ("${cellText(first, 0)}" and its counts): that header row does not fit this input`,
      expected: 'the line of the column labels', got: first.fields.join(','),
    };
  }
  const widthOf = (r: GridRow) => (trim ? trimmedWidth(r) : r.fields.length);
  let width = widthOf(first);
  const headerRows = [first];
  let levels: string[][] = first.fields.slice(0, width).map((f) => [f.trim()]);
  const sub = rows[k + 1];
  if (sub && isSubHeader(first, sub, env)) {
    headerRows.push(sub);
    width = Math.max(width, widthOf(sub));
    levels = twoLevels(first, sub, width);
  }
  const body = rows.slice(k + headerRows.length);
  const shifted = shiftHeader(levels, body, env);
  if (shifted) levels = shifted;
  width = Math.max(width, levels.length);
  while (levels.length < width) levels.push([]);
  return { above, captions, levels, rows: headerRows, body, width };
}

type Above = Pick<HeaderFound, 'above' | 'captions'> & { start: number };

/** The rows above the header row given (--header-row): blank or captions; a row of figures there fails. */
function rowsAboveLine(rows: GridRow[], file: string, headerLine: number): Above | Diagnostic {
  const above: HeaderFound['above'] = [];
  const captions: HeaderFound['captions'] = [];
  let k = 0;
  for (; k < rows.length && rows[k]!.line < headerLine; k++) {
    const row = rows[k]!;
    // A row of figures above the stated header would be lost: the option does not fit this input.
    if (!row.blank && looksLikeData(row)) {
      return {
        file, line: row.line, column: row.columns[filledCells(row)[1] ?? 0] ?? 1, code: 'DATA_ABOVE_HEADER',
        message: `line ${row.line} holds figures but is above the header row given (${headerLine}): that header row does not fit this input`,
        expected: 'a header row at or above the first row of figures', got: row.fields.join(','),
      };
    }
    above.push({ row, caption: !row.blank });
    if (!row.blank) captions.push({ text: row.fields.map((f) => f.trim()).filter(Boolean).join(' '), line: row.line });
  }
  return { above, captions, start: k };
}

/** The blank rows and captions above a table: one text at the start of a row, above rows with more. */
function rowsAboveTable(rows: GridRow[]): Above {
  const above: HeaderFound['above'] = [];
  const captions: HeaderFound['captions'] = [];
  let k = 0;
  for (; k < rows.length; k++) {
    const row = rows[k]!;
    if (row.blank) { above.push({ row, caption: false }); continue; }
    const filled = filledCells(row);
    // One text at the start of a row, above rows with more: a caption, not the header.
    const wider = rows.slice(k + 1, k + 1 + MAX_CAPTIONS).some((r) => filledCells(r).length >= 2);
    if (filled.length === 1 && filled[0] === 0 && wider && parseCount(cellText(row, 0)).ok === false) {
      above.push({ row, caption: true });
      captions.push({ text: cellText(row, 0), line: row.line });
      continue;
    }
    break;
  }
  return { above, captions, start: k };
}

/** The labels of a two-row header, column by column: a label over several columns covers them all ("2015" over "Lost" and "Stolen"). */
function twoLevels(first: GridRow, sub: GridRow, width: number): string[][] {
  const levels: string[][] = [];
  let carried = '';
  for (let i = 0; i < width; i++) {
    const top = cellText(first, i);
    if (i > 0 && top) carried = top;
    const upper = i === 0 ? top : top || carried;
    levels.push([upper, cellText(sub, i)].filter(Boolean));
  }
  return levels;
}

function trimmedWidth(row: GridRow): number {
  let w = row.fields.length;
  while (w > 1 && row.fields[w - 1]!.trim() === '' && !row.spans?.[w - 1]) w--;
  return w;
}

/** A label that reads as a period or an asset type, then only counts: a data row ("January 2024,1,2"). */
function isFiguresRow(row: GridRow, env: LabelEnv): boolean {
  const label = readFacets(cellText(row, 0), env);
  if (!(label.period || label.category?.known)) return false;
  const rest = filledCells(row).filter((i) => i > 0);
  return rest.length > 0 && rest.every((i) => parseCount(row.fields[i]!).ok);
}

/** Two or more count-shaped cells: a row of figures, not a title. */
export function looksLikeData(row: GridRow): boolean {
  return filledCells(row).filter((i) => i > 0 && parseCount(row.fields[i]!).ok).length >= 1 && filledCells(row).length >= 2;
}

/**
 * A second header row: no label of its own (the corner is empty), words that head columns
 * (Lost, Stolen, Number, Cost) and no figures, under a first row with cells spanning or left
 * empty over it.
 */
function isSubHeader(first: GridRow, sub: GridRow, env: LabelEnv): boolean {
  if (sub.blank || cellText(sub, 0) !== '') return false;
  const cells = filledCells(sub).filter((i) => i > 0);
  if (cells.length === 0) return false;
  for (const i of cells) {
    const text = cellText(sub, i);
    if (parseCount(text).ok) return false;
    const f = readFacets(text, env);
    if (!(f.status || f.measure || f.category?.known || f.total)) return false;
  }
  return cells.some((i) => cellText(first, i) === '' || first.spans?.[i] === true);
}

/**
 * A header whose corner cell is printed last ("Laptops,Phones," over "2023,5,3") or left out
 * (one cell fewer than the rows): its labels head the columns after the row labels.
 */
function shiftHeader(levels: string[][], body: GridRow[], env: LabelEnv): string[][] | undefined {
  if (levels.length < 2 || levels.some((l) => l.length > 1)) return undefined;
  const firstLabel = levels[0]![0] ?? '';
  if (!firstLabel || isLabelHeader(firstLabel, env.aliases) || !hasFacets(readFacets(firstLabel, env))) return undefined;
  const data = body.filter((r) => !r.blank);
  if (data.length === 0) return undefined;
  const lastEmpty = (levels[levels.length - 1]![0] ?? '') === '';
  const wider = data.every((r) => trimmedWidth(r) === levels.length + 1);
  if (!lastEmpty && !wider) return undefined;
  const labels = levels.map((l) => l[0] ?? '');
  const kept = lastEmpty ? labels.slice(0, -1) : labels;
  return [[''], ...kept.map((l) => [l])];
}
