// Written answers' HTML to table grids (parse5), and the pure rules around them: the header row,
// spans, glued counts, the year of month labels without one, answers with nothing to read.
import { describe, expect, it } from 'vitest';
import { parseAnswerHtml } from '../src/io/pq-html.js';
import { chooseYear, htmlGrid, isHoldingText, isTruncatedPreview, yearsInText } from '../src/read/html-grid.js';
import { readAnswerTable, splitGluedCount } from '../src/read/answer-table.js';
import { parsePeriodLabel } from '../src/engine/period.js';
import { defaultAliases, resolveCategory } from '../src/engine/aliases.js';

const aliases = defaultAliases();
const readsAsLabel = (l: string) => parsePeriodLabel(l, { year: 2000 }).ok || resolveCategory(aliases, l).known;

/** The cell texts of each table of an answer. */
function grids(html: string): string[][][] {
  return parseAnswerHtml(html).tables.map((t) => t.rows.map((r) => r.map((c) => c.text)));
}

/** An answer's first table read: its header labels, its body rows as the reader shaped them, the result. */
function prepared(html: string) {
  const table = parseAnswerHtml(html).tables[0]!;
  const rows = htmlGrid(table);
  const p = readAnswerTable({ rows, padShortRows: true }, { sourceId: 'a', file: 'answer.html#table1', aliases, metadata: { department: 'MOD' } });
  const first = rows.findIndex((r) => !r.blank && r.fields.filter((f) => f.trim()).length > 1);
  return { header: Object.keys(p.headerMapping), rows: rows.slice(first + 1).map((r) => r.fields), p };
}

describe('cell text, as MoD answers write cells', () => {
  it.each([
    ['upper-case tags', '<TABLE><TBODY><TR><TD>Month</TD><TD>Phones</TD></TR><TR><TD>January 2024</TD><TD>3</TD></TR></TBODY></TABLE>', [['Month', 'Phones'], ['January 2024', '3']]],
    ['<td> header wrapped in <p><strong>', '<table><tr><td><p><strong>Month</strong></p></td><td><p><strong>Phones</strong></p></td></tr><tr><td><p>March</p></td><td><p>16</p></td></tr></table>', [['Month', 'Phones'], ['March', '16']]],
    ['<br> in a header cell is a space', '<table><tr><td>Month</td><td>Mobile<br>phones</td><td>USB<br/>sticks</td><td>External hard<BR>drives</td></tr></table>', [['Month', 'Mobile phones', 'USB sticks', 'External hard drives']]],
    ['&nbsp; padding and &nbsp;-only cells', '<table><tr><td>&nbsp;Month&nbsp;</td><td>Phones&nbsp;</td></tr><tr><td>&nbsp;</td><td>&nbsp;&nbsp;</td></tr></table>', [['Month', 'Phones'], ['', '']]],
    ['paragraphs inside a cell are separated', '<table><tr><td><p>From 5</p><p>July 24</p></td><td><p>&nbsp;</p><p>14</p></td></tr></table>', [['From 5 July 24', '14']]],
    ['<em> and <span> inside a word do not split it', '<table><tr><td><em>Lap</em>tops</td><td><span>1</span>2</td></tr></table>', [['Laptops', '12']]],
    ['footnote digits in <sup> become (n)', '<table><tr><td>July<sup>1</sup></td><td>12<sup>2</sup></td><td>Total<sup>*</sup></td></tr></table>', [['July(1)', '12(2)', 'Total*']]],
    ['missing end tags, as browsers read them', '<table><tr><td>Month<td>Phones<tr><td>May<td>10</table>', [['Month', 'Phones'], ['May', '10']]],
    ['<th> header in <thead>, body, then <tfoot>', '<table><tfoot><tr><td>Total</td><td>5</td></tr></tfoot><thead><tr><th>Month</th><th>Phones</th></tr></thead><tbody><tr><td>May</td><td>5</td></tr></tbody></table>', [['Total', '5'], ['Month', 'Phones'], ['May', '5']]],
  ])('%s', (_name, html, expected) => {
    expect(grids(html)[0]).toEqual(expected);
  });

  it('finds every table of an answer, and keeps the words around them', () => {
    const parsed = parseAnswerHtml('<p>Computers:</p><table><tr><td>Month</td><td>Computers</td></tr></table><p>&nbsp;</p><p>Phones:</p><table><tr><td>Month</td><td>Phones</td></tr></table>');
    expect(parsed.tables).toHaveLength(2);
    expect(parsed.text).toBe('Computers: Phones:');
  });

  it('reads a table nested in a cell as that cell\'s text, not as a table of the answer', () => {
    const parsed = parseAnswerHtml('<table><tr><td>a</td><td><table><tr><td>b</td></tr></table></td></tr></table>');
    expect(parsed.tables).toHaveLength(1);
    expect(parsed.tables[0]!.rows[0]!.map((c) => c.text)).toEqual(['a', 'b']);
  });
});

