// A small position-aware JSON reader for user input files. It accepts exactly what JSON.parse
// accepts (RFC 8259) and builds the same value, but every syntax error carries the 1-based line
// and column of the offending character and says what went wrong in words; duplicate keys are
// reported rather than silently collapsed; and the lines where the elements of the top-level
// array (or of arrays directly under the top-level object) start are kept, so a record can be
// traced back to its place in the file. Lines are counted by "\n"; columns are in UTF-16 code
// units from the start of the line, as in the CSV tokenizer.
import { type Diagnostic, InputError } from '../model/diagnostics.js';

export interface DuplicateKey {
  /** JSON path of the object holding the repeated key: `$`, `$.records[3]`, `$["a b"]`. */
  path: string;
  key: string;
  /** 1-based position of the repeated (later) occurrence of the key. */
  line: number;
  column: number;
}

export interface ParsedJson {
  /** The value JSON.parse would return (a later duplicate key wins). */
  value: unknown;
  duplicateKeys: DuplicateKey[];
  /**
   * 1-based line where each element starts, for the top-level array (`$`) and for arrays that are
   * direct children of the top-level object (`$.records`, `$["my records"]`). Nothing deeper.
   */
  arrayElementLines: Map<string, number[]>;
}

/** Deeper nesting than this is refused rather than risking a stack overflow. */
export const MAX_JSON_DEPTH = 1000;

/** Parses a whole JSON document; throws InputError('BAD_JSON', …) positioned at the problem. */
export function parseJsonText(text: string): ParsedJson {
  const p = new JsonScanner(text, 1, true);
  const value = p.parseDocument('empty input');
  return { value, duplicateKeys: p.duplicateKeys, arrayElementLines: p.arrayElementLines };
}

/**
 * Parses one NDJSON line (given its 1-based line number in the file); errors are positioned on
 * that line. Its repeated keys (the last value is used) are added to `duplicates` when given.
 */
export function parseNdjsonLine(text: string, line: number, duplicates?: DuplicateKey[]): unknown {
  const p = new JsonScanner(text, line, false);
  const value = p.parseDocument('empty line');
  if (duplicates) for (const d of p.duplicateKeys) duplicates.push(d);
  return value;
}

/** The warning for a repeated key (JSON and NDJSON inputs alike). */
export function duplicateKeyWarning(file: string, d: DuplicateKey): Diagnostic & { line: number; column: number } {
  return { file, line: d.line, column: d.column, code: 'DUPLICATE_KEY', message: `duplicate key "${d.key}" at ${d.path}: the last value is used` };
}

const C_TAB = 0x09;
const C_LF = 0x0a;
const C_CR = 0x0d;
const C_SPACE = 0x20;
const C_QUOTE = 0x22;
const C_PLUS = 0x2b;
const C_COMMA = 0x2c;
const C_MINUS = 0x2d;
const C_DOT = 0x2e;
const C_SLASH = 0x2f;
const C_0 = 0x30;
const C_9 = 0x39;
const C_COLON = 0x3a;
const C_LBRACKET = 0x5b;
const C_BACKSLASH = 0x5c;
const C_RBRACKET = 0x5d;
const C_LBRACE = 0x7b;
const C_RBRACE = 0x7d;

