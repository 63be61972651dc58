// Strict decoding (design §3, bad-inputs 1-5, 46): UTF-8 with or without BOM, invalid bytes as a
// positioned error suggesting windows-1252, Windows-1252 0x80-0x9F done right, UTF-16 by BOM,
// NUL bytes as binary input, and chunked decoding equal to one-shot decoding.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { InputError } from '../src/model/diagnostics.js';
import { parseCsv } from '../src/io/csv.js';
import { type DecodeInfo, type Encoding, decodeAll, decodeChunks, decodeWindows1252, findInvalidUtf8 } from '../src/io/decode.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const bytes = (...b: number[]) => Uint8Array.from(b);
const BOM = [0xef, 0xbb, 0xbf];

async function decodeError(input: Uint8Array, encoding?: Encoding): Promise<InputError> {
  const e = await decodeAll(input, encoding).then(() => undefined, (err: unknown) => err);
  if (!(e instanceof InputError)) throw new Error(`expected an InputError, got ${String(e)}`);
  return e;
}

/**
 * `input` in chunks of `sizes` (cycled), given as files are read (readRange): each chunk in the
 * same reused Buffer, valid only until the next is asked for. A decoder that keeps a view of a
 * chunk instead of a copy sees its bytes overwritten.
 */
async function* inChunks(input: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  const buf = Buffer.alloc(Math.max(1, input.length));
  let at = 0;
  for (let k = 0; at < input.length; k++) {
    const size = Math.max(1, sizes.length ? sizes[k % sizes.length]! : input.length);
    const n = Math.min(size, input.length - at);
    buf.fill(0xee);
    buf.set(input.subarray(at, at + n), 0);
    yield buf.subarray(0, n);
    at += n;
  }
}

/** Text (joined) and info, or the error as data, from decoding `input` in chunks of `sizes`. */
async function decodeChunked(input: Uint8Array, sizes: number[], encoding?: Encoding) {
  const info: Partial<DecodeInfo> = {};
  let text = '';
  try {
    for await (const part of decodeChunks(inChunks(input, sizes), encoding, info)) text += part;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { error: { code: e.code, message: e.message, position: e.position } };
  }
  return { text, info };
}

