// GitHub-flavoured Markdown tables for pasting into articles: the lead sentence, the tables,
// notes as a numbered list below. Numbers as people read them (1,234); no width limit.
import { humanCell, humanTables, type RenderOptions, type Report } from './report.js';
import { escapeControls } from '../model/diagnostics.js';

/** Markdown's own characters, then every other control character shown, never run by a terminal. */
function escapeMd(text: string): string {
  return escapeControls(text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>'));
}

export function* markdown(report: Report, _options: RenderOptions): Generator<string> {
  for (const sentence of report.lead ?? []) yield `${escapeMd(sentence)}\n`;
  if (report.lead?.length) yield '\n';
  for (const [n, t] of humanTables(report).entries()) {
    if (n > 0) yield '\n';
    yield `| ${t.columns.map((c) => escapeMd(c.title ?? c.key)).join(' | ')} |\n`;
    yield `| ${t.columns.map((c) => (c.type === 'number' ? '---:' : '---')).join(' | ')} |\n`;
    for (const [i, row] of t.rows.entries()) {
      const cells = t.columns.map((c) => {
        const text = escapeMd(humanCell(row[c.key], c));
        return t.emphasis?.has(i) && text ? `**${text}**` : text;
      });
      yield `| ${cells.join(' | ')} |\n`;
    }
  }
  if (report.notes.length) {
    yield '\n';
    for (const [i, note] of report.notes.entries()) yield `${i + 1}. ${escapeMd(note)}\n`;
  }
}
