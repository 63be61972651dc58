// The bad-input battery (../shared/docs/bad-inputs.md), run through the CLI (in process; the
// pipes and terminals of the last cases through the real binary). Each case names its bad-inputs
// row. An error is exit 2 and nothing on stdout, its code at FILE:LINE[:COL] (--debug), and one
// clear line `assetloss: FILE:LINE[:COL]: …` saying what was expected and what was found: those
// words are the battery's contract, so each error case checks them once. An accepted case pins its
// records and its warnings by code and position (and --strict then fails it); every `validate`
// run keeps read = accepted + rejected + skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DiagnosticCode } from '../src/model/diagnostics.js';
import { runShell } from './helpers/spawn.js';
import { tempDir } from './helpers/files.js';
import { runInProcess } from './helpers/run.js';
import { diagnostics, escapeRe, expectNoStack, parseNdjson, project, type Row, validateJson } from './helpers/output.js';

type Bytes = string | Uint8Array;

interface ErrorCase {
  item: string;
  name: string;
  file: string;
  bytes: Bytes;
  args?: string[];
  /** FILE:LINE[:COL] as printed. */
  at: string;
  code: DiagnosticCode;
  /** The rest of the message: what was expected, with the offending text. */
  says: RegExp;
  /** `row`: one row is rejected (validate reports it, --lenient keeps going); `input`: the file cannot be read. */
  scope: 'row' | 'input';
}

interface AcceptCase {
  item: string;
  name: string;
  file: string;
  bytes: Bytes;
  args?: string[];
  records: Row[];
  /** The warnings, in order, by position and code (none when not given). */
  warns?: { at: string; code: DiagnosticCode }[];
  /** Checks on the validate document's only input. */
  validate?: (input: Row) => void;
  /** validate's exit code: 0 unless the case keeps rejected rows (--lenient). */
  validateExit?: number;
}

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const utf16le = (text: string, bom = true) => Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(text, 'utf16le')]);

const LONG = 'period,category,count,department\n';
const long1 = (count: string) => `${LONG}2024-01,Laptops,${count},HO\n`;
const rec = (extra: Row): Row => ({ department: 'HO', category: 'laptop', period: '2024-01', start: '2024-01-01', end: '2024-01-31', ...extra });
const countRec = (count: number | null, count_kind: string, flags: string[], min = count, max = count): Row =>
  rec({ count, count_min: min, count_max: max, count_kind, flags, line: 2, column: 17 });

