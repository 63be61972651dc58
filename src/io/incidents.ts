// Incident logs read as a stream: CSV rows go field by field from the tokenizer straight into the
// aggregator (no row objects: the hot path of million-row logs); NDJSON lines likewise. Same row
// accounting and positioned rejects as every other input.
import type { AliasTables } from '../engine/aliases.js';
import { resolveHeader } from '../engine/aliases.js';
import type { Diagnostic } from '../model/diagnostics.js';
import { InputError } from '../model/diagnostics.js';
import { type DateFormat, IncidentAggregator, type IncidentFields, type SeriesRef } from '../read/incidents.js';
import type { RowStats } from '../read/table.js';
import { isUtf8 } from 'node:buffer';
import type { CsvTokenizer, RowSink } from './csv.js';
import type { LineTaker } from './decode.js';
import { type DuplicateKey, duplicateKeyWarning, parseNdjsonLine } from './json-text.js';
import { append } from '../engine/arrays.js';

const FIELDS = ['date', 'category', 'quantity', 'status', 'department', 'unit'] as const;
type Field = (typeof FIELDS)[number];
/** 0-based column of each field in the header, -1 when absent. */
export type IncidentColumns = Record<Field, number>;

/** Most distinct series texts the hot path's table holds (beyond, rows take the general path). */
const MAX_KNOWN_SERIES = 100_000;

/** Most rejects kept with their positions; beyond this they are counted (constant memory). */
export const MAX_KEPT_REJECTS = 1000;

/** Rejects of a log: the first MAX_KEPT_REJECTS with their positions, the rest counted. */
export class RejectList {
  readonly kept: Diagnostic[] = [];
  notListed = 0;
  constructor(private readonly stats: RowStats) {}
  add(d: Diagnostic): void {
    this.stats.rows_rejected++;
    this.keep(d);
  }
  /** Rejects of the part of the log that follows (already counted in the stats), lines shifted. */
  absorb(kept: Diagnostic[], notListed: number, shift: number): void {
    for (const d of kept) this.keep({ ...d, line: (d.line ?? 0) + shift });
    this.notListed += notListed;
  }
  private keep(d: Diagnostic): void {
    if (this.kept.length < MAX_KEPT_REJECTS) this.kept.push(d);
    else this.notListed++;
  }
}

/**
 * Blank lines inside a log (a row follows them) are warned of, as in every table: the first
 * MAX_KEPT_REJECTS listed in file order, the rest counted. Blank lines at its end are not.
 */
export class BlankLines {
  readonly inside: number[] = [];
  more = 0;
  /** Blank lines since the last row: inside once a row follows. */
  private run: number[] = [];
  private runMore = 0;
  pending = false;
  blank(line: number): void {
    if (this.inside.length + this.run.length < MAX_KEPT_REJECTS) this.run.push(line);
    else this.runMore++;
    this.pending = true;
  }
  /** A row came: the blank lines before it were inside the log. */
  flush(): void {
    append(this.inside, this.run);
    this.more += this.runMore;
    this.run = [];
    this.runMore = 0;
    this.pending = false;
  }
  /** Those of the part of the log that follows (lines from its own start), shifted. */
  absorb(part: { inside: number[]; more: number }, shift: number): void {
    for (const line of part.inside) {
      if (this.inside.length < MAX_KEPT_REJECTS) this.inside.push(line + shift);
      else this.more++;
    }
    this.more += part.more;
  }
  warnings(file: string): Diagnostic[] {
    const out: Diagnostic[] = this.inside.map((line) => ({ file, line, code: 'BLANK_LINE', message: 'blank line inside the data (skipped)' }));
    if (this.more) out.push({ file, code: 'BLANK_LINE', message: `${this.more} more blank lines inside the data (skipped), not listed` });
    return out;
  }
}

/** True when a header names a date and a category but no count: one row per incident. */
export function looksLikeIncidents(header: string[], aliases: AliasTables): boolean {
  const fields = header.map((h) => resolveHeader(aliases, h.trim()));
  return fields.includes('date') && fields.includes('category') && !fields.includes('count') && !fields.includes('period');
}

/**
 * Where each field is in an incident log's header, and the columns it does not read (each with
 * why, for a warning). A log needs a date column, and a category column unless `# category:`
 * gives every row's.
 */
