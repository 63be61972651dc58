// An incremental RFC 4180 tokenizer that knows where every field starts (line and column), so
// every reject can be positioned. Pure text in, rows out; decoding happens before it.
import { InputError } from '../model/diagnostics.js';
import type { InputRow } from '../read/table.js';


export interface CsvOptions {
  delimiter?: string;
  /** Accept a bare `"` inside an unquoted field (csv-spectrum's `37.8"N`), as text. */
  relaxQuotes?: boolean;
  /** Longest field accepted, in characters (a binary or runaway-quote file fails fast). */
  maxField?: number;
  /** Most fields in one row (a table is a few dozen columns; a row rescanned per chunk must stay cheap). */
  maxFields?: number;
}

/**
 * Receives a row field by field. `start` begins a row (a row cut off at the end of a chunk is
 * started again with the next one), `row` completes it. `wants` lets a sink skip the fields it
 * does not read, so they are never cut out of the text.
 */
export interface RowSink {
  start(): void;
  wants(index: number): boolean;
  field(index: number, value: string, line: number, column: number): void;
  row(line: number, fieldCount: number, blank: boolean): void;
  /**
   * Optional fast path: the sink reads whole lines of text[from, to) itself, as many as it can
   * from `from`, each at most `maxLine` characters, and returns where it stopped (the start of
   * the first line it did not take: `from` when none), having set `fastLines` to the number of
   * lines taken. A line it does not take is tokenized field by field as usual. `line` is the
   * line `from` is on.
   */
  fastRows?(text: string, from: number, to: number, maxLine: number, line: number): number;
  /** Lines the last fastRows call took. */
  fastLines?: number;
}

const DEFAULT_MAX_FIELD = 1 << 20;
export const MAX_FIELDS = 10_000;

export class CsvTokenizer {
  private pending = '';
  private line = 1;
  private readonly delimiter: string;
  private readonly relaxQuotes: boolean;
  private readonly maxField: number;
  private readonly maxFields: number;