const ERRORS: ErrorCase[] = [
  {
    item: '4', name: 'Windows-1252 bytes read as UTF-8 (the default)', file: 'cp1252.csv',
    bytes: bytes(LONG, '2024-01,Laptops,3,Caf', [0xe9, 0x20, 0x80, 0x20, 0x92, 0x20, 0x96], '\n'),
    at: 'cp1252.csv:2', code: 'NOT_UTF8', says: /not valid UTF-8 at byte 54 \(line 2\b[^)]*\); try --encoding windows-1252/, scope: 'input',
  },
  {
    item: '4', name: 'a lone 0x80 (€ in Windows-1252) on line 3', file: 'euro.csv',
    bytes: bytes(LONG, '2024-01,Laptops,3,HO\n2024-02,Laptops,4,', [0x80], 'uro\n'),
    at: 'euro.csv:3', code: 'NOT_UTF8', says: /not valid UTF-8 at byte 72 \(line 3\b[^)]*\); try --encoding windows-1252/, scope: 'input',
  },
  {
    item: '5', name: 'UTF-16LE without a byte-order mark', file: 'utf16-nobom.csv', bytes: utf16le(long1('3'), false),
    at: 'utf16-nobom.csv:1', code: 'BINARY_INPUT', says: /NUL character: this looks like a binary file or UTF-16 text without a byte-order mark/, scope: 'input',
  },
  {
    item: '7', name: 'old Mac CR-only line endings', file: 'cr.csv', bytes: 'period,category,count,department\r2024-01,Laptops,3,HO\r',
    at: 'cr.csv:1:33', code: 'CR_LINE_ENDINGS', says: /carriage return without a line feed \(old Mac line endings\)/, scope: 'input',
  },
  {
    item: '8', name: 'semicolon-delimited without --delimiter', file: 'semicolon.csv', bytes: 'period;category;count\n2024-01;Laptops;3\n',
    at: 'semicolon.csv:1:1', code: 'WRONG_DELIMITER', says: /1 column found; the file looks ';'-delimited, use --delimiter ';'.*got "period;category;count"/, scope: 'input',
  },
  {
    item: '8', name: 'a comma file read with --delimiter tab (every row was skipped as a note: an empty result that looked complete)', file: 'comma-as-tab.csv',
    args: ['--delimiter', 'tab'], bytes: 'period,category,count\n2024-01,Laptops,3\n',
    at: 'comma-as-tab.csv:1:1', code: 'WRONG_DELIMITER', says: /1 column found; the file looks ','-delimited, use --delimiter ','/, scope: 'input',
  },
  {
    item: '12', name: 'a row with fewer fields than the header', file: 'short-row.csv',
    bytes: 'period,category,count,department,status,unit\n2024-01,Laptops,3,HO,lost,\n2024-02,Laptops,3,HO,lost\n',
    at: 'short-row.csv:3:22', code: 'REJECTED_ROW', says: /expected 6 fields, found 5.*got "2024-02,Laptops,3,HO,lost"/, scope: 'row',
  },
  {
    item: '13', name: 'an unquoted comma in a department name', file: 'long-row.csv',
    bytes: `${LONG}2024-01,Laptops,3,Department for Culture, Media and Sport\n`,
    at: 'long-row.csv:2:42', code: 'REJECTED_ROW', says: /expected 4 fields, found 5.*got "2024-01,Laptops,3,Department for Culture, Media and Sport"/, scope: 'row',
  },
  {
    item: '16', name: 'an unterminated quote at EOF', file: 'unterminated.csv', bytes: `${LONG}2024-01,Laptops,3,"Home Office,12\n`,
    at: 'unterminated.csv:2:19', code: 'QUOTE_NOT_CLOSED', says: /quote opened at line 2 not closed/, scope: 'input',
  },
  {
    item: '17', name: 'a bare quote inside an unquoted field (strict by default)', file: 'bare-quote.csv', bytes: `${LONG}2024-01,Laptops,3,37.8"N\n`,
    at: 'bare-quote.csv:2:23', code: 'BARE_QUOTE', says: /quote inside an unquoted field \(use --lenient to accept it as text\).*got "37\.8"N"/, scope: 'input',
  },
  {
    item: '18', name: 'line numbers after a quoted field spanning two lines', file: 'newline-then-bad.csv',
    bytes: `${LONG}2024-01,Laptops,3,"Home\nOffice"\n2024-02,Laptops,x,HO\n`,
    at: 'newline-then-bad.csv:4:17', code: 'REJECTED_ROW', says: /not a count: "x".*got "x"/, scope: 'row',
  },
  {
    item: '19', name: 'duplicate column headers in an answer table', file: 'dup-header.csv', bytes: '# department: MOD\nMonth,Laptops,Laptops\nJanuary 2024,1,2\n',
    at: 'dup-header.csv:2:15', code: 'BAD_HEADER', says: /duplicate column: "Laptops" \(column 2\) and "Laptops" \(column 3\)/, scope: 'input',
  },
  {
    item: '19', name: 'two long-layout headers meaning the same field', file: 'dup-header-long.csv', bytes: 'period,category,count,Category\n2024-01,Laptops,1,x\n',
    at: 'dup-header-long.csv:1:23', code: 'DUPLICATE_HEADER', says: /duplicate column: "category" \(column 2\) and "Category" \(column 4\) both mean category/, scope: 'input',
  },
  {
    item: '20', name: 'the period column missing', file: 'missing-column.csv', bytes: 'category,count,department\nLaptops,1,HO\n',
    at: 'missing-column.csv:1:1', code: 'MISSING_COLUMN', says: /missing required column: period .*expected period, category, count.*got "category,count,department"/, scope: 'input',
  },
  { item: '24', name: 'count 1,23', file: 'c-1-23.csv', bytes: long1('"1,23"'), at: 'c-1-23.csv:2:17', code: 'REJECTED_ROW', says: /ambiguous number format "1,23"/, scope: 'row' },
  { item: '24', name: 'count 1.234,5', file: 'c-euro.csv', bytes: long1('"1.234,5"'), at: 'c-euro.csv:2:17', code: 'REJECTED_ROW', says: /ambiguous number format "1\.234,5"/, scope: 'row' },
  { item: '25', name: 'negative count -3', file: 'c-neg.csv', bytes: long1('-3'), at: 'c-neg.csv:2:17', code: 'REJECTED_ROW', says: /negative count "-3"/, scope: 'row' },
  { item: '25', name: 'scientific 1e3', file: 'c-sci.csv', bytes: long1('1e3'), at: 'c-sci.csv:2:17', code: 'REJECTED_ROW', says: /scientific notation "1e3" is not a count/, scope: 'row' },
  { item: '29', name: 'NBSP inside a number', file: 'c-nbsp.csv', bytes: long1('1\u00a0234'), at: 'c-nbsp.csv:2:17', code: 'REJECTED_ROW', says: /invisible character \\u00A0 in a count.*got "1\\u00A0234"/, scope: 'row' },
  { item: '29', name: 'zero-width space after a number', file: 'c-zwsp.csv', bytes: long1('12\u200b'), at: 'c-zwsp.csv:2:17', code: 'REJECTED_ROW', says: /invisible character \\u200B in a count.*got "12\\u200B"/, scope: 'row' },
  {
    item: '31', name: 'dd/mm date with month 25', file: 'd-13-25.csv', bytes: 'date,category,count,department\n13/25/2024,Laptops,1,HO\n',
    at: 'd-13-25.csv:2:1', code: 'REJECTED_ROW', says: /month 25 does not exist \(dates are read as dd\/mm\/yyyy\).*got "13\/25\/2024"/, scope: 'row',
  },
  {
    item: '31', name: 'a US mm/dd date is not silently swapped', file: 'd-02-13.csv', bytes: 'date,category,count,department\n02/13/2024,Laptops,1,HO\n',
    at: 'd-02-13.csv:2:1', code: 'REJECTED_ROW', says: /month 13 does not exist.*got "02\/13\/2024"/, scope: 'row',
  },
  {
    item: '32', name: '31 February', file: 'd-31-02.csv', bytes: 'date,category,count,department\n31/02/2024,Laptops,1,HO\n',
    at: 'd-31-02.csv:2:1', code: 'REJECTED_ROW', says: /"31\/02\/2024" is not a real date/, scope: 'row',
  },
  {
    item: '32', name: '29 February in a common year', file: 'd-29-02-2023.csv', bytes: 'date,category,count,department\n29/02/2023,Laptops,1,HO\n',
    at: 'd-29-02-2023.csv:2:1', code: 'REJECTED_ROW', says: /"29\/02\/2023" is not a real date/, scope: 'row',
  },
  {
    item: '33', name: 'two-digit year', file: 'd-short-year.csv', bytes: 'date,category,count,department\n1/2/24,Laptops,1,HO\n',
    at: 'd-short-year.csv:2:1', code: 'REJECTED_ROW', says: /expected dd\/mm\/yyyy with a four-digit year.*got "1\/2\/24"/, scope: 'row',
  },
  {
    item: '34', name: 'an Excel serial date in a date column', file: 'd-excel.csv', bytes: 'date,category,count,department\n45292,Laptops,1,HO\n',
    at: 'd-excel.csv:2:1', code: 'REJECTED_ROW', says: /looks like an Excel serial date.*got "45292"/, scope: 'row',
  },
  {
    item: '34', name: 'a month in a date column', file: 'd-month.csv', bytes: 'date,category,count,department\nJanuary 2024,Laptops,1,HO\n',
    at: 'd-month.csv:2:1', code: 'REJECTED_ROW', says: /a date column needs a day, not a month.*got "January 2024"/, scope: 'row',
  },
  {
    item: '35', name: 'an impossible ISO date in a date column', file: 'd-iso-bad.csv', bytes: 'date,category,count,department\n2024-02-30,Laptops,1,HO\n',
    at: 'd-iso-bad.csv:2:1', code: 'REJECTED_ROW', says: /"2024-02-30" is not a real date/, scope: 'row',
  },
  ...(['2023-25', '2024-23'] as const).map((fy): ErrorCase => ({
    item: '37', name: `financial year ${fy}`, file: `fy-bad-${fy}.csv`, bytes: `# department: MOD\nFinancial year,Laptops,Phones\n${fy},1,2\n2020-21,3,4\n`,
    at: `fy-bad-${fy}.csv:3:1`, code: 'REJECTED_ROW', says: new RegExp(`"${fy}" is not a valid financial year \\(the second year must follow the first\\)`), scope: 'row',
  })),
  {
    item: '37', name: 'financial year 23-24 (two-digit start)', file: 'fy-23-24.csv', bytes: '# department: MOD\nFinancial year,Laptops\n23-24,1\n',
    at: 'fy-23-24.csv:3:1', code: 'REJECTED_ROW', says: /"23-24" is not a valid financial year: write it with a four-digit start year/, scope: 'row',
  },
  {
    item: '38', name: 'month outside its financial-year column', file: 'fy-inconsistent.csv', bytes: 'period,category,count,financial_year,department\n2024-03,Laptops,1,2024-25,HO\n',
    at: 'fy-inconsistent.csv:2:19', code: 'REJECTED_ROW', says: /period inconsistent: 2024-03 \(2024-03-01\.\.2024-03-31\) is not inside financial_year 2024-25/, scope: 'row',
  },
  {
    item: '39', name: 'the same department, month and item twice (long; aliases do not hide it)', file: 'dup-rows.csv',
    bytes: `${LONG}2024-01,Laptops,1,HO\n2024-02,Laptops,1,HO\n2024-01,Laptop,5,Home Office\n`,
    at: 'dup-rows.csv:4:1', code: 'DUPLICATE_ROW', says: /duplicate of line 2: laptop \(HO, lost-or-stolen\) for 2024-01-01\.\.2024-01-31 appears twice/, scope: 'row',
  },
  {
    item: '39', name: 'the same month twice in an answer table', file: 'dup-rows-wide.csv', bytes: '# department: MOD\nMonth,Laptops,Phones\nJanuary 2024,1,2\nJan 2024,3,4\n',
    at: 'dup-rows-wide.csv:4:1', code: 'REJECTED_ROW', says: /duplicate of line 3: laptop for 2024-01-01\.\.2024-01-31 appears twice.*got "Jan 2024"/, scope: 'row',
  },
  {
    item: '—', name: 'an unreadable period label in an answer table', file: 'bad-label.csv', bytes: '# department: MOD\nMonth,Laptops\nJanuary 2024,1\nSepember 2024,2\n',
    at: 'bad-label.csv:4:1', code: 'REJECTED_ROW', says: /got "Sepember 2024"/, scope: 'row',
  },
  {
    item: '—', name: 'a month without a year and no year metadata', file: 'no-year.csv', bytes: '# department: MOD\nMonth,Laptops\nJanuary,1\n',
    at: 'no-year.csv:3:1', code: 'REJECTED_ROW', says: /no year in the label: add "# year: YYYY" metadata or --year.*got "January"/, scope: 'row',
  },
  {
    item: '43', name: 'JSON: an object instead of an array', file: 'object.json', bytes: '{"period":"2024-01","category":"Laptops","count":3}\n',
    at: 'object.json:1:1', code: 'BAD_JSON_SHAPE', says: /expected an array of records, or an object with a "records" array, at \$.*got "object"/, scope: 'input',
  },
  {
    item: '43', name: 'JSON: an array element that is not an object', file: 'not-object.json', bytes: '[\n  {"period":"2024-01","category":"Laptops","count":3,"department":"HO"},\n  42\n]\n',
    at: 'not-object.json:3', code: 'BAD_JSON_SHAPE', says: /\$\[1\]: expected an object.*got "42"/, scope: 'row',
  },
  {
    item: '44', name: 'JSON: a trailing comma', file: 'trailing-comma.json', bytes: '[\n {"period":"2024-01","category":"Laptops","count":3,},\n]\n',
    at: 'trailing-comma.json:2:52', code: 'BAD_JSON', says: /trailing comma/, scope: 'input',
  },
  {
    item: '44', name: 'JSON: NaN', file: 'nan.json', bytes: '[\n {"period":"2024-01","category":"Laptops","count":NaN}\n]\n',
    at: 'nan.json:2:51', code: 'BAD_JSON', says: /NaN is not valid JSON.*got "NaN"/, scope: 'input',
  },
  {
    item: '43', name: 'NDJSON: a broken line', file: 'broken.ndjson', bytes: '{"period":"2024-01","category":"Laptops","count":3,"department":"HO"}\n{"period":"2024-02",\n',
    at: 'broken.ndjson:2:21', code: 'BAD_JSON', says: /unexpected end of input/, scope: 'input',
  },
  { item: '45', name: 'an empty file', file: 'empty.csv', bytes: '', at: 'empty.csv:1', code: 'NO_HEADER', says: /empty file: no header row/, scope: 'input' },
  { item: '45', name: 'a file of blank lines', file: 'blank-lines.csv', bytes: '\n\n\n', at: 'blank-lines.csv:1', code: 'NO_HEADER', says: /empty file: no header row/, scope: 'input' },
  { item: '45', name: 'an empty JSON file', file: 'empty.json', bytes: '', at: 'empty.json:1:1', code: 'BAD_JSON', says: /empty input/, scope: 'input' },
  {
    item: '46', name: 'a field over 1 MB', file: 'huge-field.csv', bytes: `${LONG}2024-01,Laptops,3,"${'a'.repeat(2_000_000)}"\n`,
    at: 'huge-field.csv:2:19', code: 'FIELD_TOO_LARGE', says: /field longer than 1048576 characters/, scope: 'input',
  },
  {
    item: '46', name: 'a binary file (PNG header)', file: 'image.csv', bytes: bytes([0x89], 'PNG\r\n', [0x1a], '\n', [0, 0, 0, 0x0d]),
    at: 'image.csv:1', code: 'NOT_UTF8', says: /not valid UTF-8 at byte 0/, scope: 'input',
  },
  {
    item: '46', name: 'a binary file read as Windows-1252 (NUL bytes)', file: 'binary.csv', args: ['--encoding', 'windows-1252'],
    bytes: bytes('period,category\n', [0, 1, 2, 3, 0xff, 0xfe, 0]), at: 'binary.csv:2', code: 'BINARY_INPUT', says: /NUL character/, scope: 'input',
  },
  {
    item: '—', name: 'a fixed-period table whose # period: cannot be read', file: 'bad-meta-period.csv',
    bytes: '# department: HO\n# period: in the last 12 months\nAsset type,Number\nLaptops,3\n',
    at: 'bad-meta-period.csv:2:1', code: 'BAD_METADATA_PERIOD', says: /metadata period: .*got "in the last 12 months"/, scope: 'input',
  },
  {
    item: '—', name: 'a missing file', file: 'present.csv', bytes: long1('1'), args: ['-i', 'absent.csv'],
    at: 'absent.csv', code: 'CANNOT_OPEN', says: /no such file/, scope: 'input',
  },
];