describe('answer HTML tables: the header and the rows the answer-table reader takes', () => {
  it('the header is the first row; positions are table row and cell numbers', () => {
    const { header, p } = prepared('<table><tr><td>Month</td><td>Phones</td></tr><tr><td>May 2024</td><td>5</td></tr></table>');
    expect(header).toEqual(['Phones']);
    expect(p.records.map((r) => [r.provenance.line, r.provenance.column, r.count])).toEqual([[2, 2, { kind: 'exact', value: 5, flags: [] }]]);
  });

  it('skips spacer rows and a caption row spanning the table above the header', () => {
    const { header, p } = prepared('<table><tr><td>&nbsp;</td><td></td></tr><tr><td colspan="2"><strong>Table 1: devices</strong></td></tr><tr><td>Month</td><td>Phones</td></tr><tr><td>May 2024</td><td>5</td></tr></table>');
    expect(header).toEqual(['Phones']);
    expect([p.stats.rows_read, p.stats.skipped_blank, p.stats.skipped_title, p.stats.rows_accepted]).toEqual([3, 1, 1, 1]);
    expect(p.notes.map((n) => n.code)).toEqual(['CAPTION_ROW', 'AMALGAMATED']);
  });

  it('expands colspan and rowspan as a browser lays them out', () => {
    const grid = htmlGrid(parseAnswerHtml('<table><tr><td>Month</td><td>Phones</td><td>Laptops</td></tr><tr><td rowspan="2">May 2024</td><td colspan="2">n/a</td></tr><tr><td>1</td><td>2</td></tr></table>').tables[0]!);
    expect(grid.map((r) => r.fields)).toEqual([['Month', 'Phones', 'Laptops'], ['May 2024', 'n/a', ''], ['', '1', '2']]);
    expect(grid.map((r) => r.spans)).toEqual([[false, false, false], [false, false, true], [true, false, false]]);
  });

  it('bounds spans by the table\'s real size: a rowspan stops at the last row, colspans at four times the widest row', () => {
    const bomb = `<table>${'<tr><td colspan="1000" rowspan="1000">x</td></tr>'.repeat(3)}</table>`;
    const grid = htmlGrid(parseAnswerHtml(bomb).tables[0]!);
    expect(grid).toHaveLength(3);
    expect(Math.max(...grid.map((r) => r.fields.length))).toBeLessThanOrEqual(9);
  });

  it('pads a short row with empty cells and says so', () => {
    const { p } = prepared('<table><tr><td>Month</td><td>Phones</td><td>Laptops</td></tr><tr><td>May 2024</td><td>1</td></tr></table>');
    expect(p.records.map((r) => [r.series.category, r.count.kind])).toEqual([['phone', 'exact'], ['laptop', 'missing']]);
    expect(p.warnings.map((w) => w.code)).toEqual(['SHORT_ROW', 'COUNT_WARNING']);
  });

  it('a one-cell note row under the table is left to the notes rule, without a short-row warning', () => {
    const { p } = prepared('<table><tr><td>Month</td><td>Phones</td><td>Laptops</td></tr><tr><td>May 2024</td><td>1</td><td>2</td></tr><tr><td>Figures are provisional.</td></tr></table>');
    expect(p.stats.skipped_notes).toBe(1);
    expect(p.warnings).toEqual([]);
  });

  it('drops empty trailing layout cells past the header', () => {
    const { header, p } = prepared('<table><tr><td>Month</td><td>Phones</td><td></td></tr><tr><td>May 2024</td><td>5</td><td>&nbsp;</td></tr></table>');
    expect(header).toEqual(['Phones']);
    expect(p.records).toHaveLength(1);
    expect(p.warnings).toEqual([]);
  });

  it('splits a count glued to its label when the row is one cell short', () => {
    const { p } = prepared('<table><tr><td></td><td>2017</td><td>2018</td></tr><tr><td>Laptops65</td><td>106</td></tr><tr><td>Mobile phones 50</td><td>69</td></tr></table>');
    expect(p.records.map((r) => [r.series.category, r.period.label, r.count.kind === 'exact' ? r.count.value : null])).toEqual([
      ['laptop', '2017', 65], ['laptop', '2018', 106], ['phone', '2017', 50], ['phone', '2018', 69],
    ]);
    expect(p.warnings.map((w) => w.code)).toEqual(['GLUED_COUNT', 'GLUED_COUNT']);
  });

  it('gives no rows for a table with no cells', () => {
    expect(htmlGrid({ rows: [] })).toEqual([]);
  });
});

