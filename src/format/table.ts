// The human table: for people at a terminal, may change between versions. It fits the width it
// is given (the terminal's): columns two spaces apart, a rule under the header and none between
// rows, numbers right-aligned with thousands separators; a table too wide leaves out the columns
// marked as droppable, then falls back to one block of `name  value` lines per row. Notes and the
// lead sentence are wrapped at word boundaries. Colour only when asked to.
import { Chalk, type ChalkInstance } from 'chalk';
import { type Column, type HumanTable, humanCell, humanTables, type RenderOptions, type Report } from './report.js';
import { escapeControls } from '../model/diagnostics.js';
import { maxOf } from '../engine/arrays.js';

const GAP = 2;

/** Code points a terminal draws two columns wide (East Asian wide and fullwidth, emoji). */
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{1f300}-\u{1faff}\u{20000}-\u{3fffd}]/u;
/** Code points that take no column: combining marks, zero-width characters, controls. */
const ZERO = /[\p{M}\u200b-\u200f\u2060\ufeff\u0000-\u001f\u007f]/u;

/** Columns a text takes on a terminal (colour codes take none). */
export function displayWidth(text: string): number {
  let n = 0;
  for (const ch of text.replace(/\u001b\[[0-9;]*m/g, '')) n += ZERO.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
  return n;
}

function pad(text: string, width: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
}

/**
 * Wraps text at spaces to lines of at most `width` columns; the lines after the first start with
 * `indent`. A word longer than a line (a file path) is cut only when it must be.
 */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  const room = () => width - (lines.length === 0 ? 0 : displayWidth(indent));
  for (let word of text.split(/ +/)) {
    if (line && displayWidth(line) + 1 + displayWidth(word) <= room()) {
      line += ` ${word}`;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    while (displayWidth(word) > room() && room() > 10) {
      let cut = '';
      for (const ch of word) {
        if (displayWidth(cut + ch) > room()) break;
        cut += ch;
      }
      lines.push(cut);
      word = word.slice(cut.length);
    }
    line = word;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l));
}

interface Laid {
  columns: Column[];
  cells: string[][];
  widths: number[];
}

function layOut(t: HumanTable, columns: Column[]): Laid {
  const cells = t.rows.map((row) => columns.map((c) => humanCell(row[c.key], c)));
  const widths = columns.map((c, j) => cells.reduce((w, r) => Math.max(w, displayWidth(r[j]!)), displayWidth(escapeControls(c.title ?? c.key))));
  return { columns, cells, widths };
}

const tableWidth = (l: Laid) => l.widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, l.widths.length - 1);

function* grid(t: HumanTable, l: Laid, chalk: ChalkInstance): Generator<string> {
  const right = l.columns.map((c) => c.type === 'number');
  const line = (texts: string[]) => texts.map((x, j) => pad(x, l.widths[j]!, right[j]!)).join(' '.repeat(GAP)).trimEnd();
  const rule = l.widths.map((w) => '─'.repeat(w)).join(' '.repeat(GAP));
  yield `${chalk.bold(line(l.columns.map((c) => escapeControls(c.title ?? c.key))))}\n`;
  yield `${chalk.dim(rule)}\n`;
  let out = '';
  for (const [i, texts] of l.cells.entries()) {
    const strong = t.emphasis?.has(i);
    // A totals row at the end stands apart under a rule; no other row has one.
    if (strong && i === l.cells.length - 1 && i > 0) out += `${chalk.dim(rule)}\n`;
    out += `${strong ? chalk.bold(line(texts)) : line(texts)}\n`;
    if (out.length > 1 << 16) {
      yield out;
      out = '';
    }
  }
  if (out) yield out;
}

/** One block of `name  value` lines per row, for a table too wide for the terminal. */
function* vertical(t: HumanTable, columns: Column[], width: number, chalk: ChalkInstance): Generator<string> {
  const names = columns.map((c) => escapeControls(c.title ?? c.key));
  const nameWidth = maxOf(names.map(displayWidth));
  for (const [i, row] of t.rows.entries()) {
    if (i > 0) yield '\n';
    let out = '';
    for (const [j, c] of columns.entries()) {
      const text = humanCell(row[c.key], c);
      if (text === '') continue;
      const lines = wrap(text, Math.max(20, width - nameWidth - GAP), ' '.repeat(nameWidth + GAP));
      const value = t.emphasis?.has(i) ? chalk.bold(lines.join('\n')) : lines.join('\n');
      out += `${chalk.bold(pad(names[j]!, nameWidth, false))}${' '.repeat(GAP)}${value}\n`;
    }
    yield out;
  }
}

/** The table at this width: all columns, or fewer (dropped ones named), or vertical. */
export function* fitTable(t: HumanTable, width: number, chalk: ChalkInstance): Generator<string> {
  let columns = t.columns;
  let laid = layOut(t, columns);
  const dropped: string[] = [];
  const droppable = columns.filter((c) => c.drop !== undefined).sort((a, b) => b.drop! - a.drop!);
  while (tableWidth(laid) > width && droppable.length > 0) {
    const c = droppable.shift()!;
    dropped.push(escapeControls(c.title ?? c.key));
    columns = columns.filter((x) => x !== c);
    laid = layOut(t, columns);
  }
  if (tableWidth(laid) > width) {
    yield* vertical(t, t.columns, width, chalk);
    return;
  }
  yield* grid(t, laid, chalk);
  if (dropped.length) {
    for (const l of wrap(`(left out to fit ${width} columns: ${dropped.join(', ')}; -f csv has every column)`, width)) yield `${chalk.dim(l)}\n`;
  }
}

export function* table(report: Report, options: RenderOptions): Generator<string> {
  const width = Math.max(20, options.width ?? 80);
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  for (const sentence of report.lead ?? []) {
    for (const l of wrap(escapeControls(sentence), width)) yield `${chalk.bold(l)}\n`;
  }
  if (report.lead?.length) yield '\n';
  for (const [i, t] of humanTables(report).entries()) {
    if (i > 0) yield '\n';
    yield* fitTable(t, width, chalk);
  }
  if (report.notes.length) {
    yield '\n';
    for (const [i, note] of report.notes.entries()) {
      const mark = `[${i + 1}]`;
      const lines = wrap(`${mark} ${escapeControls(note)}`, width, ' '.repeat(mark.length + 1));
      yield `${chalk.yellow(mark)}${lines.join('\n').slice(mark.length)}\n`;
    }
  }
}
