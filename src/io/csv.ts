// An incremental RFC 4180 tokenizer that knows where every field starts (line and column), so
// every reject can be positioned. Pure text in, rows out; decoding happens before it.
import { InputError } from '../core/diagnostics.js';

export interface CsvRow {
  fields: string[];
  /** 1-based line and column where each field starts. */
  line: number;
  columns: number[];
  /** An empty line: one empty, unquoted field. */
  blank: boolean;
}

export interface CsvOptions {
  delimiter?: string;
  /** Accept a bare `"` inside an unquoted field (csv-spectrum's `37.8"N`), as text. */
  relaxQuotes?: boolean;
  /** Longest field accepted, in characters (a binary or runaway-quote file fails fast). */
  maxField?: number;
}

const DEFAULT_MAX_FIELD = 1 << 20;

export class CsvTokenizer {
  private pending = '';
  private line = 1;
  private readonly delimiter: string;
  private readonly relaxQuotes: boolean;
  private readonly maxField: number;

  constructor(options: CsvOptions = {}) {
    this.delimiter = options.delimiter ?? ',';
    if (this.delimiter.length !== 1 || /["\r\n]/.test(this.delimiter)) {
      throw new InputError('BAD_DELIMITER', `the delimiter must be one character other than a quote or newline`, {}, 'one character', this.delimiter);
    }
    this.relaxQuotes = options.relaxQuotes ?? false;
    this.maxField = options.maxField ?? DEFAULT_MAX_FIELD;
  }

  /** Feeds text; returns the rows completed so far. */
  push(text: string): CsvRow[] {
    this.pending += text;
    const rows = this.drain(false);
    // What is left is one unfinished row: many short fields with no newline (a binary file of
    // commas, a runaway row) would otherwise grow the buffer and be rescanned on every chunk.
    if (this.pending.length > this.maxField * 4) {
      throw new InputError('ROW_TOO_LARGE', `row longer than ${this.maxField * 4} characters (a binary file, or no line endings?)`, { line: this.line, column: 1 });
    }
    return rows;
  }

  /** Ends the input; returns the last row, or throws for an unterminated quote. */
  end(): CsvRow[] {
    return this.drain(true);
  }

  private drain(final: boolean): CsvRow[] {
    const rows: CsvRow[] = [];
    const text = this.pending;
    const n = text.length;
    const delim = this.delimiter;
    let pos = 0;
    for (;;) {
      if (pos >= n) break;
      const startLine = this.line;
      let line = this.line;
      let lineStart = pos;
      const fields: string[] = [];
      const columns: number[] = [];
      let i = pos;
      let complete = false;
      let quotedAny = false;
      // One row.
      for (;;) {
        columns.push(i - lineStart + 1);
        if (text.charCodeAt(i) === 34 /* " */) {
          quotedAny = true;
          const openLine = line;
          const openCol = i - lineStart + 1;
          let j = i + 1;
          let value = '';
          for (;;) {
            const q = text.indexOf('"', j);
            if (q === -1) {
              if (!final) {
                if (n - pos > this.maxField * 4) throw new InputError('FIELD_TOO_LARGE', `field longer than ${this.maxField} characters (a binary file, or a quote never closed?)`, { line: openLine, column: openCol });
                return this.keep(rows, pos);
              }
              throw new InputError('QUOTE_NOT_CLOSED', `quote opened at line ${openLine} not closed`, { line: openLine, column: openCol }, 'a closing "');
            }
            value += text.slice(j, q);
            if (q + 1 >= n && !final) return this.keep(rows, pos);
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
          if (value.length > this.maxField) throw new InputError('FIELD_TOO_LARGE', `field longer than ${this.maxField} characters`, { line: openLine, column: openCol });
          i = j;
          const c = text.charCodeAt(i);
          if (i < n && c !== delim.charCodeAt(0) && c !== 10 && c !== 13) {
            if (!this.relaxQuotes) {
              throw new InputError('TEXT_AFTER_QUOTE', `text after a closing quote`, { line, column: i - lineStart + 1 }, 'a delimiter or end of line after "', text.slice(i, i + 10));
            }
            let e = i;
            while (e < n && text[e] !== delim && text[e] !== '\n' && text[e] !== '\r') e++;
            if (e >= n && !final) return this.keep(rows, pos);
            fields.push(value + text.slice(i, e));
            i = e;
          } else {
            fields.push(value);
          }
        } else {
          let e = i;
          while (e < n) {
            const c = text.charCodeAt(e);
            if (c === 44 && delim === ',') break;
            if (text[e] === delim || c === 10 || c === 13) break;
            e++;
          }
          if (e >= n && !final) {
            // Without this a file with no newline (binary, or one giant field) grew the buffer
            // without limit, rescanning it on every chunk, instead of failing fast.
            if (e - i > this.maxField) throw new InputError('FIELD_TOO_LARGE', `field longer than ${this.maxField} characters`, { line, column: i - lineStart + 1 });
            return this.keep(rows, pos);
          }
          const value = text.slice(i, e);
          if (value.length > this.maxField) throw new InputError('FIELD_TOO_LARGE', `field longer than ${this.maxField} characters`, { line, column: i - lineStart + 1 });
          const bare = value.indexOf('"');
          if (bare !== -1 && !this.relaxQuotes) {
            throw new InputError('BARE_QUOTE', `quote inside an unquoted field (use --lenient to accept it as text)`, { line, column: i - lineStart + bare + 1 }, 'a field quoted as a whole', value);
          }
          fields.push(value);
          i = e;
        }
        // After a field: delimiter, end of line, or end of input.
        if (i >= n) {
          complete = final;
          if (!final) return this.keep(rows, pos);
          break;
        }
        const c = text.charCodeAt(i);
        if (text[i] === delim) {
          i++;
          if (i >= n && !final) return this.keep(rows, pos);
          continue;
        }
        if (c === 13) {
          if (i + 1 >= n && !final) return this.keep(rows, pos);
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
      const blank = fields.length === 1 && fields[0] === '' && !quotedAny;
      rows.push({ fields, line: startLine, columns, blank });
      this.line = line;
      pos = i;
    }
    return this.keep(rows, pos);
  }

  private keep(rows: CsvRow[], pos: number): CsvRow[] {
    this.pending = this.pending.slice(pos);
    return rows;
  }
}

/** Parses a whole text at once (tests, small inputs). */
export function parseCsv(text: string, options: CsvOptions = {}): CsvRow[] {
  const t = new CsvTokenizer(options);
  return [...t.push(text), ...t.end()];
}