describe('decodeAll: UTF-8', () => {
  it('reads UTF-8 without a BOM', async () => {
    expect(await decodeAll(utf8('Month,Phones\nJan £5 – ’,3\n'))).toEqual({
      text: 'Month,Phones\nJan £5 – ’,3\n', info: { encoding: 'utf-8', bom: false },
    });
  });

  it('strips a UTF-8 BOM (bad-inputs 1)', async () => {
    const { text, info } = await decodeAll(bytes(...BOM, ...utf8('Department,Count\n')));
    expect(text).toBe('Department,Count\n');
    expect(info).toEqual({ encoding: 'utf-8', bom: true });
    expect(parseCsv(text)[0]!.fields[0]).toBe('Department');
  });

  it('strips a BOM before a quoted header, so the quote opens the field (bad-inputs 2)', async () => {
    const { text } = await decodeAll(bytes(...BOM, ...utf8('"Department","Count"\n"MoD",3\n')));
    expect(parseCsv(text).map((r) => r.fields)).toEqual([['Department', 'Count'], ['MoD', '3']]);
  });

  it('keeps a BOM-like sequence that is not at the start as text', async () => {
    expect((await decodeAll(bytes(0x61, ...BOM))).text).toBe('a\ufeff');
  });

  it('refuses invalid UTF-8 with the byte offset, line and a hint (bad-inputs 4)', async () => {
    // "Ministry of Defence\n£5 ’" written in Windows-1252: 0xA3 at byte 20 on line 2.
    const input = bytes(...utf8('Ministry of Defence\n'), 0xa3, 0x35, 0x20, 0x92);
    const e = await decodeError(input);
    expect(e.code).toBe('NOT_UTF8');
    expect(e.message).toMatch(/at byte 20\b/);
    expect(e.message).toMatch(/line 2\b/);
    expect(e.message).toMatch(/0xA3/);
    expect(e.message).toMatch(/try --encoding windows-1252/);
    expect(e.message).not.toContain('\ufffd');
    expect(e.position.line).toBe(2);
  });

  it('counts the BOM in the byte offset', async () => {
    const e = await decodeError(bytes(...BOM, 0x61, 0x0a, 0x62, 0xff));
    expect([e.code, e.position.line]).toEqual(['NOT_UTF8', 2]);
    // The byte offset is said only in the words.
    expect(e.message).toMatch(/at byte 6 \(line 2/);
  });

  it('refuses a sequence cut off at the end of the input', async () => {
    const e = await decodeError(bytes(0x61, 0xe2, 0x82));
    expect(e.code).toBe('NOT_UTF8');
    expect(e.message).toMatch(/at byte 1 \(line 1/);
  });

  it.each([
    ['overlong', [0xc0, 0xaf]],
    ['overlong 3-byte', [0xe0, 0x80, 0xaf]],
    ['surrogate', [0xed, 0xa0, 0x80]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['lone continuation', [0x80]],
    ['0xFF', [0xff]],
  ])('refuses %s', async (_, seq) => {
    const e = await decodeError(bytes(0x61, ...seq, 0x62));
    expect([e.code, e.position.line]).toEqual(['NOT_UTF8', 1]);
    expect(e.message).toMatch(/at byte 1 \(line 1/);
  });

  it('reads an empty input, and a BOM alone, as empty text', async () => {
    expect(await decodeAll(new Uint8Array(0))).toEqual({ text: '', info: { encoding: 'utf-8', bom: false } });
    expect(await decodeAll(bytes(...BOM))).toEqual({ text: '', info: { encoding: 'utf-8', bom: true } });
  });

  it('reads inputs shorter than a BOM', async () => {
    expect((await decodeAll(bytes(0xc3, 0xa9))).text).toBe('é');
    expect((await decodeAll(bytes(0x61))).text).toBe('a');
  });

  it('refuses a UTF-8 BOM with another --encoding', async () => {
    expect((await decodeError(bytes(...BOM, 0x61), 'windows-1252')).code).toBe('ENCODING_MISMATCH');
  });
});

describe('decodeAll: Windows-1252 (bad-inputs 3)', () => {
  it('decodes 0x80 €, 0x92 ’, 0x96 –, 0xA3 £ exactly', async () => {
    const { text, info } = await decodeAll(bytes(0x80, 0x92, 0x96, 0xa3), 'windows-1252');
    expect(text).toBe('\u20ac\u2019\u2013\u00a3');
    expect(info).toEqual({ encoding: 'windows-1252', bom: false });
  });

  it('matches the WHATWG index for every byte 0x80-0x9F', () => {
    // windows-1252 per https://encoding.spec.whatwg.org/index-windows-1252.txt; the five bytes
    // it leaves unassigned (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 code points.
    const expected = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
    const all = Uint8Array.from({ length: 32 }, (_, k) => 0x80 + k);
    expect(decodeWindows1252(all)).toBe(expected);
  });

  it('is Latin-1 for every other byte, also past one internal chunk', () => {
    const all = Uint8Array.from({ length: 20_000 }, (_, k) => (k % 256 >= 0x80 && k % 256 <= 0x9f ? 0x41 : k % 256));
    expect(decodeWindows1252(all)).toBe(Array.from(all, (b) => String.fromCharCode(b)).join(''));
  });
});

describe('decodeAll: UTF-16 by BOM (bad-inputs 5)', () => {
  it('reads UTF-16LE with a BOM', async () => {
    const { text, info } = await decodeAll(bytes(0xff, 0xfe, 0x61, 0x00, 0x0a, 0x00, 0xac, 0x20, 0x3d, 0xd8, 0x00, 0xde));
    expect(text).toBe('a\n€\u{1f600}');
    expect(info).toEqual({ encoding: 'utf-16le', bom: true });
  });

  it('reads UTF-16BE with a BOM', async () => {
    const { text, info } = await decodeAll(bytes(0xfe, 0xff, 0x00, 0x61, 0x00, 0x0a, 0x20, 0xac, 0xd8, 0x3d, 0xde, 0x00));
    expect(text).toBe('a\n€\u{1f600}');
    expect(info).toEqual({ encoding: 'utf-16be', bom: true });
  });

  it('agrees with TextDecoder (fatal) on random bytes after a BOM, one-shot and chunked (property)', async () => {
    const unit = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x00, 0x0a, 0xd8, 0xdb, 0xdc, 0xdf, 0x20));
    const sample = fc.tuple(fc.boolean(), fc.array(unit, { maxLength: 30 }));
    await fc.assert(fc.asyncProperty(sample, fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }), async ([be, body], sizes) => {
      const input = bytes(...(be ? [0xfe, 0xff] : [0xff, 0xfe]), ...body);
      let reference: string | undefined;
      try {
        reference = new TextDecoder(be ? 'utf-16be' : 'utf-16le', { fatal: true, ignoreBOM: true }).decode(Uint8Array.from(body));
      } catch {
        reference = undefined;
      }
      const whole = await decodeChunked(input, []);
      if (reference !== undefined && !reference.includes('\u0000')) expect(whole).toEqual({ text: reference, info: { encoding: be ? 'utf-16be' : 'utf-16le', bom: true } });
      else if (reference !== undefined) expect(whole).toMatchObject({ error: { code: 'BINARY_INPUT' } });
      else expect(['BAD_UTF16', 'BINARY_INPUT']).toContain((whole as { error: { code: string } }).error.code);
      expect(await decodeChunked(input, sizes)).toEqual(whole);
    }), { numRuns: 1000 });
  });

  it('refuses an odd byte count or an unpaired surrogate, on its line', async () => {
    expect((await decodeError(bytes(0xff, 0xfe, 0x0a, 0x00, 0x00, 0xdc))).position.line).toBe(2);
    expect((await decodeError(bytes(0xff, 0xfe, 0x61, 0x00, 0x62))).code).toBe('BAD_UTF16');
    expect((await decodeError(bytes(0xff, 0xfe, 0x61, 0x00, 0x3d, 0xd8, 0x62, 0x00))).code).toBe('BAD_UTF16');
  });
});