export function incidentColumns(header: string[], aliases: AliasTables, file: string, line: number, categoryDeclared: boolean): { columns: IncidentColumns; ignored: { index: number; message: string }[] } {
  const index: IncidentColumns = { date: -1, category: -1, quantity: -1, status: -1, department: -1, unit: -1 };
  const ignored: { index: number; message: string }[] = [];
  header.forEach((h, i) => {
    const f = resolveHeader(aliases, h.trim()) as Field | undefined;
    if (f && (FIELDS as readonly string[]).includes(f)) {
      if (index[f] !== -1) throw new InputError('DUPLICATE_HEADER', `duplicate column: "${header[index[f]]}" (column ${index[f] + 1}) and "${h}" (column ${i + 1}) both mean ${f}`, { file, line, column: i + 1 }, 'each column once', h);
      index[f] = i;
    } else {
      ignored.push({ index: i, message: (f as string) === 'count' ? `column "${h}" ignored: an incident log counts its rows (a quantity column gives several devices in one row)` : `unknown column "${h}" ignored` });
    }
  });
  const expected = 'date, category [, quantity, status, department, unit]';
  if (index.date === -1) throw new InputError('MISSING_COLUMN', 'an incident log needs a date column', { file, line, column: 1 }, expected, header.join(','));
  if (index.category === -1 && !categoryDeclared) throw new InputError('MISSING_COLUMN', 'an incident log needs a category column (or a # category: line for all its rows)', { file, line, column: 1 }, expected, header.join(','));
  return { columns: index, ignored };
}

const UTF8 = new TextEncoder();

/**
 * What a byte is to the hot path: part of a field, the delimiter, a line's end (LF, CR), or a
 * byte it leaves to the tokenizer (a quote where it does not end a quoted field, a NUL). One
 * table lookup a byte, and the same comparisons on every line.
 */
const PLAIN = 0;
const DELIMITER = 1;
const LF = 2;
const CR = 3;
const STOP = 4;

/**
 * The sink the CSV tokenizer feeds (wanted fields into slots, a row into the aggregator), and
 * the reader of the lines it can take from the bytes before they are decoded (see lineTaker).
 */
export class IncidentSink implements RowSink {
  private readonly want: boolean[];
  private readonly slots: string[];
  private readonly cols: number[];
  /** Line of each field (the tokenizer's, before the metadata offset). */
  private readonly lines: number[];
  /** The current row's line in the file (for a field the header has no column for). */
  private rowLine = 0;
  readonly rejects: RejectList;
  readonly blanks = new BlankLines();
  private readonly fields: IncidentFields = { date: '', category: '', quantity: '', status: '', department: '', unit: '' };
  /**
   * The hot path's table: where the bytes of the series columns (category, status, department,
   * unit) of rows `add` accepted are in `pool`, by a hash of those bytes, with the series they
   * resolved to. A row's series is found from its bytes, no string made nor looked up by text;
   * only the series columns make the key, so a column unique per row (a reference) never
   * defeats it.
   */
  private readonly known = new Map<number, { at: number; ends: number[]; series: SeriesRef }[]>();
  /**
   * The bytes of every series in the table, one after another: a series' key columns are at
   * `at`, each ending at `at + ends[j]`. One buffer for them all (an array for each column of
   * each series, on both threads, was 4 MB more for a log of 1,800 series).
   */
  private pool = new Uint8Array(1 << 12);
  private poolUsed = 0;
  private knownCount = 0;
  /** The columns of the series fields the header has, in a fixed order. */
  private readonly keyColumns: number[];
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  /** Each field's hash (key columns only), and which columns are key columns. */
  private readonly hashes: Int32Array;
  private readonly isKey: Uint8Array;
  /** What each byte is to a line being read: part of a field, or where the field stops (see PLAIN). */
  private readonly classes = new Uint8Array(256);
  /** Lines the last takeLines call took. */
  taken = 0;
  /** Whether lines can be taken from the bytes at all (not with a delimiter beyond ASCII). */
  readonly takesBytes: boolean;

