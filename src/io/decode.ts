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

/**
 * Decodes a stream of byte chunks into text chunks. `info` is filled in once the first bytes are
 * seen. A NUL character means a binary file (or UTF-16 without a BOM): an error, never garbage.
 */
export async function* decodeChunks(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, requested: Encoding | undefined, info: Partial<DecodeInfo> = {}): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let utf16: Utf16Decoder | undefined;
  let encoding: Encoding | undefined = requested;
  let head: Uint8Array = new Uint8Array(0);
  let started = false;
  let bytesBefore = 0;
  let linesBefore = 0;
  let carry: Uint8Array = new Uint8Array(0);
  // Lines of text already yielded. Not linesBefore: the decoders advance that past the chunk
  // being checked, which put a NUL on line 2 of a one-chunk file at line 4.
  let textLines = 0;

  // An error in the bytes is thrown only after the text before it has been yielded, so that an
  // earlier problem in that text (a parse error) is reported first, however the input was
  // chunked. A NUL is such an error too, and comes before any decoding error after it.
  let failed: InputError | undefined;
  const checkText = (text: string) => {
    const nul = text.indexOf('\u0000');
    if (nul !== -1) {
      const line = textLines + countNewlines(text, nul) + 1;
      const why = encoding === 'utf-16le' || encoding === 'utf-16be' ? 'NUL character in the text' : 'NUL character: this looks like a binary file or UTF-16 text without a byte-order mark';
      failed = new InputError('BINARY_INPUT', why, { line });
      text = text.slice(0, nul);
    }
    textLines += countNewlines(text, text.length);
    return text;
  };

  const decodeUtf8 = (bytes: Uint8Array, final: boolean): string => {
    const all = carry.length ? concat(carry, bytes) : bytes;
    // Fast path: the native strict decoder; only when it refuses do we look for the bad byte.
    // The valid text before the bad byte, then the error (a NUL in that text comes first).
    const fail = (): string => {
      const bad = Math.max(0, findInvalidUtf8(all, true));
      const line = linesBefore + countLines(all, bad) + 1;
      const byte = all[bad]!.toString(16).toUpperCase().padStart(2, '0');
      failed = new InputError('NOT_UTF8', `not valid UTF-8 at byte ${bytesBefore + bad} (line ${line}, byte 0x${byte}); try --encoding windows-1252`, { line });
      return decoder!.decode(all.subarray(0, bad));
    };
    // Keep an incomplete trailing sequence for the next chunk.
    let cut = all.length;
    if (!final) {
      let k = all.length - 1;
      let back = 0;
      while (k >= 0 && back < 3 && (all[k]! & 0xc0) === 0x80) { k--; back++; }
      if (k >= 0 && all[k]! >= 0xc0) {
        const need = all[k]! >= 0xf0 ? 3 : all[k]! >= 0xe0 ? 2 : 1;
        if (back < need) cut = k;
      }
    }
    const part = all.subarray(0, cut);
    let text: string;
    try {
      text = decoder!.decode(part);
    } catch {
      return fail();
    }
    // A cut-off tail that can never complete (an invalid lead or continuation) fails now.
    if (!final && cut < all.length && findInvalidUtf8(all.subarray(cut), false) !== -1) return fail();
    // A copy: `all` may be the reader's buffer, which the next read overwrites.
    carry = new Uint8Array(all.subarray(cut));
    bytesBefore += cut;
    linesBefore += countLines(part, part.length);
    return text;
  };

  const start = (bytes: Uint8Array): Uint8Array => {
    started = true;
    let body = bytes;
    let bom = false;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      bom = true;
      body = bytes.subarray(3);
      if (requested && requested !== 'utf-8') throw new InputError('ENCODING_MISMATCH', `the file starts with a UTF-8 byte-order mark but --encoding ${requested} was given`, { line: 1 });
      encoding = 'utf-8';
    } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
      bom = true;
      body = bytes.subarray(2);
      encoding = 'utf-16le';
    } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
      bom = true;
      body = bytes.subarray(2);
      encoding = 'utf-16be';
    }
    encoding ??= 'utf-8';
    info.encoding = encoding;
    info.bom = bom;
    if (encoding === 'utf-8') decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    if (encoding === 'utf-16le' || encoding === 'utf-16be') utf16 = new Utf16Decoder(encoding === 'utf-16be');
    bytesBefore = bytes.length - body.length;
    return body;
  };

  const decode = (bytes: Uint8Array, final: boolean): string => {
    if (encoding === 'windows-1252') {
      const text = decodeWindows1252(bytes);
      linesBefore += countLines(bytes, bytes.length);
      return text;
    }
    if (encoding === 'utf-8') return decodeUtf8(bytes, final);
    const { text, error } = utf16!.decode(bytes, final);
    if (error !== undefined) failed = new InputError('BAD_UTF16', `invalid ${encoding} text: ${error}`, { line: textLines + countNewlines(text, text.length) + 1 });
    return text;
  };

  // Decoded text out, then the error found in or after it, if any.
  function* emit(text: string): Generator<string> {
    const checked = checkText(text);
    if (checked) yield checked;
    if (failed) throw failed;
  }

  for await (const chunk of chunks) {
    let bytes: Uint8Array = chunk;
    if (!started) {
      // Wait for three bytes so a BOM split across chunks is still seen.
      head = concat(head, bytes);
      if (head.length < 3) continue;
      bytes = start(head);
    }
    yield* emit(decode(bytes, false));
  }
  if (!started) {
    if (head.length === 0) {
      info.encoding = requested ?? 'utf-8';
      info.bom = false;
      return;
    }
    head = start(head);
    yield* emit(decode(head, true));
    return;
  }
  yield* emit(decode(new Uint8Array(0), true));
}

/**
 * UTF-16 code units to text, strictly. Our own rather than TextDecoder's fatal mode because an
 * error must come with the valid text before it (to report a NUL there first, and the line).
 */
class Utf16Decoder {
  private odd: number | undefined;
  private high: number | undefined;

  constructor(private readonly bigEndian: boolean) {}

  decode(bytes: Uint8Array, final: boolean): { text: string; error?: string } {
    let text = '';
    const units: number[] = [];
    const flush = () => {
      text += String.fromCharCode(...units);
      units.length = 0;
    };
    let k = 0;
    const n = bytes.length;
    while (k < n) {
      let a: number;
      let b: number;
      if (this.odd !== undefined) {
        a = this.odd;
        b = bytes[k]!;
        this.odd = undefined;
        k += 1;
      } else if (k + 1 < n) {
        a = bytes[k]!;
        b = bytes[k + 1]!;
        k += 2;
      } else {
        this.odd = bytes[k]!;
        k += 1;
        break;
      }
      const u = this.bigEndian ? (a << 8) | b : (b << 8) | a;
      if (this.high !== undefined) {
        if (u < 0xdc00 || u > 0xdfff) {
          flush();
          return { text, error: `unpaired surrogate U+${this.high.toString(16).toUpperCase()}` };
        }
        units.push(this.high, u);
        this.high = undefined;
      } else if (u >= 0xd800 && u <= 0xdbff) {
        this.high = u;
      } else if (u >= 0xdc00 && u <= 0xdfff) {
        flush();
        return { text, error: `unpaired surrogate U+${u.toString(16).toUpperCase()}` };
      } else {
        units.push(u);
      }
      if (units.length >= 8192) flush();
    }
    flush();
    if (final && this.odd !== undefined) return { text, error: 'odd number of bytes' };
    if (final && this.high !== undefined) return { text, error: `unpaired surrogate U+${this.high.toString(16).toUpperCase()}` };
    return { text };
  }
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