describe('decodeAll: binary input (bad-inputs 5, 46)', () => {
  it('refuses NUL bytes without a BOM (UTF-16 without a BOM, or a binary file)', async () => {
    const utf16NoBom = bytes(0x61, 0x00, 0x2c, 0x00, 0x62, 0x00);
    const e = await decodeError(utf16NoBom);
    expect(e.code).toBe('BINARY_INPUT');
    expect(e.position.line).toBe(1);
  });

  it('reports whichever comes first, a NUL or an invalid byte, however the input is cut', async () => {
    const nulFirst = bytes(0x61, 0x00, 0x62, 0x80);
    const badFirst = bytes(0x61, 0x80, 0x62, 0x00);
    for (const size of [1, 2, 4]) {
      expect(await decodeChunked(nulFirst, [size])).toMatchObject({ error: { code: 'BINARY_INPUT' } });
      expect(await decodeChunked(badFirst, [size])).toMatchObject({ error: { code: 'NOT_UTF8' } });
    }
  });

  it('names the line of the NUL', async () => {
    expect((await decodeError(utf8('a\nb\u0000\nc\n'))).position.line).toBe(2);
    expect((await decodeError(bytes(0x61, 0x0a, 0x0a, 0x00), 'windows-1252')).position.line).toBe(3);
    const chunked = await decodeChunked(utf8('a\nb\nc\u0000'), [3]);
    expect(chunked).toMatchObject({ error: { code: 'BINARY_INPUT', position: { line: 3 } } });
  });
});