  constructor(
    private readonly agg: IncidentAggregator,
    private readonly columns: IncidentColumns,
    private readonly width: number,
    private readonly stats: RowStats,
    private readonly file: string,
    /** Lines of metadata above the text the tokenizer sees. */
    private readonly lineOffset: number,
    delimiter = ',',
  ) {
    this.want = Array.from({ length: width }, (_, i) => FIELDS.some((f) => columns[f] === i));
    this.slots = new Array<string>(width).fill('');
    this.cols = new Array<number>(width).fill(0);
    this.lines = new Array<number>(width).fill(0);
    this.rejects = new RejectList(stats);
    this.keyColumns = [columns.category, columns.status, columns.department, columns.unit].filter((c) => c >= 0);
    this.starts = new Int32Array(width);
    this.ends = new Int32Array(width);
    this.hashes = new Int32Array(width);
    this.isKey = new Uint8Array(width);
    for (const col of this.keyColumns) this.isKey[col] = 1;
    const dc = delimiter.charCodeAt(0);
    this.takesBytes = dc < 0x80;
    if (this.takesBytes) this.classes[dc] = DELIMITER;
    this.classes[10] = LF;
    this.classes[13] = CR;
    this.classes[34] = this.classes[0] = STOP;
  }

  /**
   * Whole lines read from their bytes in one pass, never decoded: fields found by the delimiter
   * (a field in quotes taken whole when it holds no quote and is followed by a delimiter or the
   * end of the line), the date's digits straight to a day, the quantity's to a number, the series
   * columns hashed as they pass and checked, byte by byte, against the bytes of a series already
   * resolved. At the first line that is anything else (a date or series not seen yet, a field
   * count or quantity that is wrong, a doubled quote, a bare CR, a NUL, a blank line, bytes that
   * are not UTF-8 or not ASCII in another encoding, a line not complete in `bytes`) it stops;
   * that line is decoded and read by the tokenizer and `add` as any other, so every reject,
   * warning and error comes from there, positioned and worded as ever. Returns where it stopped
   * (just past the last line taken), with the lines taken in `taken`.
   * Long: one loop over the bytes of a million rows, kept in one function for speed.
   */
  takeLines(b: Uint8Array, from: number, to: number, utf8: boolean, maxLine: number): number {
    const width = this.width;
    const starts = this.starts;
    const ends = this.ends;
    const hashes = this.hashes;
    const isKey = this.isKey;
    const cls = this.classes;
    const c = this.columns;
    const keys = this.keyColumns;
    const pool = this.pool;
    let pos = from;
    let lines = 0;
    rows: for (;;) {
      let i = pos;
      let k = 0;
      // Every byte of the line OR-ed: 0x80 set when one is not ASCII.
      let high = 0;
      // The fields of one line.
      for (;;) {
        let h = 0;
        const key = isKey[k] === 1;
        if (i < to && b[i] === 34) {
          // "…": its bytes up to the next quote, which must end the field.
          const s = ++i;
          for (;;) {
            if (i >= to) break rows;
            const q = b[i]!;
            if (q === 34) break;
            if (cls[q]! >= LF) break rows;
            high |= q;
            if (key) h = (Math.imul(h, 31) + q) | 0;
            i++;
          }
          starts[k] = s;
          ends[k] = i++;
        } else {
          starts[k] = i;
          for (;;) {
            if (i >= to) break rows;
            const ch = b[i]!;
            if (cls[ch] !== PLAIN) break;
            high |= ch;
            if (key) h = (Math.imul(h, 31) + ch) | 0;
            i++;
          }
          ends[k] = i;
        }
        hashes[k] = h;
        k++;
        if (i >= to) break rows;
        // After the field: a delimiter, or the end of the line (LF, or CR LF: a bare CR, a quote
        // or a NUL is the tokenizer's).
        const next = cls[b[i]!];
        if (next === DELIMITER) {
          if (k === width) break rows;
          i++;
          continue;
        }
        if (next === CR) {
          if (i + 1 >= to || b[i + 1] !== 10) break rows;
          i++;
        } else if (next !== LF) break rows;
        break;
      }
      if (k !== width || i - pos > maxLine || (width === 1 && ends[0] === starts[0])) break;
      if ((high & 0x80) !== 0 && (!utf8 || !isUtf8(b.subarray(pos, i)))) break;
      const day = this.agg.dayAt(b, starts[c.date]!, ends[c.date]!);
      if (day === undefined) break;
      let qty = 1;
      if (c.quantity >= 0) {
        const a = starts[c.quantity]!;
        const e = ends[c.quantity]!;
        if (e > a) {
          if (e - a > 10) break;
          qty = 0;
          for (let x = a; x < e; x++) {
            const d = b[x]! - 48;
            if (d < 0 || d > 9) break rows;
            qty = qty * 10 + d;
          }
          if (qty === 0) break;
        }
      }
      let hk = 0;
      for (let j = 0; j < keys.length; j++) hk = (Math.imul(Math.imul(hk, 31) + hashes[keys[j]!]!, 31) + 0x1f) | 0;
      const list = this.known.get(hk);
      if (list === undefined) break;
      let series: SeriesRef | undefined;
      for (let e = 0; e < list.length && series === undefined; e++) {
        const entry = list[e]!;
        let same = true;
        let at = entry.at;
        for (let j = 0; j < keys.length && same; j++) {
          const col = keys[j]!;
          const end = entry.at + entry.ends[j]!;
          const a = starts[col]! - at;
          same = end - at === ends[col]! - starts[col]!;
          for (; at < end && same; at++) same = pool[at] === b[a + at];
        }
        if (same) series = entry.series;
      }
      if (series === undefined) break;
      this.agg.countKnown(series, day, qty);
      this.stats.rows_read++;
      this.stats.rows_accepted++;
      if (this.blanks.pending) this.blanks.flush();
      lines++;
      pos = i + 1;
    }
    this.taken = lines;
    return pos;
  }

