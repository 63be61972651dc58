// csv-spectrum conformance (bad-inputs 49): every case in fixtures/csv-spectrum (copied byte-exact
// from ../shared/csv-spectrum, see its SOURCE.md) decoded and tokenized, compared with its JSON.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { InputError } from '../src/model/diagnostics.js';
import { type CsvOptions, parseCsv } from '../src/io/csv.js';
import { decodeAll } from '../src/io/decode.js';

const ROOT = fileURLToPath(new URL('../fixtures/csv-spectrum/', import.meta.url));
const CASES = readdirSync(`${ROOT}csvs`).filter((f) => f.endsWith('.csv')).map((f) => f.slice(0, -4)).sort();

async function readObjects(name: string, options: CsvOptions = {}): Promise<Record<string, string>[]> {
  const { text } = await decodeAll(readFileSync(`${ROOT}csvs/${name}.csv`));
  const [header, ...rows] = parseCsv(text, options);
  return rows.map((r) => Object.fromEntries(header!.fields.map((h, k) => [h, r.fields[k]!])));
}

function expected(name: string): Record<string, string>[] {
  const json: unknown = JSON.parse(readFileSync(`${ROOT}json/${name}.json`, 'utf8'));
  // location_coordinates.json is a single object, the others arrays.
  const list = (Array.isArray(json) ? json : [json]) as Record<string, string>[];
  if (name === 'location_coordinates') {
    // Upstream mistake (SOURCE.md): the CSV says 2095257564, the JSON 1234567890.
    expect(list[0]!['Contact Phone Number']).toBe('1234567890');
    list[0]!['Contact Phone Number'] = '2095257564';
  }
  return list;
}

describe('csv-spectrum', () => {
  it('has all 12 cases, the *_crlf ones with real CRLF line endings', () => {
    expect(CASES).toEqual([
      'comma_in_quotes', 'empty', 'empty_crlf', 'escaped_quotes', 'json', 'location_coordinates',
      'newlines', 'newlines_crlf', 'quotes_and_newlines', 'simple', 'simple_crlf', 'utf8',
    ]);
    for (const name of CASES.filter((c) => c.endsWith('_crlf'))) {
      const text = readFileSync(`${ROOT}csvs/${name}.csv`, 'latin1');
      expect(text).toContain('\r\n');
      expect(text.replaceAll('\r\n', '')).not.toContain('\n');
    }
  });

  it.each(CASES.filter((c) => c !== 'location_coordinates'))('%s matches its JSON', async (name) => {
    expect(await readObjects(name)).toEqual(expected(name));
  });

  it('location_coordinates (bare quotes in 37.8"N) matches its patched JSON under relaxQuotes', async () => {
    expect(await readObjects('location_coordinates', { relaxQuotes: true })).toEqual(expected('location_coordinates'));
  });

  it('location_coordinates is refused with a positioned BARE_QUOTE in strict mode', async () => {
    const error = await readObjects('location_coordinates').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('BARE_QUOTE');
    expect((error as InputError).position.line).toBe(2);
  });
});
