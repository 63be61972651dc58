// Bytes to text, strictly: UTF-8 (BOM optional) by default with invalid bytes an error that names
// the byte and line; Windows-1252 decoded by our own table (Node 20's TextDecoder maps 0x80–0x9F
// to C1 controls); UTF-16 recognised by its BOM.
import { InputError } from '../core/diagnostics.js';

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

function countLines(bytes: Uint8Array, end: number): number {
  let lines = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 10) lines++;
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
export async function* decodeChunks(chunks: AsyncIterable<Uint8Array>, requested: Encoding | undefined, info: Partial<DecodeInfo> = {}): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let encoding: Encoding | undefined = requested;
  let head: Uint8Array = new Uint8Array(0);
  let started = false;
  let bytesBefore = 0;
  let linesBefore = 0;
  let carry: Uint8Array = new Uint8Array(0);

  const checkText = (text: string) => {
    const nul = text.indexOf('\u0000');
    if (nul !== -1) {
      const line = linesBefore + (text.slice(0, nul).match(/\n/g)?.length ?? 0) + 1;
      throw new InputError('BINARY_INPUT', 'NUL character: this looks like a binary file or UTF-16 text without a byte-order mark', { line });
    }
    return text;
  };

  const decodeUtf8 = (bytes: Uint8Array, final: boolean): string => {
    const all = carry.length ? concat(carry, bytes) : bytes;
    const bad = findInvalidUtf8(all, final);
    if (bad !== -1) {
      const line = linesBefore + countLines(all, bad) + 1;
      const byte = all[bad]!.toString(16).toUpperCase().padStart(2, '0');
      throw new InputError('NOT_UTF8', `not valid UTF-8 at byte ${bytesBefore + bad} (line ${line}, byte 0x${byte}); try --encoding windows-1252`, { line });
    }
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
    carry = all.slice(cut);
    const part = all.subarray(0, cut);
    bytesBefore += cut;
    linesBefore += countLines(part, part.length);
    return decoder!.decode(part, { stream: !final });
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
    if (encoding !== 'windows-1252') decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
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
    try {
      return decoder!.decode(bytes, { stream: !final });
    } catch {
      throw new InputError('BAD_UTF16', `invalid ${encoding} text (unpaired surrogate or odd byte count)`, {});
    }
  };

  for await (const chunk of chunks) {
    let bytes: Uint8Array = chunk;
    if (!started) {
      // Wait for three bytes so a BOM split across chunks is still seen.
      head = concat(head, bytes);
      if (head.length < 3) continue;
      bytes = start(head);
    }
    const text = decode(bytes, false);
    if (text) yield checkText(text);
  }
  if (!started) {
    if (head.length === 0) {
      info.encoding = requested ?? 'utf-8';
      info.bom = false;
      return;
    }
    head = start(head);
    const text = decode(head, true);
    if (text) yield checkText(text);
    return;
  }
  const tail = decode(new Uint8Array(0), true);
  if (tail) yield checkText(tail);
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