  /** After `add` accepted a row: its series' bytes into the hot path's table. */
  private learn(): void {
    if (this.knownCount >= MAX_KNOWN_SERIES) return;
    const texts = this.keyColumns.map((col) => UTF8.encode(this.slots[col]!));
    // The hash takeLines computes: each text's bytes, then the texts' in the key columns' order.
    let h = 0;
    for (const t of texts) {
      let th = 0;
      for (let i = 0; i < t.length; i++) th = (Math.imul(th, 31) + t[i]!) | 0;
      h = (Math.imul(Math.imul(h, 31) + th, 31) + 0x1f) | 0;
    }
    const bytes = new Uint8Array(texts.reduce((n, t) => n + t.length, 0));
    const ends: number[] = [];
    for (const t of texts) {
      bytes.set(t, ends.at(-1) ?? 0);
      ends.push((ends.at(-1) ?? 0) + t.length);
    }
    let list = this.known.get(h);
    if (!list) this.known.set(h, (list = []));
    const pool = this.pool;
    if (list.some((x) => x.ends.every((e, j) => e === ends[j]) && bytes.every((v, i) => v === pool[x.at + i]))) return;
    if (this.poolUsed + bytes.length > pool.length) {
      this.pool = new Uint8Array(Math.max(2 * pool.length, this.poolUsed + bytes.length));
      this.pool.set(pool.subarray(0, this.poolUsed));
    }
    this.pool.set(bytes, this.poolUsed);
    list.push({ at: this.poolUsed, ends, series: this.agg.lastSeries });
    this.poolUsed += bytes.length;
    this.knownCount++;
  }

  /** Where a field of the current row starts (line in the file, column); built once, not per row. */
  private readonly at = (field: Field): [number, number] => {
    const i = this.columns[field];
    return i >= 0 ? [this.lines[i]! + this.lineOffset, this.cols[i]!] : [this.rowLine, 1];
  };

  start(): void {}

  wants(index: number): boolean {
    return index < this.width && this.want[index]!;
  }

  field(index: number, value: string, line: number, column: number): void {
    if (index < this.width) {
      this.slots[index] = value;
      this.lines[index] = line;
      this.cols[index] = column;
    }
  }

