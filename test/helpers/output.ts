// Reading the CLI's machine outputs back in tests: NDJSON lines, record projections, the
// row-accounting identity that every `validate` run must satisfy, and the codes of the
// diagnostics a --debug run printed.
import { expect } from 'vitest';
import type { DiagnosticCode } from '../../src/model/diagnostics.js';

export type Row = Record<string, unknown>;

export function parseNdjson(text: string): Row[] {
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Row);
}

/** Each row cut down to the keys its expectation names, so a case states only what it is about. */
export function project(rows: Row[], like: Row[]): Row[] {
  return rows.map((r, i) => {
    const keys = Object.keys(like[i] ?? like[0] ?? {});
    return Object.fromEntries(keys.map((k) => [k, r[k]]));
  });
}

export interface ValidateInput {
  id: string;
  rows_read: number;
  rows_accepted: number;
  rows_rejected: number;
  rows_skipped: number;
  records: number;
  [key: string]: unknown;
}

/** Parses `validate -f json` and asserts read = accepted + rejected + skipped for every input. */
export function validateJson(stdout: string): { ok: boolean; inputs: ValidateInput[] } {
  const doc = JSON.parse(stdout) as { ok: boolean; inputs: ValidateInput[] };
  expect(doc.inputs.length).toBeGreaterThan(0);
  for (const i of doc.inputs) {
    expect(i.rows_read, `${i.id}: rows_read = accepted + rejected + skipped`).toBe(i.rows_accepted + i.rows_rejected + i.rows_skipped);
  }
  return doc;
}

/** No stack trace: no "    at f (file:line)" frames and no Node error banner. */
export function expectNoStack(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at .+\(?.*:\d+:\d+\)?$/m);
  expect(stderr).not.toMatch(/node:internal|Error: .*\n\s+at /);
}

export function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface Said {
  /** `error` (a line of its own: an input error, a row rejected without --lenient, a warning under --strict), or the line's label. */
  kind: 'error' | 'rejected' | 'warning' | 'note';
  /** FILE[:LINE[:COL]] as printed. */
  at: string;
  code: DiagnosticCode;
}

/**
 * The diagnostics on a --debug run's stderr, in order: under --debug each
 * `assetloss: [rejected: |warning: |note: ]FILE:LINE:COL: message` line ends with ` [CODE]`.
 * How tests assert what went wrong and where, leaving the wording to the few tests whose
 * contract it is. Lines without a code (notices, counts, stack frames) are not diagnostics.
 */
export function diagnostics(stderr: string): Said[] {
  const out: Said[] = [];
  for (const line of stderr.split('\n')) {
    const m = /^assetloss: (?:(rejected|warning|note): )?(.*?): .* \[([A-Z][A-Z0-9_]*)\]$/.exec(line);
    if (m) out.push({ kind: (m[1] ?? 'error') as Said['kind'], at: m[2]!, code: m[3] as DiagnosticCode });
  }
  return out;
}