const IDENTIFIER_PATH_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const WORD = /[A-Za-z_$][A-Za-z0-9_$]*/y;
const TOKEN = /[^\s,:[\]{}"]{1,20}|"[^"\n]{0,18}"?/y;

function isDigit(c: number): boolean {
  return c >= C_0 && c <= C_9;
}

function isHex(c: number): boolean {
  return (c >= C_0 && c <= C_9) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Letters, digits, `_`, `$` and `.`: a character that cannot directly follow a number or literal. */
function continuesWord(c: number): boolean {
  return (c >= C_0 && c <= C_9) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24 || c === C_DOT;
}

const SIMPLE_ESCAPES: Record<number, string> = {
  0x22: '"',
  0x5c: '\\',
  0x2f: '/',
  0x62: '\b',
  0x66: '\f',
  0x6e: '\n',
  0x72: '\r',
  0x74: '\t',
};

function pathString(segments: readonly (string | number)[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENTIFIER_PATH_KEY.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

class JsonScanner {
  private pos = 0;
  private readonly n: number;
  /** Offsets of the brackets and braces open around the current position, innermost last. */
  private readonly open: number[] = [];
  /** Keys and indexes from the root to the value being parsed. */
  private readonly path: (string | number)[] = [];
  readonly duplicateKeys: DuplicateKey[] = [];
  readonly arrayElementLines = new Map<string, number[]>();
  // A forward-only cursor for line numbers: positions asked for while parsing only increase.
  private cursorPos = 0;
  private cursorLine = 0;
  private cursorLineStart = 0;
  /** Offset of the first "\n" at or after cursorLineStart; Infinity if none; -2 until looked up. */
  private nextNewline = -2;

  constructor(
    private readonly text: string,
    private readonly firstLine: number,
    private readonly trackElements: boolean,
  ) {
    // A byte-order mark should already be gone; if one is left, it is not part of the JSON.
    if (text.charCodeAt(0) === 0xfeff) this.text = text.slice(1);
    this.n = this.text.length;
  }

  parseDocument(emptyMessage: string): unknown {
    this.skipWhitespace();
    if (this.pos >= this.n) throw new InputError('BAD_JSON', emptyMessage, { line: this.firstLine, column: 1 }, 'a JSON value');
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.pos < this.n) {
      const c = this.text.charCodeAt(this.pos);
      if (c === C_RBRACKET || c === C_RBRACE) {
        const ch = this.text[this.pos]!;
        this.fail(this.pos, `unexpected "${ch}" with no matching "${c === C_RBRACKET ? '[' : '{'}"`, 'end of input', ch);
      }
      this.unexpected('end of input', 'unexpected content after the JSON value');
    }
    return value;
  }

  // ---- positions and errors ----

  /** Moves the line cursor to pos (restarting from the top if pos is behind it). */
  private advance(pos: number): void {
    if (pos < this.cursorPos) {
      this.cursorPos = 0;
      this.cursorLine = 0;
      this.cursorLineStart = 0;
      this.nextNewline = -2;
    }
    if (this.nextNewline === -2) this.nextNewline = this.findNewline(this.cursorPos);
    while (this.nextNewline < pos) {
      this.cursorLine++;
      this.cursorLineStart = this.nextNewline + 1;
      this.nextNewline = this.findNewline(this.cursorLineStart);
    }
    this.cursorPos = pos;
  }

  private findNewline(from: number): number {
    const i = this.text.indexOf('\n', from);
    return i === -1 ? Infinity : i;
  }

  private lineAt(pos: number): number {
    this.advance(pos);
    return this.firstLine + this.cursorLine;
  }

  private columnAt(pos: number): number {
    this.advance(pos);
    return pos - this.cursorLineStart + 1;
  }

  private fail(pos: number, message: string, expected?: string, got?: string): never {
    throw new InputError('BAD_JSON', message, { line: this.lineAt(pos), column: this.columnAt(pos) }, expected, got);
  }

  /** The character at pos, whole if it is a surrogate pair. */
  private charAt(pos: number): string {
    const cp = this.text.codePointAt(pos);
    return cp === undefined ? '' : String.fromCodePoint(cp);
  }

  /** A short run of text from pos, up to the next delimiter, for `got`. */
  private tokenAt(pos: number): string {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(this.text);
    return m ? m[0] : this.charAt(pos);
  }

  private failAtEnd(expected: string): never {
    // Point just after the last significant character: where the missing text belongs.
    let end = this.n;
    while (end > 0 && isWhitespace(this.text.charCodeAt(end - 1))) end--;
    const innermost = this.open[this.open.length - 1];
    const unclosed =
      innermost === undefined ? '' : ` (unclosed "${this.text[innermost]}" from line ${this.lineAt(innermost)})`;
    this.fail(end, `unexpected end of input${unclosed}`, expected);
  }

  /** Explains whatever is at the current position, which is not what `expected` describes. */
  private unexpected(expected: string, generic = 'unexpected character'): never {
    const pos = this.pos;
    if (pos >= this.n) this.failAtEnd(expected);
    const text = this.text;
    const c = text.charCodeAt(pos);
    if (c === C_SLASH) {
      const next = text.charCodeAt(pos + 1);
      if (next === C_SLASH || next === 0x2a) this.fail(pos, 'comments are not allowed', expected, text.slice(pos, pos + 2));
    }
    if (c === 0x27) this.fail(pos, 'single quotes are not allowed; JSON strings use double quotes', expected, this.tokenAt(pos));
    WORD.lastIndex = pos;
    const word = WORD.exec(text)?.[0];
    if (word !== undefined) {
      if (word === 'NaN' || word === 'Infinity' || word === 'undefined') this.fail(pos, `${word} is not valid JSON`, expected, word);
      const lower = word.toLowerCase();
      if (generic === 'unexpected character' && (word === 'true' || word === 'false' || word === 'null')) {
        // A literal run straight into something else, like `true.`.
        this.fail(pos + word.length, `unexpected character after ${word}`, '",", "]", "}" or end of input', this.charAt(pos + word.length));
      }
      if (lower === 'true' || lower === 'false' || lower === 'null' || word === 'None') {
        this.fail(pos, `"${word}" is not a JSON literal (they are lowercase: true, false, null)`, expected, word);
      }
      if (generic === 'unexpected character') {
        this.fail(pos, 'unquoted text; JSON strings use double quotes', expected, word.slice(0, 20));
      }
      this.fail(pos, generic, expected, word.slice(0, 20));
    }
    if (c === C_PLUS) this.fail(pos, 'numbers cannot start with "+"', expected, this.tokenAt(pos));
    if (c === C_DOT && isDigit(text.charCodeAt(pos + 1))) {
      this.fail(pos, 'numbers need a digit before the decimal point', expected, this.tokenAt(pos));
    }
    this.fail(pos, generic, expected, this.charAt(pos));
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    while (pos < this.n && isWhitespace(text.charCodeAt(pos))) pos++;
    this.pos = pos;
  }

  // ---- values ----

  private parseValue(): unknown {
    this.skipWhitespace();
    const c = this.text.charCodeAt(this.pos);
    if (c === C_LBRACE) return this.parseObject();
    if (c === C_LBRACKET) return this.parseArray();
    if (c === C_QUOTE) return this.parseString();
    if (c === C_MINUS || isDigit(c)) return this.parseNumber();
    if (c === 0x74 && this.literal('true')) return true;
    if (c === 0x66 && this.literal('false')) return false;
    if (c === 0x6e && this.literal('null')) return null;
    return this.unexpected('a JSON value');
  }

  private literal(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false;
    if (continuesWord(this.text.charCodeAt(this.pos + word.length))) return false;
    this.pos += word.length;
    return true;
  }

  private enter(): void {
    if (this.open.length >= MAX_JSON_DEPTH) {
      this.fail(this.pos, `nesting too deep (more than ${MAX_JSON_DEPTH} levels)`, undefined, this.text[this.pos]);
    }
    this.open.push(this.pos);
    this.pos++;
  }

  private parseArray(): unknown[] {
    const text = this.text;
    let lines: number[] | undefined;
    if (this.trackElements) {
      const depth = this.path.length;
      if (depth === 0 || (depth === 1 && typeof this.path[0] === 'string')) {
        lines = [];
        this.arrayElementLines.set(pathString(this.path), lines);
      }
    }
    this.enter();
    const arr: unknown[] = [];
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) === C_RBRACKET) {
      this.pos++;
      this.open.pop();
      return arr;
    }
    for (;;) {
      if (lines) lines.push(this.lineAt(this.pos));
      this.path.push(arr.length);
      arr.push(this.parseValue());
      this.path.pop();
      this.skipWhitespace();
      const c = text.charCodeAt(this.pos);
      if (c === C_COMMA) {
        const comma = this.pos;
        this.pos++;
        this.skipWhitespace();
        if (text.charCodeAt(this.pos) === C_RBRACKET) this.fail(comma, 'trailing comma before "]"', 'another element after ","', ',');
        continue;
      }
      if (c === C_RBRACKET) {
        this.pos++;
        this.open.pop();
        return arr;
      }
      if (this.pos < this.n && startsValue(c)) {
        this.fail(this.pos, 'missing comma between array elements', '"," or "]"', this.tokenAt(this.pos));
      }
      this.unexpected('"," or "]"');
    }
  }

  private parseObject(): Record<string, unknown> {
    const text = this.text;
    this.enter();
    const obj: Record<string, unknown> = {};
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) === C_RBRACE) {
      this.pos++;
      this.open.pop();
      return obj;
    }
    for (;;) {
      if (text.charCodeAt(this.pos) !== C_QUOTE) this.badPropertyName();
      const keyPos = this.pos;
      const key = this.parseString();
      this.skipWhitespace();
      if (text.charCodeAt(this.pos) !== C_COLON) {
        if (this.pos >= this.n) this.failAtEnd('":"');
        this.fail(this.pos, 'missing ":" after property name', '":"', this.tokenAt(this.pos));
      }
      this.pos++;
      if (Object.hasOwn(obj, key)) {
        // Checked before the value is parsed, so the line cursor only moves forward.
        this.duplicateKeys.push({ path: pathString(this.path), key, line: this.lineAt(keyPos), column: this.columnAt(keyPos) });
      }
      this.path.push(key);
      const value = this.parseValue();
      this.path.pop();
      if (key === '__proto__') {
        // Plain assignment would set the prototype; JSON.parse makes an own property.
        Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
      } else {
        obj[key] = value;
      }
      this.skipWhitespace();
      const c = text.charCodeAt(this.pos);
      if (c === C_COMMA) {
        const comma = this.pos;
        this.pos++;
        this.skipWhitespace();
        if (text.charCodeAt(this.pos) === C_RBRACE) this.fail(comma, 'trailing comma before "}"', 'another property after ","', ',');
        continue;
      }
      if (c === C_RBRACE) {
        this.pos++;
        this.open.pop();
        return obj;
      }
      if (this.pos < this.n && (c === C_QUOTE || startsValue(c))) {
        this.fail(this.pos, 'missing comma between properties', '"," or "}"', this.tokenAt(this.pos));
      }
      this.unexpected('"," or "}"');
    }
  }

  private badPropertyName(): never {
    const expected = 'a property name in double quotes';
    const pos = this.pos;
    const c = this.text.charCodeAt(pos);
    if (pos < this.n && c !== C_SLASH && c !== 0x27) {
      WORD.lastIndex = pos;
      const word = WORD.exec(this.text)?.[0];
      if (word !== undefined) this.fail(pos, 'property names must be in double quotes', expected, word.slice(0, 20));
    }
    this.unexpected(expected);
  }

  private parseString(): string {
    const text = this.text;
    const n = this.n;
    const open = this.pos;
    let i = open + 1;
    // Fast path: no escapes.
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === C_QUOTE) {
        this.pos = i + 1;
        return text.slice(open + 1, i);
      }
      if (c === C_BACKSLASH || c < C_SPACE) break;
      i++;
    }
    let out = text.slice(open + 1, i);
    let chunk = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === C_QUOTE) {
        this.pos = i + 1;
        return out + text.slice(chunk, i);
      }
      if (c === C_BACKSLASH) {
        out += text.slice(chunk, i);
        const e = text.charCodeAt(i + 1);
        const simple = SIMPLE_ESCAPES[e];
        if (simple !== undefined) {
          out += simple;
          i += 2;
        } else if (e === 0x75) {
          for (let k = 2; k < 6; k++) {
            if (!isHex(text.charCodeAt(i + k))) {
              if (i + k >= n) break;
              this.fail(i, 'invalid \\u escape (needs four hex digits)', '\\u and four hex digits', text.slice(i, i + 6));
            }
          }
          if (i + 6 > n) break;
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          if (i + 1 >= n) break;
          this.fail(i, 'invalid escape', 'one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX', `\\${this.charAt(i + 1)}`);
        }
        chunk = i;
        continue;
      }
      if (c < C_SPACE) {
        if (c === C_LF || c === C_CR) {
          this.fail(i, 'unterminated string (a line break inside a string must be written \\n)', 'a closing "', text[i]);
        }
        this.fail(i, 'raw control character in string (must be escaped, e.g. \\t or \\u0001)', 'an escape sequence', text[i]);
      }
      i++;
    }
    // Ran off the end: point at the opening quote.
    return this.fail(open, 'unterminated string', 'a closing "', text.slice(open, open + 20));
  }

  private parseNumber(): number {
    const text = this.text;
    const start = this.pos;
    let i = start;
    if (text.charCodeAt(i) === C_MINUS) i++;
    const c = text.charCodeAt(i);
    if (c === C_0) {
      i++;
      if (isDigit(text.charCodeAt(i))) this.fail(i - 1, 'leading zeros are not allowed in numbers', 'a number', this.tokenAt(start));
    } else if (isDigit(c)) {
      do i++;
      while (isDigit(text.charCodeAt(i)));
    } else {
      if (text.startsWith('Infinity', i)) this.fail(start, '-Infinity is not valid JSON', 'a number', '-Infinity');
      this.fail(i, 'expected a digit after "-"', 'a digit', i < this.n ? this.charAt(i) : undefined);
    }
    if (text.charCodeAt(i) === C_DOT) {
      i++;
      if (!isDigit(text.charCodeAt(i))) this.fail(i, 'expected a digit after the decimal point', 'a digit', this.tokenAt(start));
      do i++;
      while (isDigit(text.charCodeAt(i)));
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === C_PLUS || sign === C_MINUS) i++;
      if (!isDigit(text.charCodeAt(i))) this.fail(i, 'expected a digit in the exponent', 'a digit', this.tokenAt(start));
      do i++;
      while (isDigit(text.charCodeAt(i)));
    }
    if (continuesWord(text.charCodeAt(i))) {
      const x = text.charCodeAt(i);
      if ((x === 0x78 || x === 0x58) && i === start + 1 + (text.charCodeAt(start) === C_MINUS ? 1 : 0)) {
        this.fail(start, 'hexadecimal numbers are not allowed', 'a decimal number', this.tokenAt(start));
      }
      this.fail(i, 'invalid number', 'a number', this.tokenAt(start));
    }
    this.pos = i;
    return Number(text.slice(start, i));
  }
}

function isWhitespace(c: number): boolean {
  return c === C_SPACE || c === C_LF || c === C_CR || c === C_TAB;
}

/** A character that can begin a JSON value (used to recognise a missing comma). */
function startsValue(c: number): boolean {
  return c === C_QUOTE || c === C_LBRACE || c === C_LBRACKET || c === C_MINUS || isDigit(c) || c === 0x74 || c === 0x66 || c === 0x6e;
}
