// Bytes to text, strictly: UTF-8 (BOM optional) by default with invalid bytes an error that names
// the byte and line; Windows-1252 decoded by our own table (Node 20's TextDecoder maps 0x80–0x9F
// to C1 controls); UTF-16 recognised by its BOM.
import { InputError } from '../model/diagnostics.js';

export type Encoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

// Windows-1252 0x80–0x9F (WHATWG index); the five unassigned bytes keep their C1 code points.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  const CHUNK = 8192;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const codes: number[] = [];
    const end = Math.min(bytes.length, i + CHUNK);
    for (let k = i; k < end; k++) {
      const b = bytes[k]!;
      codes.push(b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b);
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

/** Offset of the first byte that breaks UTF-8, or -1; `final` says whether a cut-off tail is an error. */
export function findInvalidUtf8(bytes: Uint8Array, final: boolean): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) { i++; continue; }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    if (i + need >= n) {
      // Not enough bytes left: a cut-off sequence is an error only at the very end of the input.
      for (let k = i + 1; k < n; k++) if ((bytes[k]! & 0xc0) !== 0x80) return i;
      return final ? i : -1;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function countNewlines(text: string, end: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

function countLines(bytes: Uint8Array, end: number): number {
  // Buffer's indexOf is native: much faster than a byte loop on big logs.
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(end, bytes.length));
  let lines = 0;
  for (let k = buf.indexOf(10); k !== -1; k = buf.indexOf(10, k + 1)) lines++;
  return lines;
}

export interface DecodeInfo {
  encoding: Encoding;
  bom: boolean;
}

/** Bytes decoded at a time (see StrictDecoder.feed). */
const PIECE_BYTES = 1 << 13;

/**
 * Takes whole lines straight from an input's bytes, before they are decoded: the hot path of
 * incident logs, whose rows are read from their bytes when their date and series are known.
 * `take` reads lines from `from` and returns where it stopped, just past the last line it took
 * (`lines` says how many); the bytes from there are decoded as usual, for the reader to read
 * field by field. Offered bytes only when `ready()`, the reader holding no part of a row back.
 * `utf8`: the input is UTF-8 (any other byte ≥ 0x80 stops it: the decoder's to read).
 */
export interface LineTaker {
  ready(): boolean;
  take(bytes: Uint8Array, from: number, to: number, utf8: boolean): number;
  readonly lines: number;
}

/** Where a reader puts its LineTaker once it knows it wants one; decodeChunks looks at each chunk. */
export interface ByteTap {
  taker?: LineTaker;
}

/**
 * Lines decoded one at a time for the reader, none taken between, before a whole piece is
 * decoded (and the taker offered bytes again after it): a log whose rows all need reading field
 * by field pays for a few lines a piece.
 */
const MAX_MISSES = 8;

/**
 * Decodes a stream of byte chunks into text chunks. `info` is filled in once the first bytes are
 * seen. A NUL character means a binary file (or UTF-16 without a BOM): an error, never garbage.
 * With a `tap`, whole lines its taker takes are never decoded at all.
 */
export async function* decodeChunks(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, requested: Encoding | undefined, info: Partial<DecodeInfo> = {}, tap?: ByteTap): AsyncGenerator<string> {
  let decoder: StrictDecoder | undefined;
  let head: Uint8Array = new Uint8Array(0);
  for await (const chunk of chunks) {
    let bytes: Uint8Array = chunk;
    if (!decoder) {
      // Wait for three bytes so a BOM split across chunks is still seen.
      head = concat(head, bytes);
      if (head.length < 3) continue;
      decoder = new StrictDecoder(head, requested, info);
      bytes = decoder.body;
    }
    yield* decoder.feed(bytes, tap);
  }
  if (!decoder) {
    if (head.length === 0) {
      info.encoding = requested ?? 'utf-8';
      info.bom = false;
      return;
    }
    decoder = new StrictDecoder(head, requested, info);
    yield* decoder.feed(decoder.body, tap);
  }
  yield* decoder.emit(new Uint8Array(0), true);
}

/**
 * One input's decoding, chunk after chunk, in the encoding its first bytes (a BOM) or the
 * requested one say. An error in the bytes is thrown only after the text before it has been
 * yielded, so that an earlier problem in that text (a parse error) is reported first, however the
 * input was chunked. A NUL is such an error too, and comes before any decoding error after it.
 */
class StrictDecoder {
  /** The first bytes without their BOM. */
  readonly body: Uint8Array;
  private readonly encoding: Encoding;
  private readonly utf8: TextDecoder | undefined;
  private readonly utf16: Utf16Text | undefined;
  private bytesBefore = 0;
  private carry: Uint8Array = new Uint8Array(0);
  // Line feeds in the text already yielded (and in the lines a taker took): the line a fault in
  // the next text is on is counted from here. Counted once, in the text (a line feed is one byte
  // in UTF-8 and Windows-1252, so the bytes hold as many).
  private textLines = 0;
  private failed: InputError | undefined;

  constructor(first: Uint8Array, requested: Encoding | undefined, info: Partial<DecodeInfo>) {
    const { encoding, bom } = byteOrderMark(first, requested);
    this.encoding = encoding;
    this.body = first.subarray(bom);
    info.encoding = encoding;
    info.bom = bom > 0;
    if (encoding === 'utf-8') this.utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    if (encoding === 'utf-16le' || encoding === 'utf-16be') this.utf16 = new Utf16Text(encoding === 'utf-16be');
    this.bytesBefore = bom;
  }

  /** Decoded text out, then the error found in or after it, if any. */
  *emit(bytes: Uint8Array, final: boolean): Generator<string> {
    const checked = this.checkText(this.decode(bytes, final));
    if (checked) yield checked;
    if (this.failed) throw this.failed;
  }

  /**
   * A chunk's text, in pieces. In pieces: the text of the piece being read is what outlives a
   * young-generation collection, and V8 grows the young generation with what outlives them.
   * Pieces of 8 KB kept a big log's peak flat however long it is (86 MB at 1M and at 10M rows,
   * where 64 KB pieces reached 125 MB at 10M) when all of it was decoded. With a taker, the lines it
   * takes are skipped; each line it does not is decoded on its own, so that it can take the
   * next, until MAX_MISSES lines in a row were not taken: then a whole piece.
   */
  *feed(chunk: Uint8Array, tap: ByteTap | undefined): Generator<string> {
    // One kind of array for the taker, whatever the reader gave (a Buffer or a Uint8Array), even
    // when it comes in the middle of the chunk (once a log's header is read).
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    const n = bytes.length;
    let misses = 0;
    for (let k = 0; k < n;) {
      const taker = tap?.taker;
      if (taker && misses < MAX_MISSES && this.carry.length === 0 && !this.utf16) {
        if (taker.ready()) {
          const at = taker.take(bytes, k, n, this.utf8 !== undefined);
          if (at > k) {
            this.skip(at - k, taker.lines);
            k = at;
            misses = 0;
            if (k === n) break;
          }
        }
        const lf = bytes.indexOf(10, k);
        const end = lf === -1 ? n : lf + 1;
        misses++;
        yield* this.emit(bytes.subarray(k, end), false);
        k = end;
        continue;
      }
      const end = n <= PIECE_BYTES ? n : Math.min(n, k + PIECE_BYTES);
      yield* this.emit(k === 0 && end === n ? bytes : bytes.subarray(k, end), false);
      k = end;
      misses = 0;
    }
  }

  /** Bytes a taker took: counted as if decoded (they hold `lines` line feeds). */
  private skip(bytes: number, lines: number): void {
    this.bytesBefore += bytes;
    this.textLines += lines;
  }

  private checkText(text: string): string {
    const nul = text.indexOf('\u0000');
    if (nul !== -1) {
      const line = this.textLines + countNewlines(text, nul) + 1;
      const why = this.utf16 ? 'NUL character in the text' : 'NUL character: this looks like a binary file or UTF-16 text without a byte-order mark';
      this.failed = new InputError('BINARY_INPUT', why, { line });
      text = text.slice(0, nul);
    }
    this.textLines += countNewlines(text, text.length);
    return text;
  }

  private decode(bytes: Uint8Array, final: boolean): string {
    if (this.encoding === 'windows-1252') return decodeWindows1252(bytes);
    if (this.utf8) return this.decodeUtf8(bytes, final);
    const { text, error } = this.utf16!.decode(bytes, final);
    if (error !== undefined) this.failed = new InputError('BAD_UTF16', `invalid ${this.encoding} text: ${error}`, { line: this.textLines + countNewlines(text, text.length) + 1 });
    return text;
  }

  private decodeUtf8(bytes: Uint8Array, final: boolean): string {
    const all = this.carry.length ? concat(this.carry, bytes) : bytes;
    // Keep an incomplete trailing sequence for the next chunk.
    const cut = final ? all.length : utf8Cut(all);
    const part = all.subarray(0, cut);
    let text: string;
    // Fast path: the native strict decoder; only when it refuses do we look for the bad byte.
    try {
      text = this.utf8!.decode(part);
    } catch {
      return this.utf8Failure(all);
    }
    // A cut-off tail that can never complete (an invalid lead or continuation) fails now.
    if (!final && cut < all.length && findInvalidUtf8(all.subarray(cut), false) !== -1) return this.utf8Failure(all);
    // A copy: `all` may be the reader's buffer, which the next read overwrites.
    this.carry = new Uint8Array(all.subarray(cut));
    this.bytesBefore += cut;
    return text;
  }

  /** The valid text before the bad byte, then the error (a NUL in that text comes first). */
  private utf8Failure(all: Uint8Array): string {
    const bad = Math.max(0, findInvalidUtf8(all, true));
    const line = this.textLines + countLines(all, bad) + 1;
    const byte = all[bad]!.toString(16).toUpperCase().padStart(2, '0');
    this.failed = new InputError('NOT_UTF8', `not valid UTF-8 at byte ${this.bytesBefore + bad} (line ${line}, byte 0x${byte}); try --encoding windows-1252`, { line });
    return this.utf8!.decode(all.subarray(0, bad));
  }
}

/** The encoding a BOM names (it wins over --encoding, but for a UTF-8 BOM against another), and the BOM's length. */
function byteOrderMark(bytes: Uint8Array, requested: Encoding | undefined): { encoding: Encoding; bom: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    if (requested && requested !== 'utf-8') throw new InputError('ENCODING_MISMATCH', `the file starts with a UTF-8 byte-order mark but --encoding ${requested} was given`, { line: 1 });
    return { encoding: 'utf-8', bom: 3 };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  return { encoding: requested ?? 'utf-8', bom: 0 };
}

/** Where the bytes stop being whole UTF-8 sequences: an incomplete one at the end waits for the next chunk. */
function utf8Cut(all: Uint8Array): number {
  let k = all.length - 1;
  let back = 0;
  while (k >= 0 && back < 3 && (all[k]! & 0xc0) === 0x80) { k--; back++; }
  if (k >= 0 && all[k]! >= 0xc0) {
    const need = all[k]! >= 0xf0 ? 3 : all[k]! >= 0xe0 ? 2 : 1;
    if (back < need) return k;
  }
  return all.length;
}

/**
 * UTF-16 code units to text, strictly, by the native decoder (streaming). It says only that the
 * text is bad: then the bytes it was holding back and the chunk are scanned for the first
 * unpaired surrogate (or the odd byte at the end), to name it and give the valid text before it.
 */
class Utf16Text {
  private readonly decoder: TextDecoder;
  /** The last (up to) three bytes fed, a copy: what the decoder may be holding back. */
  private tail: Uint8Array = new Uint8Array(0);
  private odd = false;

  constructor(private readonly bigEndian: boolean) {
    this.decoder = new TextDecoder(bigEndian ? 'utf-16be' : 'utf-16le', { fatal: true, ignoreBOM: true });
  }

  decode(bytes: Uint8Array, final: boolean): { text: string; error?: string } {
    try {
      const text = this.decoder.decode(bytes, { stream: !final });
      // A copy (a Buffer's slice is a view): `bytes` may be the reader's buffer, which the next read overwrites.
      this.tail = new Uint8Array(bytes.length >= 3 ? bytes.subarray(-3) : concat(this.tail, bytes).subarray(-3));
      if (bytes.length % 2) this.odd = !this.odd;
      return { text };
    } catch (err) {
      const found = firstBadUtf16(concat(this.held(), bytes), this.bigEndian, final);
      if (!found) throw err;
      return found;
    }
  }

  /** The bytes the decoder holds for the next chunk: an odd byte, after a high surrogate waiting for its pair. */
  private held(): Uint8Array {
    const t = this.tail;
    const at = t.length - (this.odd ? 3 : 2);
    const unit = at < 0 ? 0 : this.bigEndian ? (t[at]! << 8) | t[at + 1]! : (t[at + 1]! << 8) | t[at]!;
    const high = unit >= 0xd800 && unit <= 0xdbff;
    return t.subarray(t.length - (this.odd ? 1 : 0) - (high ? 2 : 0));
  }
}

/**
 * The first fault in UTF-16 bytes (a surrogate without its pair, or, at the end of the input,
 * an odd byte) and the valid text before it; undefined when there is none.
 */
function firstBadUtf16(bytes: Uint8Array, bigEndian: boolean, final: boolean): { text: string; error: string } | undefined {
  const unitAt = (k: number) => (bigEndian ? (bytes[k]! << 8) | bytes[k + 1]! : (bytes[k + 1]! << 8) | bytes[k]!);
  const fault = (end: number, error: string) => ({ text: new TextDecoder(bigEndian ? 'utf-16be' : 'utf-16le', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, end)), error });
  const unpaired = (u: number) => `unpaired surrogate U+${u.toString(16).toUpperCase()}`;
  let k = 0;
  for (; k + 1 < bytes.length; k += 2) {
    const u = unitAt(k);
    if (u >= 0xdc00 && u <= 0xdfff) return fault(k, unpaired(u));
    if (u < 0xd800 || u > 0xdbff) continue;
    if (k + 3 >= bytes.length) break;
    const low = unitAt(k + 2);
    if (low < 0xdc00 || low > 0xdfff) return fault(k, unpaired(u));
    k += 2;
  }
  if (!final) return undefined;
  // Only the end is left: a high surrogate with nothing after it, an odd byte, or both.
  const high = k + 1 < bytes.length;
  if (bytes.length % 2) return fault(high ? k : bytes.length - 1, 'odd number of bytes');
  if (high) return fault(k, unpaired(unitAt(k)));
  return undefined;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Decodes a whole buffer (small inputs and tests). */
export async function decodeAll(bytes: Uint8Array, encoding?: Encoding): Promise<{ text: string; info: DecodeInfo }> {
  const info: Partial<DecodeInfo> = {};
  let text = '';
  for await (const part of decodeChunks((async function* () { yield bytes; })(), encoding, info)) text += part;
  return { text, info: info as DecodeInfo };
}