describe('decodeChunks: chunked equals one-shot', () => {
  it('a multi-byte character split across chunks decodes whole', async () => {
    const input = utf8('£€\u{1f600}é,ʤ\n');
    for (const size of [1, 2, 3, 5]) {
      expect(await decodeChunked(input, [size])).toEqual({ text: '£€\u{1f600}é,ʤ\n', info: { encoding: 'utf-8', bom: false } });
    }
  });

  it('a BOM split across chunks is still seen', async () => {
    expect(await decodeChunked(bytes(...BOM, 0x61, 0x62), [1])).toEqual({ text: 'ab', info: { encoding: 'utf-8', bom: true } });
    expect(await decodeChunked(bytes(0xff, 0xfe, 0x61, 0x00), [1])).toEqual({ text: 'a', info: { encoding: 'utf-16le', bom: true } });
  });

  it('an invalid byte is reported at the same offset and line however the input is cut', async () => {
    const input = bytes(...utf8('a\n£\nb'), 0xe2, 0x82, 0x41, 0x0a);
    const whole = await decodeChunked(input, []);
    expect(whole).toMatchObject({ error: { code: 'NOT_UTF8', position: { line: 3 } } });
    expect((whole as { error: { message: string } }).error.message).toMatch(/at byte 6 \(line 3/);
    for (let size = 1; size <= input.length; size++) expect(await decodeChunked(input, [size])).toEqual(whole);
  });

  it('a chunk bigger than the pieces it is decoded in (8 KB): characters across every piece boundary decode whole, and an error keeps its byte and line', async () => {
    // 8,191 ASCII bytes, then "€" (3 bytes) across the 8 KB boundary, and so on for 3 boundaries.
    const piece = 1 << 13;
    const parts: number[] = [];
    while (parts.length < 3 * piece + 100) {
      const toBoundary = piece - (parts.length % piece);
      for (let k = 0; k < toBoundary - 1; k++) parts.push(k % 80 === 79 ? 0x0a : 0x61);
      parts.push(...utf8('€\u{1f600}'));
    }
    const input = Uint8Array.from(parts);
    const text = new TextDecoder().decode(input);
    for (const size of [input.length, 1 << 16, piece + 1]) expect(await decodeChunked(input, [size])).toEqual({ text, info: { encoding: 'utf-8', bom: false } });
    const bad = Uint8Array.from([...parts, 0xff]);
    const lines = text.split('\n').length;
    const error = await decodeChunked(bad, [bad.length]);
    expect(error).toMatchObject({ error: { code: 'NOT_UTF8', position: { line: lines } } });
    expect((error as { error: { message: string } }).error.message).toContain(`at byte ${parts.length} (line ${lines}`);
  });

  const units = (s: string) => Array.from({ length: s.length }, (_, k) => s.charCodeAt(k));
  const encodings = fc.constantFrom<{ name: Encoding | undefined; encode: (s: string) => Uint8Array }>(
    { name: undefined, encode: utf8 },
    { name: 'utf-8', encode: (s) => bytes(...BOM, ...utf8(s)) },
    { name: undefined, encode: (s) => bytes(0xff, 0xfe, ...units(s).flatMap((u) => [u & 0xff, u >> 8])) },
    { name: undefined, encode: (s) => bytes(0xfe, 0xff, ...units(s).flatMap((u) => [u >> 8, u & 0xff])) },
  );

  it('random text, encodings and chunk sizes give the same text as one-shot (property)', async () => {
    // Well-formed strings (no lone surrogates) without NUL, weighted towards multi-byte characters.
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('a', ',', '\n', '£', '€', 'é', '\u{1f600}', '\u0800', '\uffff'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 30 })
      .map((s) => s.replaceAll('\u0000', '').replace(/^\ufeff+/, '')); // a leading U+FEFF is a BOM, stripped by design
    await fc.assert(fc.asyncProperty(text, encodings, fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }), async (s, enc, sizes) => {
      const input = enc.encode(s);
      const whole = await decodeAll(input, enc.name);
      expect(whole.text).toBe(s);
      expect(await decodeChunked(input, sizes, enc.name)).toEqual({ text: whole.text, info: whole.info });
    }));
  });

  it('random bytes give the same text or the same error chunked as one-shot (property)', async () => {
    const mixed = fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x00, 0x0a, 0x80, 0xc3, 0xe2, 0xf0, 0xef, 0xbb, 0xbf, 0xff, 0xfe)), { maxLength: 40 })
      .map((b) => Uint8Array.from(b));
    await fc.assert(fc.asyncProperty(mixed, fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }), async (input, sizes) => {
      expect(await decodeChunked(input, sizes)).toEqual(await decodeChunked(input, []));
    }), { numRuns: 1000 });
  });
});

describe('findInvalidUtf8 agrees with TextDecoder (fatal)', () => {
  const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
  // Random bytes rarely form multi-byte sequences; mix in lead bytes, continuation bytes and edges.
  const byte = fc.oneof(
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0x80, max: 0xbf }),
    fc.constantFrom(0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0, 0x8f, 0x90),
  );
  const sample = fc.oneof(fc.uint8Array({ maxLength: 24 }), fc.array(byte, { maxLength: 24 }).map((b) => Uint8Array.from(b)));

  it('is -1 exactly when the decoder accepts the bytes, else the offset of the first bad sequence (property)', () => {
    fc.assert(fc.property(sample, (input) => {
      let valid = true;
      try {
        fatal.decode(input);
      } catch {
        valid = false;
      }
      const at = findInvalidUtf8(input, true);
      expect(at === -1).toBe(valid);
      if (at !== -1) {
        // Everything before the offset is valid, and the decoder's first replacement comes right after it.
        const prefix = fatal.decode(input.subarray(0, at));
        const replaced = lenient.decode(input);
        expect(replaced.slice(0, prefix.length)).toBe(prefix);
        expect(replaced[prefix.length]).toBe('\ufffd');
      }
    }), { numRuns: 2000 });
  });

  it('without `final`, a valid but cut-off tail is not an error yet (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 10 }), fc.nat(), (s, cut) => {
      const input = utf8(s);
      const at = cut % (input.length + 1);
      expect(findInvalidUtf8(input.subarray(0, at), false)).toBe(-1);
    }));
  });
});