const ACCEPTED: AcceptCase[] = [
  {
    item: '1', name: 'UTF-8 BOM before a Department header', file: 'bom.csv', bytes: '\ufeffDepartment,Period,Category,Count\nHome Office,2024-01,Laptops,3\n',
    records: [rec({ count: 3, line: 2, column: 29 })],
    validate: (i) => expect([i.encoding, i.bom, i.header_mapping]).toEqual(['utf-8', true, { Department: 'department', Period: 'period', Category: 'category', Count: 'count' }]),
  },
  {
    item: '2', name: 'UTF-8 BOM before a quoted header', file: 'bom-quoted.csv', bytes: '\ufeff"Department","Period","Category","Count"\n"Home Office","2024-01","Laptops",3\n',
    records: [rec({ count: 3, line: 2, column: 35 })],
  },
  {
    item: '3', name: 'Windows-1252 with --encoding windows-1252 (0x80 €, 0x92 ’, 0x96 –, 0xA3 £, 0xE9 é)', file: 'cp1252-ok.csv', args: ['--encoding', 'windows-1252'],
    bytes: bytes(LONG, '2024-01,Laptops,3,Caf', [0xe9, 0x20, 0x80, 0x20, 0x92, 0x20, 0x96, 0x20, 0xa3], '\n'),
    records: [rec({ department: 'Caf\u00e9 \u20ac \u2019 \u2013 \u00a3', count: 3 })],
    warns: [{ at: 'cp1252-ok.csv:2:19', code: 'UNKNOWN_DEPARTMENT' }],
    validate: (i) => expect(i.encoding).toBe('windows-1252'),
  },
  {
    item: '5', name: 'UTF-16LE with a BOM (Excel "Unicode text")', file: 'utf16.csv', bytes: utf16le(`${LONG}2024-01,Laptops,3,HO\r\n`),
    records: [rec({ count: 3, line: 2, column: 17 })], validate: (i) => expect([i.encoding, i.bom]).toEqual(['utf-16le', true]),
  },
  {
    item: '8', name: 'semicolons with --delimiter ;', file: 'semicolon-ok.csv', args: ['--delimiter', ';'], bytes: 'period;category;count;department\n2024-01;Laptops;3;HO\n',
    records: [rec({ count: 3 })], validate: (i) => expect(i.delimiter).toBe(';'),
  },
  {
    item: '9', name: 'tab-delimited .tsv, inferred from the extension', file: 'tabs.tsv', bytes: 'period\tcategory\tcount\tdepartment\n2024-01\tLaptops\t3\tHO\n',
    records: [rec({ count: 3, line: 2, column: 17 })], validate: (i) => expect([i.format, i.delimiter]).toEqual(['tsv', 'tab']),
  },
  {
    item: '10', name: 'title rows skipped with --header-row', file: 'title-ok.csv', args: ['--header-row', '5'],
    bytes: '# department: MOD\nLost devices 2024\nSource: MoD\n\nMonth,Laptops,Phones\nJanuary 2024,1,2\n',
    records: [
      { department: 'MOD', category: 'laptop', period: 'January 2024', count: 1, line: 6, column: 14 },
      { department: 'MOD', category: 'phone', period: 'January 2024', count: 2, line: 6, column: 16 },
    ],
    validate: (i) => expect([i.rows_read, i.rows_accepted, i.skipped_title, i.skipped_blank]).toEqual([4, 1, 2, 1]),
  },
  {
    item: '10', name: 'title and source rows above the header, found without --header-row', file: 'title.csv',
    bytes: '# department: MOD\nLost devices 2024\nSource: MoD\n\nMonth,Laptops,Phones\nJanuary 2024,1,2\n',
    records: [
      { department: 'MOD', category: 'laptop', period: 'January 2024', count: 1, line: 6, column: 14 },
      { department: 'MOD', category: 'phone', period: 'January 2024', count: 2, line: 6, column: 16 },
    ],
    validate: (i) => {
      expect([i.rows_read, i.rows_accepted, i.skipped_title, i.skipped_blank]).toEqual([4, 1, 2, 1]);
      expect((i.note_details as Row[]).filter((n) => n.code === 'CAPTION_ROW').map((n) => n.line)).toEqual([2, 3]);
    },
  },
  {
    item: '10', name: 'a title row padded with commas (spreadsheet export), found without --header-row', file: 'title-commas.csv',
    bytes: '# department: MOD\nTable 1: Devices lost,,\nMonth,Laptops,Phones\nJanuary 2024,1,2\n',
    records: [
      { category: 'laptop', period: 'January 2024', count: 1, line: 4 },
      { category: 'phone', period: 'January 2024', count: 2, line: 4 },
    ],
    validate: (i) => expect([i.rows_read, i.rows_accepted, i.skipped_title]).toEqual([2, 1, 1]),
  },
  {
    item: '11', name: 'a Total row and a notes block: Total checked, notes skipped and counted', file: 'total-notes.csv',
    bytes: '# department: MOD\nMonth,Laptops,Phones\nJanuary 2024,1,2\nFebruary 2024,3,4\nTotal,4,6\n\nNotes:\n1. Figures are provisional\nSource: MoD\n',
    records: [
      { category: 'laptop', period: 'January 2024', count: 1 }, { category: 'phone', period: 'January 2024', count: 2 },
      { category: 'laptop', period: 'February 2024', count: 3 }, { category: 'phone', period: 'February 2024', count: 4 },
    ],
    validate: (i) => {
      expect([i.rows_read, i.rows_accepted, i.skipped_total, i.skipped_notes, i.skipped_blank, i.total_checks, i.total_mismatches]).toEqual([7, 2, 1, 3, 1, 2, 0]);
      expect((i.total_check_details as Row[]).map((c) => [c.label, c.stated, c.status])).toEqual([['Laptops', '4', 'match'], ['Phones', '6', 'match']]);
    },
  },
  {
    item: '12', name: 'a short row kept out under --lenient (the rest is read)', file: 'short-lenient.csv', args: ['--lenient'],
    bytes: 'period,category,count,department,status\n2024-01,Laptops,3,HO,lost\n2024-02,Laptops,3,HO\n',
    records: [rec({ count: 3, status: 'lost' })],
    warns: [], validateExit: 1,
    validate: (i) => expect([i.rows_read, i.rows_accepted, i.rows_rejected]).toEqual([2, 1, 1]),
  },
  {
    item: '14', name: 'blank lines at EOF: counted, no warning', file: 'eof-blank.csv', bytes: `${long1('3')}\n\n`,
    records: [rec({ count: 3 })], warns: [], validate: (i) => expect([i.rows_skipped, i.skipped_blank]).toEqual([2, 2]),
  },
  {
    item: '15', name: 'a blank line inside the data: warned, skipped', file: 'mid-blank.csv', bytes: `${LONG}2024-01,Laptops,3,HO\n\n2024-02,Laptops,4,HO\n`,
    records: [rec({ count: 3, line: 2 }), rec({ period: '2024-02', start: '2024-02-01', end: '2024-02-29', count: 4, line: 4 })],
    warns: [{ at: 'mid-blank.csv:3', code: 'BLANK_LINE' }],
    validate: (i) => expect([i.rows_read, i.rows_skipped, i.skipped_blank]).toEqual([3, 1, 1]),
  },
  {
    item: '17', name: 'a bare quote accepted as text under --lenient', file: 'bare-lenient.csv', args: ['--lenient'], bytes: `${LONG}2024-01,Laptops,3,37.8"N\n`,
    records: [rec({ department: '37.8"N', count: 3 })], warns: [{ at: 'bare-lenient.csv:2:19', code: 'UNKNOWN_DEPARTMENT' }],
  },
  {
    item: '18', name: 'a quoted department spanning two lines', file: 'embedded-newline.csv', bytes: `${LONG}2024-01,Laptops,3,"Home\nOffice"\n2024-02,Laptops,4,HO\n`,
    records: [rec({ count: 3, line: 2 }), rec({ period: '2024-02', start: '2024-02-01', end: '2024-02-29', count: 4, line: 4 })],
  },
  {
    item: '21', name: 'header case and space variants, aliases for categories and departments', file: 'header-variants.csv',
    bytes: ' PERIOD ,Category, COUNT , DEPARTMENT ,Status\n2024-01,Mobile phones,3,Home Office,stolen\n2024-01,Desktops,2,Ministry of Defence,"misplaced, lost or stolen"\n',
    records: [
      { department: 'HO', category: 'phone', status: 'stolen', count: 3, column_label: 'Mobile phones' },
      { department: 'MOD', category: 'computer', status: 'lost-or-stolen', count: 2, column_label: 'Desktops' },
    ],
    validate: (i) => expect(i.header_mapping).toEqual({ PERIOD: 'period', Category: 'category', COUNT: 'count', DEPARTMENT: 'department', Status: 'status' }),
  },
  {
    item: '22', name: 'an unknown extra column: warned and ignored, never a count', file: 'extra-column.csv', bytes: 'period,category,count,department,cost\n2024-01,Laptops,3,HO,£1000\n',
    records: [rec({ count: 3 })], warns: [{ at: 'extra-column.csv:1', code: 'IGNORED_COLUMN' }],
  },
  {
    item: '22', name: 'a cost column in an answer table: ignored with a note', file: 'cost-column.csv', bytes: '# department: MOD\nMonth,Laptops,Cost (£)\nJanuary 2024,1,£300\n',
    records: [{ category: 'laptop', count: 1, column_label: 'Laptops' }],
    validate: (i) => expect((i.note_details as Row[]).filter((n) => n.code === 'IGNORED_COLUMN').map((n) => n.message)).toEqual(['column "Cost (£)" holds costs or values, not counts of devices; kept out of the counts']),
  },
  { item: '23', name: 'count "1,234"', file: 'c-thousands.csv', bytes: long1('"1,234"'), records: [countRec(1234, 'exact', [])] },
  { item: '25', name: 'count 12.0', file: 'c-12-0.csv', bytes: long1('12.0'), records: [countRec(12, 'exact', [])], warns: [{ at: 'c-12-0.csv:2:17', code: 'COUNT_WARNING' }] },
  {
    item: '26', name: 'an empty count is missing, not 0', file: 'c-empty.csv', bytes: long1(''),
    records: [countRec(null, 'missing', ['missing'])], warns: [{ at: 'c-empty.csv:2:17', code: 'COUNT_WARNING' }],
  },
  { item: '26', name: 'an empty quoted count', file: 'c-empty-quoted.csv', bytes: long1('""'), records: [countRec(null, 'missing', ['missing'])], warns: [{ at: 'c-empty-quoted.csv:2:17', code: 'COUNT_WARNING' }] },
  { item: '27', name: '[c] suppressed, no threshold', file: 'c-c.csv', bytes: long1('[c]'), records: [countRec(null, 'suppressed', ['c'], 0, null)] },
  { item: '27', name: '<5 suppressed, 0–4', file: 'c-lt5.csv', bytes: long1('<5'), records: [countRec(null, 'suppressed', [], 0, 4)] },
  { item: '27', name: '[x] not available', file: 'c-x.csv', bytes: long1('[x]'), records: [countRec(null, 'missing', ['not-available'])] },
  { item: '27', name: '[z] not applicable', file: 'c-z.csv', bytes: long1('[z]'), records: [countRec(null, 'missing', ['not-applicable'])] },
  { item: '27', name: '.. not available', file: 'c-dots.csv', bytes: long1('..'), records: [countRec(null, 'missing', ['not-available'])] },
  { item: '27', name: '- nil or not applicable', file: 'c-dash.csv', bytes: long1('-'), records: [countRec(null, 'missing', ['nil-or-not-applicable'])] },
  { item: '28', name: '123[r] revised', file: 'c-r.csv', bytes: long1('123[r]'), records: [countRec(123, 'exact', ['r'])] },
  { item: '28', name: '45 [e] estimated', file: 'c-e.csv', bytes: long1('45 [e]'), records: [countRec(45, 'exact', ['e'])] },
  { item: '28', name: '67* footnote', file: 'c-star.csv', bytes: long1('67*'), records: [countRec(67, 'exact', ['*'])] },
  { item: '28', name: '89† footnote', file: 'c-dagger.csv', bytes: long1('89†'), records: [countRec(89, 'exact', ['†'])] },
  { item: '28', name: 'an unknown marker [q] is warned', file: 'c-q.csv', bytes: long1('12[q]'), records: [countRec(12, 'exact', ['q'])], warns: [{ at: 'c-q.csv:2:17', code: 'COUNT_WARNING' }] },
  { item: '29', name: 'ASCII spaces around a count: trimmed, warned', file: 'c-spaces.csv', bytes: long1(' 12 '), records: [countRec(12, 'exact', [])], warns: [{ at: 'c-spaces.csv:2:17', code: 'COUNT_WARNING' }] },
  {
    item: '30', name: 'dd/mm date 01/02/2024 is 1 February', file: 'd-ok.csv', bytes: 'date,category,count,department\n01/02/2024,Laptops,1,HO\n29/02/2024,Laptops,2,HO\n',
    records: [
      { period: '01/02/2024', start: '2024-02-01', end: '2024-02-01', period_kind: 'day', count: 1 },
      { period: '29/02/2024', start: '2024-02-29', end: '2024-02-29', period_kind: 'day', count: 2 },
    ],
  },
  {
    item: '35', name: 'ISO dates mixed into a dd/mm date column are accepted as ISO', file: 'd-mixed.csv', bytes: 'date,category,count,department\n01/02/2024,Laptops,1,HO\n2024-02-03,Laptops,2,HO\n',
    records: [{ start: '2024-02-01', end: '2024-02-01', count: 1 }, { start: '2024-02-03', end: '2024-02-03', count: 2 }],
  },
  ...([
    ['2023-24', 2023], ['2023/24', 2023], ['FY2023-24', 2023], ['FY 2023-24', 2023], ['1999-00', 1999], ['2023/2024', 2023],
  ] as const).map(([label, year], k): AcceptCase => ({
    item: '36', name: `financial year ${label}`, file: `fy-ok-${k}.csv`,
    bytes: `# department: MOD\nFinancial year,Laptops\n${label},1\n`,
    records: [{ period: label, start: `${year}-04-01`, end: `${year + 1}-03-31`, period_kind: 'financial-year', count: 1 }],
  })),
  {
    item: '36', name: '"2023 to 2024" beside other financial years', file: 'fy-words.csv', bytes: '# department: MOD\nFinancial year,Laptops\n2022-23,1\n2023 to 2024,2\n',
    records: [{ start: '2022-04-01', end: '2023-03-31', count: 1 }, { period: '2023 to 2024', start: '2023-04-01', end: '2024-03-31', period_kind: 'financial-year', count: 2 }],
  },
  {
    item: '40', name: 'formula-like department text is accepted as text (JSON unchanged)', file: 'formula.csv',
    bytes: `${LONG}2024-01,Laptops,12,"=HYPERLINK(""http://x"",""Home Office"")"\n`,
    records: [rec({ department: '=HYPERLINK("http://x","Home Office")', count: 12 })], warns: [{ at: 'formula.csv:2:20', code: 'UNKNOWN_DEPARTMENT' }],
  },
  {
    item: '43', name: 'JSON: a count as a string, a null count, a duplicate key', file: 'shapes.json',
    bytes: '[\n {"period":"2024-01","category":"Laptops","count":"12","department":"HO"},\n {"period":"2024-02","category":"Laptops","count":null,"department":"HO"},\n {"period":"2024-03","category":"Laptops","count":1,"count":2,"department":"HO"}\n]\n',
    records: [
      rec({ count: 12, line: 2 }),
      rec({ period: '2024-02', start: '2024-02-01', end: '2024-02-29', count: null, count_kind: 'missing', flags: ['missing'], line: 3 }),
      rec({ period: '2024-03', start: '2024-03-01', end: '2024-03-31', count: 2, line: 4 }),
    ],
    warns: [{ at: 'shapes.json:4:53', code: 'DUPLICATE_KEY' }, { at: 'shapes.json:3', code: 'COUNT_WARNING' }],
  },
  {
    item: '45', name: 'a header-only file: 0 records', file: 'header-only.csv', bytes: LONG, records: [],
    validate: (i) => expect([i.rows_read, i.records]).toEqual([0, 0]),
  },
  {
    item: '—', name: 'a fixed-period table (# period:) with a count column and a Total row', file: 'fixed-period.csv',
    bytes: '# department: HO\n# period: 2024-01-01..2024-12-31\nAsset type,Number\nLaptops,3\nDesktops,2\nTotal,5\n',
    records: [
      { department: 'HO', category: 'laptop', start: '2024-01-01', end: '2024-12-31', count: 3, row_label: 'Laptops', column_label: 'Number' },
      { department: 'HO', category: 'computer', start: '2024-01-01', end: '2024-12-31', count: 2, row_label: 'Desktops', column_label: 'Number' },
    ],
    validate: (i) => expect([i.skipped_total, i.total_checks, i.total_mismatches]).toEqual([1, 1, 0]),
  },
];

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
  for (const c of [...ERRORS, ...ACCEPTED]) tmp.write(c.file, c.bytes);
});
afterAll(() => tmp.cleanup());

