// GitHub-flavoured Markdown tables for pasting into articles; notes as a numbered list below.
import { cellText, humanNumber, type RenderOptions, type Report } from './report.js';

function escapeMd(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function* markdown(report: Report, _options: RenderOptions): Generator<string> {
  const cols = report.humanColumns ?? report.columns;
  yield `| ${cols.map((c) => escapeMd(c.title ?? c.key)).join(' | ')} |\n`;
  yield `| ${cols.map((c) => (c.type === 'number' ? '---:' : '---')).join(' | ')} |\n`;
  for (const [i, row] of (report.humanRows ?? report.rows).entries()) {
    const cells = cols.map((c) => {
      const v = row[c.key];
      const text = escapeMd(typeof v === 'number' ? humanNumber(v, c.digits) : cellText(v));
      return report.emphasis?.has(i) && text ? `**${text}**` : text;
    });
    yield `| ${cells.join(' | ')} |\n`;
  }
  if (report.notes.length) {
    yield '\n';
    for (const [i, note] of report.notes.entries()) yield `${i + 1}. ${escapeMd(note)}\n`;
  }
}