describe('splitGluedCount: only where exactly one split reads', () => {
  it.each([
    ['Laptops65', { label: 'Laptops', count: '65' }],
    ['Mobile phones50', { label: 'Mobile phones', count: '50' }],
    ['Memory Sticks 48', { label: 'Memory Sticks', count: '48' }],
    ['January 2024 12', { label: 'January 2024', count: '12' }],
    ['From 5 July 24 14', { label: 'From 5 July 24', count: '14' }],
    ['2023 1,234', { label: '2023', count: '1,234' }],
    ['January 202412', undefined],
    ['From 5 July 24', undefined],
    ['May 2024', undefined],
    ['202312', undefined],
    ['Laptops', undefined],
    ['65', undefined],
    ['Widgets 65', undefined],
  ])('%s', (cell, expected) => {
    expect(splitGluedCount(cell, readsAsLabel)).toEqual(expected);
  });
});

describe('chooseYear: the year of month labels written without one', () => {
  const months = ['January', 'February', 'December (to 15th)'];
  it('--year wins', () => {
    expect(chooseYear(months, 'in each month of 2023', '2024-12-19', 2022)).toEqual({ year: 2022, basis: 'option' });
  });
  it('labels with their own years need none', () => {
    expect(chooseYear(['Jan-23', 'Feb-23'], 'since 2017', undefined)).toEqual({});
  });
  it('the one calendar year the question names', () => {
    expect(chooseYear(months, 'how many … in each month of 2024.', '2025-01-10')).toEqual({ year: 2024, basis: 'question' });
  });
  it('a question naming several years is ambiguous: the reason names --year', () => {
    const c = chooseYear(months, 'in (a) 2023 and (b) 2024', '2024-12-19');
    expect(c.year).toBeUndefined();
    expect(c.reason).toMatch(/several years \(2023, 2024\).*--year/);
  });
  it('no year in the question: the answer\'s year when every month ends by the answer date', () => {
    expect(chooseYear(months, 'in each month of this year', '2024-12-19')).toEqual({ year: 2024, basis: 'answer-date' });
  });
  it('no year in the question and months after the answer date: ambiguous, names --year', () => {
    const c = chooseYear(['November', 'December'], 'in each of the last 12 months', '2025-01-10');
    expect(c.year).toBeUndefined();
    expect(c.reason).toMatch(/--year/);
  });
  it('no question and no answer date (an HTML file): names --year', () => {
    expect(chooseYear(months, undefined, undefined).reason).toMatch(/--year/);
  });
  it.each([
    ['in each month of 2024', [2024]],
    ['in 2023-24 and 2024/25', []],
    ['since 5 July 2024, and in 2023', [2023, 2024]],
    ['in each of the last five years', []],
    ['UIN 202412 and reference 12024', []],
  ])('yearsInText(%j)', (text, years) => {
    expect(yearsInText(text)).toEqual(years);
  });
});

describe('answers with nothing to read', () => {
  it.each([
    ['<p>The number of devices is shown below.</p>', false],
    ['The figures are as follows:MonthPhonesJanuary 13February 6 Decem...', true],
    ['Cut short…', true],
    ['<p>The answer ends with a table.</p><table><tr><td>1</td></tr></table>', false],
  ])('isTruncatedPreview(%j) is %s', (text, expected) => {
    expect(isTruncatedPreview(text)).toBe(expected);
  });
  it.each([
    ['I will reply to the hon. Member as soon as possible.', true],
    ['I will write to the hon. Member as soon as possible and place a copy in the Library.', true],
    ['The Ministry of Defence will reply as soon as possible.', false],
    ['The information is not held centrally.', false],
  ])('isHoldingText(%j) is %s', (text, expected) => {
    expect(isHoldingText(text)).toBe(expected);
  });
});