/**
 * The CLI run in this process (a spawn each would take most of this file's time), on the case's
 * files in the temporary folder, its folder left out of what it prints (as if run there).
 */
const cli = async (args: string[], input?: string) => {
  const abs = args.map((a) => (a !== '' && !a.startsWith('-') && existsSync(join(tmp.dir, a)) ? join(tmp.dir, a) : a));
  const r = await runInProcess(abs, { input: input ?? '' });
  const strip = (t: string) => t.split(`${tmp.dir}/`).join('');
  return { code: r.code, stdout: strip(r.stdout), stderr: strip(r.stderr) };
};
const argsOf = (c: { file: string; args?: string[] }) => (c.args?.includes('-i') ? c.args : ['-i', c.file, ...(c.args ?? [])]);

describe('bad inputs that are errors', () => {
  it('has every case in a file of its own', async () => {
    const names = [...ERRORS, ...ACCEPTED].map((c) => c.file);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(ERRORS)('#$item $name → exit 2, $code at $at', async (c) => {
    const r = await cli(['records', ...argsOf(c), '-f', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // The contract: one clear line naming the file, line and column, what was expected and what was found.
    expect(r.stderr).toMatch(new RegExp(`^assetloss: ${escapeRe(c.at)}: .*${c.says.source}`, 'm'));
    expect(r.stderr).not.toContain('\ufffd');
    expectNoStack(r.stderr);
    const said = [{ kind: 'error', at: c.at, code: c.code }];
    expect(diagnostics((await cli(['records', ...argsOf(c), '-f', 'json', '--debug'])).stderr)).toEqual(said);

    const v = await cli(['validate', ...argsOf(c), '-f', 'json', '--debug']);
    if (c.scope === 'input') {
      // A file that cannot be read has no report: validate fails the same way.
      expect([v.code, v.stdout]).toEqual([2, '']);
      expect(diagnostics(v.stderr)).toEqual(said);
      return;
    }
    // A rejected row is what validate reports: exit 1, the reject with its code and position.
    expect(v.code).toBe(1);
    const doc = validateJson(v.stdout);
    expect(doc.ok).toBe(false);
    const [file, line, column] = c.at.split(':');
    const rejects = doc.inputs.flatMap((i) => i.rejects as Row[]);
    expect(rejects).toContainEqual(expect.objectContaining({ file, line: Number(line), ...(column ? { column: Number(column) } : {}), code: c.code }));
  });

  it.each(ERRORS.filter((c) => c.scope === 'row'))('#$item $name → --lenient keeps going, reports it, marks the output incomplete', async (c) => {
    const r = await cli(['records', ...argsOf(c), '-f', 'json', '--lenient', '--debug']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { complete: boolean; lenient: boolean; rejects: Row[]; records: Row[] };
    expect([doc.complete, doc.lenient]).toEqual([false, true]);
    expect(doc.rejects.map((x) => x.code)).toEqual([c.code]);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'rejected', at: c.at, code: c.code }]);
    expect(r.stderr).toMatch(/--lenient: \d+ rows? rejected; the output is incomplete/);
  });

  it('lists every rejected row, not only the first, and says nothing was written', async () => {
    const f = tmp.write('many-bad.csv', `${LONG}2024-01,Laptops,x,HO\n2024-02,Laptops,3,HO\n2024-03,Laptops,-1,HO\n`);
    const r = await cli(['records', '-i', f, '-q', '--debug']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(diagnostics(r.stderr)).toEqual([
      { kind: 'error', at: 'many-bad.csv:2:17', code: 'REJECTED_ROW' },
      { kind: 'error', at: 'many-bad.csv:4:17', code: 'REJECTED_ROW' },
    ]);
    expect(r.stderr).toMatch(/2 rows rejected of 3 read; nothing written/);
  });

  it('#34 an Excel serial (45292) as a row label is not a period', async () => {
    const f = tmp.write('excel-serial-label.csv', '# department: MOD\nDate,Laptops\n45292,1\n');
    const r = await cli(['records', '-i', f, '-q', '--debug']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: 'excel-serial-label.csv:3:1', code: 'REJECTED_ROW' }]);
  });
});

describe('bad inputs that are accepted', () => {
  it.each(ACCEPTED)('#$item $name', async (c) => {
    const r = await cli(['records', ...argsOf(c), '-f', 'ndjson']);
    expect(r.code, r.stderr).toBe(0);
    const rows = parseNdjson(r.stdout);
    expect(project(rows, c.records)).toEqual(c.records);
    expect(rows).toHaveLength(c.records.length);
    expect(r.stdout).not.toMatch(/[\u0080-\u009f\ufffd]/);
    expectNoStack(r.stderr);
    const warns = c.warns ?? [];
    const said = diagnostics((await cli(['records', ...argsOf(c), '-f', 'ndjson', '--debug'])).stderr);
    expect(said.filter((d) => d.kind === 'warning')).toEqual(warns.map((w) => ({ kind: 'warning', ...w })));
    expect(r.stderr.split('\n').filter((l) => l.startsWith('assetloss: warning: '))).toHaveLength(warns.length);

    if (warns.length > 0) {
      // --strict: every warning is an error, and nothing is written.
      const s = await cli(['records', ...argsOf(c), '-f', 'ndjson', '--strict', '--debug']);
      expect([s.code, s.stdout]).toEqual([2, '']);
      expect(diagnostics(s.stderr)).toEqual(warns.map((w) => ({ kind: 'error', ...w })));
      expect(s.stderr).toMatch(/--strict: \d+ warnings? treated as errors; nothing written/);
    }

    const v = await cli(['validate', ...argsOf(c), '-f', 'json']);
    expect(v.code, v.stderr).toBe(c.validateExit ?? 0);
    const doc = validateJson(v.stdout);
    expect(doc.inputs).toHaveLength(1);
    expect(doc.inputs[0]!.records).toBe(c.records.length);
    c.validate?.(doc.inputs[0]!);
  });

  it('#6 CRLF line endings give the same records as LF', async () => {
    const lf = `# department: MOD\nMonth,Laptops,Phones\nJanuary 2024,1,2\nFebruary 2024,"1,234",[c]\nTotal,"1,235",2\n\nNote: provisional\n`;
    const a = tmp.write('lf.csv', lf);
    const b = tmp.write('crlf.csv', lf.replace(/\n/g, '\r\n'));
    const ra = await cli(['records', '-i', a, '-f', 'ndjson']);
    const rb = await cli(['records', '-i', b, '-f', 'ndjson']);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    const strip = (rows: Row[]) => rows.map(({ file: _f, source_id: _s, ...rest }) => rest);
    expect(strip(parseNdjson(rb.stdout))).toEqual(strip(parseNdjson(ra.stdout)));
    expect(parseNdjson(ra.stdout)).toHaveLength(4);
  });

  it('#5 UTF-16LE and UTF-8 give the same records', async () => {
    const text = `${LONG}2024-01,Laptops,3,HO\n2024-02,Phones,"1,234",HO\n`;
    const a = tmp.write('same-utf8.csv', text);
    const b = tmp.write('same-utf16.csv', utf16le(text));
    const strip = (out: string) => parseNdjson(out).map(({ file: _f, source_id: _s, ...rest }) => rest);
    expect(strip((await cli(['records', '-i', b, '-f', 'ndjson'])).stdout)).toEqual(strip((await cli(['records', '-i', a, '-f', 'ndjson'])).stdout));
  });

  it('#9 a tab-delimited stdin with --delimiter tab', async () => {
    const r = await cli(['records', '-i', '-', '--delimiter', 'tab', '-f', 'ndjson'], 'period\tcategory\tcount\tdepartment\n2024-01\tLaptops\t3\tHO\n');
    expect(r.code).toBe(0);
    expect(project(parseNdjson(r.stdout), [rec({ count: 3, file: '' })])).toEqual([rec({ count: 3, file: '<stdin>' })]);
  });

  it('#11 a Total row that does not add up: warned, validate exits 1, --strict exits 2', async () => {
    const f = tmp.write('total-bad.csv', '# department: MOD\nMonth,Laptops,Phones\nJanuary 2024,1,2\nFebruary 2024,3,4\nTotal,5,6\n');
    const r = await cli(['records', '-i', f, '-f', 'ndjson', '--debug']);
    expect(r.code).toBe(0);
    expect(parseNdjson(r.stdout)).toHaveLength(4);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'warning', at: 'total-bad.csv:5:7', code: 'TOTAL_MISMATCH' }]);
    const v = await cli(['validate', '-i', f, '-f', 'json']);
    expect(v.code).toBe(1);
    const doc = validateJson(v.stdout);
    expect([doc.ok, doc.inputs[0]!.total_mismatches]).toEqual([false, 1]);
    const s = await cli(['records', '-i', f, '--strict']);
    expect([s.code, s.stdout]).toEqual([2, '']);
  });

  it('#11 a transposed answer with a Total column and a Total row, suppressed cells within the bounds', async () => {
    const f = tmp.write('transposed-totals.csv', '# department: Home Office\n,2022,2023,Total\nLaptops,1,2,3\nMobile phones,4,<5,8\nTotal,5,6,11\n\nNote: figures from the asset register\n');
    const r = await cli(['records', '-i', f, '-f', 'ndjson']);
    expect(r.code, r.stderr).toBe(0);
    const want = [
      { category: 'laptop', period: '2022', count: 1 }, { category: 'laptop', period: '2023', count: 2 },
      { category: 'phone', period: '2022', count: 4 }, { category: 'phone', period: '2023', count: null, count_min: 0, count_max: 4 },
    ];
    expect(project(parseNdjson(r.stdout), want)).toEqual(want);
    const v = await cli(['validate', '-i', f, '-f', 'json']);
    const input = validateJson(v.stdout).inputs[0]!;
    expect([v.code, input.layout, input.total_checks, input.total_mismatches, input.skipped_notes, input.skipped_total]).toEqual([0, 'transposed', 4, 0, 1, 1]);
  });
});