  row(line: number, count: number, blank: boolean): void {
    const stats = this.stats;
    stats.rows_read++;
    const at = line + this.lineOffset;
    if (blank) {
      stats.rows_skipped++;
      stats.skipped_blank++;
      this.blanks.blank(at);
      return;
    }
    if (this.blanks.pending) this.blanks.flush();
    if (count !== this.width) {
      this.rejects.add({ file: this.file, line: at, column: 1, code: 'REJECTED_ROW', message: `expected ${this.width} fields, found ${count}`, expected: `${this.width} fields as in the header` });
      return;
    }
    const f = this.fields;
    const c = this.columns;
    f.date = c.date >= 0 ? this.slots[c.date]! : '';
    f.category = c.category >= 0 ? this.slots[c.category]! : '';
    f.quantity = c.quantity >= 0 ? this.slots[c.quantity]! : '';
    f.status = c.status >= 0 ? this.slots[c.status]! : '';
    f.department = c.department >= 0 ? this.slots[c.department]! : '';
    f.unit = c.unit >= 0 ? this.slots[c.unit]! : '';
    this.rowLine = at;
    const bad = this.agg.add(f, at, this.at);
    if (bad) this.rejects.add(bad);
    else {
      stats.rows_accepted++;
      this.learn();
    }
  }
}

/**
 * The lines an incident log's sink takes from the bytes (undefined when it cannot): offered only
 * while the tokenizer holds no part of a row, and counted there as read.
 */
export function lineTaker(sink: IncidentSink, tokenizer: CsvTokenizer): LineTaker | undefined {
  if (!sink.takesBytes) return undefined;
  return {
    ready: () => tokenizer.atRowStart(),
    take(bytes, from, to, utf8) {
      const at = sink.takeLines(bytes, from, to, utf8, tokenizer.fieldLimit);
      tokenizer.skipLines(sink.taken);
      return at;
    },
    get lines() {
      return sink.taken;
    },
  };
}

/** Reads NDJSON incidents: one object per line with the same fields (aliases allowed). */
export async function readNdjsonIncidents(lines: AsyncIterable<string>, agg: IncidentAggregator, aliases: AliasTables, stats: RowStats, file: string): Promise<{ rejects: RejectList; blanks: BlankLines; warnings: Diagnostic[] }> {
  const rejects = new RejectList(stats);
  const blanks = new BlankLines();
  // Repeated keys in a line: the first MAX_KEPT_REJECTS warned of, the rest counted.
  const warnings: Diagnostic[] = [];
  const duplicates: DuplicateKey[] = [];
  let moreDuplicates = 0;
  const keyMap = new Map<string, Field | null>();
  const fields: IncidentFields = { date: '', category: '', quantity: '', status: '', department: '', unit: '' };
  let n = 0;
  const reject = (d: Diagnostic) => rejects.add(d);
  for await (const text of lines) {
    n++;
    stats.rows_read++;
    if (text.trim() === '') {
      stats.rows_skipped++;
      stats.skipped_blank++;
      blanks.blank(n);
      continue;
    }
    if (blanks.pending) blanks.flush();
    let obj: unknown;
    try {
      obj = parseNdjsonLine(text, n, duplicates);
      if (duplicates.length) {
        for (const d of duplicates) {
          if (warnings.length < MAX_KEPT_REJECTS) warnings.push(duplicateKeyWarning(file, d));
          else moreDuplicates++;
        }
        duplicates.length = 0;
      }
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      reject({ file, line: n, column: err.position.column, code: 'BAD_JSON', message: err.message, expected: err.expected, got: err.got });
      continue;
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
      reject({ file, line: n, column: 1, code: 'BAD_JSON_SHAPE', message: 'expected an object', got: text.slice(0, 40) });
      continue;
    }
    fields.date = fields.category = fields.quantity = fields.status = fields.department = fields.unit = '';
    for (const [key, value] of Object.entries(obj)) {
      let f = keyMap.get(key);
      if (f === undefined) {
        const r = resolveHeader(aliases, key) as Field | undefined;
        f = r && (FIELDS as readonly string[]).includes(r) ? r : null;
        keyMap.set(key, f);
      }
      if (f) fields[f] = value === null || value === undefined ? '' : String(value);
    }
    const bad = agg.add(fields, n, () => [n, 1]);
    if (bad) reject(bad);
    else stats.rows_accepted++;
  }
  if (moreDuplicates) warnings.push({ file, code: 'DUPLICATE_KEY', message: `${moreDuplicates} more repeated keys, not listed` });
  return { rejects, blanks, warnings };
}

export type { DateFormat };