  constructor(options: CsvOptions = {}) {
    this.delimiter = options.delimiter ?? ',';
    if (this.delimiter.length !== 1 || /["\r\n]/.test(this.delimiter)) {
      throw new InputError('BAD_DELIMITER', `the delimiter must be one character other than a quote or newline`, {}, 'one character', this.delimiter);
    }
    this.relaxQuotes = options.relaxQuotes ?? false;
    this.maxField = options.maxField ?? DEFAULT_MAX_FIELD;
    this.maxFields = options.maxFields ?? MAX_FIELDS;
  }

  /** True between rows: nothing of a row is held back (the point where a file can be split). */
  atRowStart(): boolean {
    return this.pending === '';
  }

  /** The line the next row starts on. */
  get nextLine(): number {
    return this.line;
  }

  /** Longest field accepted, in characters. */
  get fieldLimit(): number {
    return this.maxField;
  }

  /** Whole lines read by someone else (a LineTaker, from the bytes): the next row is `lines` further down. */
  skipLines(lines: number): void {
    this.line += lines;
  }

  /** Feeds text; returns the rows completed so far. */
  push(text: string): InputRow[] {
    const sink = new RowCollector(this.delimiter, this.maxFields);
    this.pushTo(text, sink);
    return sink.rows;
  }

  /** Ends the input; returns the last row, or throws for an unterminated quote. */
  end(): InputRow[] {
    const sink = new RowCollector(this.delimiter, this.maxFields);
    this.endTo(sink);
    return sink.rows;
  }

  /**
   * Like push (or end, when `final`), but an error comes back after the rows completed before it,
   * so a reader can hand those on first: a problem in an earlier row (or the header) is then
   * reported before a later row's, however the text was cut into chunks.
   */
  rowsUntilError(text: string, final = false): { rows: InputRow[]; error?: unknown } {
    const sink = new RowCollector(this.delimiter, this.maxFields);
    try {
      this.pushTo(text, sink);
      if (final) this.endTo(sink);
      return { rows: sink.rows };
    } catch (error) {
      return { rows: sink.rows, error };
    }
  }

  /** Feeds text to a sink, field by field: no row objects (the streaming fast path). */
  pushTo(text: string, sink: RowSink): void {
    // Joined, not added: `a + b` makes a rope, whose characters are read several times slower
    // than those of the flat string join makes (measured: ~1 against 2–4 ns a character).
    this.pending = this.pending === '' ? text : [this.pending, text].join('');
    this.drainTo(sink, false);
  }

  /**
   * The size limits, checked wherever the text read so far may end (a field's end, or the end of
   * a chunk in the middle of a row), so a runaway field or row fails fast instead of growing the
   * buffer. `known` is where the row's text is known to reach, `fieldKnown` where the current
   * field's (from `fieldStart`; -1 when none). Only what is certain counts, and when both limits
   * are passed the one passed first in the text wins: the outcome never depends on where the
   * text was cut into chunks (a property test feeds random cuts).
   */
  private limits(rowStart: number, rowLine: number, known: number, fieldStart: number, fieldKnown: number, line: number, column: number, quoted: boolean): void {
    const rowLimit = this.maxField * 4;
    const rowOver = known - rowStart > rowLimit;
    const fieldOver = fieldStart >= 0 && fieldKnown - fieldStart > this.maxField;
    if (rowOver && (!fieldOver || rowStart + rowLimit < fieldStart + this.maxField)) {
      throw new InputError('ROW_TOO_LARGE', `row longer than ${rowLimit} characters (a binary file, or no line endings?)`, { line: rowLine, column: 1 });
    }
    if (fieldOver) {
      throw new InputError('FIELD_TOO_LARGE', `field longer than ${this.maxField} characters${quoted ? ' (a binary file, or a quote never closed?)' : ''}`, { line, column });
    }
  }

  endTo(sink: RowSink): void {
    this.drainTo(sink, true);
  }

  /**
   * Rows out of the text held, up to the last complete one (all of it when `final`).
   * Long: the tokenizer's one loop — fields, quotes, line ends, the size limits and every
   * position — run for each row of million-row files; split, it would cost calls per field.
   */
  private drainTo(sink: RowSink, final: boolean): void {
    const text = this.pending;
    const n = text.length;
    const dc = this.delimiter.charCodeAt(0);
    let pos = 0;
    // Next delimiter, quote, LF and CR at or after the cursor: found with indexOf (native, fast)
    // and kept until the cursor passes them, so no character is looked at twice.
    let nd = -1;
    let nq = -1;
    let nl = -1;
    let nr = -1;
    const next = (ch: string, at: number, from: number) => (at >= from ? at : ((at = text.indexOf(ch, from)) === -1 ? n : at));
    const fast = sink.fastRows !== undefined;
    for (;;) {
      if (pos >= n) break;
      if (fast) {
        // Whole lines the sink can read itself first; from the first it cannot, one row here.
        const at = sink.fastRows!(text, pos, n, this.maxField, this.line);
        if (at !== pos) {
          this.line += sink.fastLines!;
          pos = at;
          if (pos >= n) break;
        }
      }
      const startLine = this.line;
      let line = this.line;
      let lineStart = pos;
      let count = 0;
      let firstEmpty = false;
      sink.start();
      let i = pos;
      let complete = false;
      let quotedAny = false;
      // One row.
      for (;;) {
        const column = i - lineStart + 1;
        if (text.charCodeAt(i) === 34 /* " */) {
          quotedAny = true;
          const openLine = line;
          const openCol = i - lineStart + 1;
          let j = i + 1;
          let value = '';
          for (;;) {
            const q = text.indexOf('"', j);
            if (q === -1) {
              this.limits(pos, startLine, n, i + 1, n, openLine, openCol, true);
              if (!final) return this.keep(pos);
              throw new InputError('QUOTE_NOT_CLOSED', `quote opened at line ${openLine} not closed`, { line: openLine, column: openCol }, 'a closing "');
            }
            value += text.slice(j, q);
            if (q + 1 >= n && !final) {
              // The quote closes the field or starts a doubled quote: what it counts for (the
              // field, or only the row) is not known yet, so both are known up to it.
              this.limits(pos, startLine, q, i + 1, q, openLine, openCol, true);
              return this.keep(pos);
            }
            if (text.charCodeAt(q + 1) === 34) {
              value += '"';
              j = q + 2;
              continue;
            }
            j = q + 1;
            break;
          }
          // Count the newlines the quoted field spanned, for positions after it.
          for (let k = text.indexOf('\n', i); k !== -1 && k < j; k = text.indexOf('\n', k + 1)) {
            line++;
            lineStart = k + 1;
          }
          // The limit counts the field as written between its quotes (a doubled quote is two).
          this.limits(pos, startLine, j, i + 1, j - 1, openLine, openCol, true);
          const fieldStart = i + 1;
          i = j;
          const c = text.charCodeAt(i);
          if (i < n && c !== dc && c !== 10 && c !== 13) {
            if (!this.relaxQuotes) {
              throw new InputError('TEXT_AFTER_QUOTE', `text after a closing quote`, { line, column: i - lineStart + 1 }, 'a delimiter or end of line after "', text.slice(i, i + 10));
            }
            let e = i;
            for (let k = text.charCodeAt(e); e < n && k !== dc && k !== 10 && k !== 13; k = text.charCodeAt(++e));
            this.limits(pos, startLine, e, fieldStart, e, openLine, openCol, true);
            if (e >= n && !final) return this.keep(pos);
            sink.field(count++, value + text.slice(i, e), openLine, column);
            i = e;
          } else {
            sink.field(count++, value, openLine, column);
          }
        } else {
          nd = next(this.delimiter, nd, i);
          nl = next('\n', nl, i);
          nr = next('\r', nr, i);
          let e = nd < nl ? nd : nl;
          if (nr < e) e = nr;
          // Without this a file with no newline (binary, or one giant field) grew the buffer
          // without limit, rescanning it on every chunk, instead of failing fast.
          this.limits(pos, startLine, e, i, e, line, i - lineStart + 1, false);
          if (e >= n && !final) return this.keep(pos);
          if (!this.relaxQuotes) {
            nq = next('"', nq, i);
            const bare = nq;
            if (bare < e) {
              throw new InputError('BARE_QUOTE', `quote inside an unquoted field (use --lenient to accept it as text)`, { line, column: bare - lineStart + 1 }, 'a field quoted as a whole', text.slice(i, e));
            }
          }
          // Only the fields the sink wants are cut out of the text (the hot path of big logs).
          if (count === 0 && e === i) firstEmpty = true;
          if (sink.wants(count)) sink.field(count, text.slice(i, e), line, column);
          count++;
          i = e;
        }
        // After a field: delimiter, end of line, or end of input.
        if (i >= n) {
          complete = final;
          if (!final) return this.keep(pos);
          break;
        }
        const c = text.charCodeAt(i);
        if (c === dc) {
          i++;
          // The row limit first: when both are passed, the one passed first in the text wins.
          this.limits(pos, startLine, i, -1, -1, line, 1, false);
          if (count >= this.maxFields) {
            throw new InputError('TOO_MANY_FIELDS', `row with more than ${this.maxFields} fields (the wrong --delimiter, or not a table?)`, { line: startLine, column: 1 });
          }
          if (i >= n && !final) return this.keep(pos);
          continue;
        }
        if (c === 13) {
          if (i + 1 >= n && !final) return this.keep(pos);
          if (text.charCodeAt(i + 1) !== 10) {
            throw new InputError('CR_LINE_ENDINGS', 'carriage return without a line feed (old Mac line endings); convert the file to LF or CRLF', { line, column: i - lineStart + 1 });
          }
          i += 2;
        } else {
          i += 1;
        }
        line++;
        complete = true;
        break;
      }
      if (!complete) break;
      sink.row(startLine, count, count === 1 && firstEmpty && !quotedAny);
      this.line = line;
      pos = i;
    }
    return this.keep(pos);
  }

  private keep(pos: number): void {
    this.pending = this.pending.slice(pos);
  }
}

/** Collects rows as objects (tables, tests): every field, with its column. */
export class RowCollector implements RowSink {
  readonly rows: InputRow[] = [];
  private fields: string[] = [];
  private columns: number[] = [];
  /** Each field's line, made only once a field starts below the row's first line (a quoted line break). */
  private lines: number[] | undefined;
  private firstLine = 0;
  fastLines = 0;
  /** fastRows' cursors (see there), the text they are positions in, and where it last read from. */
  private cursorText = '';
  private cursorFrom = 0;
  private nq = -1;
  private nr = -1;
  private nd = -1;
  /** Fields in the last row fastRows made. */
  private width = 1;