describe('usage errors', () => {
  it.each([
    [['records', '--frobnicate'], /unknown option '--frobnicate'/],
    [['records', '-f', 'xml'], /argument 'xml' is invalid\. Allowed choices are table, csv, tsv, json, ndjson, markdown/],
    [['validate', '--encoding', 'latin9'], /argument 'latin9' is invalid/],
    [['records', '--year', '24'], /expected a four-digit year/],
    [['records', '--header-row', '0'], /--header-row must be a whole number/],
    [['records', '--delimiter', ';;'], /expected one character/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('%j → exit 2, a clean message, nothing on stdout', async (args, says) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(says);
    expectNoStack(r.stderr);
  });

  it('no command at all is a usage error (exit 2)', async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
  });
});

describe('#47 output piped to head -1', () => {
  it.each(['csv', 'tsv', 'json', 'ndjson', 'markdown', 'table'])('records -f %s | head -1 exits 0 without a stack trace', async (format) => {
    // Enough rows that the writer is still writing when head closes the pipe.
    const rows = Array.from({ length: 3000 }, (_, k) => `${1900 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')},Laptops,${k},HO`);
    const f = tmp.write(`big-${format}.csv`, `${LONG}${rows.join('\n')}\n`);
    const r = runShell(`$ASSETLOSS records -q -i ${JSON.stringify(f)} -f ${format} 2>err.txt | head -1 >/dev/null; echo "exit=\${PIPESTATUS[0]}"; cat err.txt`, { cwd: tmp.dir });
    expect(r.stdout).toMatch(/^exit=0\n/);
    expect(r.stdout.replace(/^exit=0\n/, '')).toBe('');
  });

  it('validate | head -1 exits 0', async () => {
    const r = runShell('$ASSETLOSS validate -q -f json | head -1; echo "exit=${PIPESTATUS[0]}"');
    expect(r.stdout).toBe('{\nexit=0\n');
    expect(r.stderr).toBe('');
  });
});

describe('#48 colour', () => {
  const ANSI = /\u001b\[/;
  // Off a terminal the rules read only the environment: in process. On one, the real binary under `script`.
  const table = (env: Record<string, string | undefined>, extra: string[] = []) => runInProcess(['validate', '-q', '-f', 'table', ...extra], { env });
  // A terminal on stdout, for the rules that depend on one.
  const onTty = (env: string, extra = '') =>
    runShell(`script -qec "env ${env} $ASSETLOSS validate -q -f table ${extra}" /dev/null`, { env: { NO_COLOR: undefined, TERM: 'xterm' } });
  // util-linux `script` gives the child a terminal (BSD/macOS `script` takes other flags: skipped there).
  const hasScript = runShell('script -qec true /dev/null').code === 0;

  it.each([
    ['NO_COLOR=1', { NO_COLOR: '1' }, false],
    ['FORCE_COLOR=0', { NO_COLOR: undefined, FORCE_COLOR: '0' }, false],
    ['non-TTY stdout, nothing set', { NO_COLOR: undefined }, false],
    ['non-TTY, NO_COLOR= (empty)', { NO_COLOR: '' }, false],
    ['FORCE_COLOR=1 on a pipe', { NO_COLOR: undefined, FORCE_COLOR: '1' }, true],
    // Node's rule, which we follow: FORCE_COLOR takes precedence over NO_COLOR.
    ['FORCE_COLOR=1 beside NO_COLOR=1', { NO_COLOR: '1', FORCE_COLOR: '1' }, true],
  ])('%s → ANSI %s', async (_name, env, ansi) => {
    const r = await table(env);
    expect(r.code).toBe(0);
    expect(ANSI.test(r.stdout)).toBe(ansi);
  });

  it('--no-color beats FORCE_COLOR', async () => {
    const r = await table({ NO_COLOR: undefined, FORCE_COLOR: '1' }, ['--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(ANSI);
  });

  it('machine formats never carry ANSI, even with FORCE_COLOR=1', async () => {
    for (const f of ['csv', 'tsv', 'json', 'ndjson', 'markdown']) {
      const r = await runInProcess(['records', '-q', '-f', f], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
      expect(r.stdout, f).not.toMatch(ANSI);
    }
  });

  it.runIf(hasScript).each([
    ['nothing set', '', true],
    ['NO_COLOR= (empty: not set, per no-color.org)', 'NO_COLOR=', true],
    ['NO_COLOR=1', 'NO_COLOR=1', false],
    ['TERM=dumb', 'TERM=dumb', false],
  ])('on a terminal, %s → ANSI %s', (_name, env, ansi) => {
    const r = onTty(env);
    expect(r.code).toBe(0);
    expect(ANSI.test(r.stdout)).toBe(ansi);
  });

  it.runIf(hasScript)('on a terminal, --no-color → no ANSI', () => {
    expect(onTty('', '--no-color').stdout).not.toMatch(ANSI);
  });
});
