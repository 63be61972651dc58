// A table as the reader takes it, whatever it came in: rows of cell texts with their positions
// (CSV lines and columns, or an answer table's row and cell numbers), which cells continue a
// spanning cell to their left, and the words printed around the table.
import type { InputRow } from './table.js';

export interface GridRow extends InputRow {
  /** `spans[i]`: cell i continues the cell to its left (an HTML colspan), it is not empty in its own right. */
  spans?: boolean[];
}

/** The words around a table, where an answer says what the table does not (its period, its status). */
export interface TableWords {
  /** The table's own caption (`<caption>`); caption rows inside the grid are found by the reader. */
  caption?: string;
  /** The answer's words before the table (nearest last) and after it. */
  before?: string;
  after?: string;
  /** The question asked (saved API answers). */
  question?: string;
}

export interface TableInput {
  rows: GridRow[];
  words?: TableWords;
  /**
   * Rows shorter than the header are padded with empty cells (an answer's HTML omits them) rather
   * than rejected (a CSV row with fields missing is damaged).
   */
  padShortRows?: boolean;
}

export function cellText(row: GridRow, i: number): string {
  return (row.fields[i] ?? '').trim();
}

export function filledCells(row: GridRow): number[] {
  const out: number[] = [];
  row.fields.forEach((f, i) => { if (f.trim() !== '' && !row.spans?.[i]) out.push(i); });
  return out;
}