  constructor(private readonly delimiter: string, private readonly maxFields: number) {}

  start(): void {
    this.fields = [];
    this.columns = [];
    this.lines = undefined;
  }
  wants(): boolean {
    return true;
  }
  field(index: number, value: string, line: number, column: number): void {
    this.fields[index] = value;
    this.columns[index] = column;
    if (index === 0) this.firstLine = line;
    else if (this.lines === undefined && line !== this.firstLine) this.lines = new Array<number>(index).fill(this.firstLine);
    if (this.lines !== undefined) this.lines[index] = line;
  }
  row(line: number, _count: number, blank: boolean): void {
    const row: InputRow = { fields: this.fields, line, columns: this.columns, blank };
    if (this.lines !== undefined) row.lines = this.lines;
    this.rows.push(row);
  }

  /**
   * Whole lines with no quote and no CR but a CR LF ending, cut at the delimiter by indexOf: the
   * rows the tokenizer would make of them, at a fraction of the cost. A blank line, a line with
   * a quote or a bare CR, one longer than `maxLine` or with too many fields, and a line not
   * complete in `text`, are the tokenizer's (its errors and positions stay its own).
   */
  fastRows(text: string, from: number, to: number, maxLine: number, line: number): number {
    const d = this.delimiter;
    // The next quote, CR and delimiter, found once and kept until the cursor passes them, from
    // one call to the next on the same text (the tokenizer calls again after each row it reads
    // itself: searching the rest of the text anew each time made quoted lines slow).
    const after = (ch: string, at: number) => { const k = text.indexOf(ch, at); return k === -1 || k > to ? to : k; };
    // The tokenizer reads each new text from its start (from 0): a text equal to the last one
    // compares equal, so that is what tells them apart.
    if (from === 0 || text !== this.cursorText || from < this.cursorFrom) {
      this.cursorText = text;
      this.nq = this.nr = this.nd = -1;
    }
    this.cursorFrom = from;
    let nq = this.nq < from ? after('"', from) : this.nq;
    let nr = this.nr < from ? after('\r', from) : this.nr;
    let nd = this.nd < from ? after(d, from) : this.nd;
    let pos = from;
    let lines = 0;
    lines: for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1 || nl >= to || nl - pos > maxLine || nq < nl) break;
      let end = nl;
      if (nr < nl) {
        if (nr !== nl - 1) break;
        end = nr;
        nr = after('\r', nl);
      }
      if (end === pos) break;
      // Made as long as the last row (most are): grown from empty, they took four times the room.
      const fields = new Array<string>(this.width);
      const columns = new Array<number>(this.width);
      let k = 0;
      let s = pos;
      while (nd < end) {
        // A delimiter after as many fields as a row may have: the tokenizer's error.
        if (k + 1 >= this.maxFields) break lines;
        fields[k] = text.slice(s, nd);
        columns[k++] = s - pos + 1;
        s = nd + 1;
        nd = after(d, s);
      }
      fields[k] = text.slice(s, end);
      columns[k++] = s - pos + 1;
      if (k !== this.width) {
        fields.length = columns.length = k;
        this.width = k;
      }
      this.rows.push({ fields, line: line + lines, columns, blank: false });
      lines++;
      pos = nl + 1;
    }
    this.nq = nq;
    this.nr = nr;
    this.nd = nd;
    this.fastLines = lines;
    return pos;
  }
}

/** Parses a whole text at once (tests, small inputs). */
export function parseCsv(text: string, options: CsvOptions = {}): InputRow[] {
  const t = new CsvTokenizer(options);
  return [...t.push(text), ...t.end()];
}
