// Reads a claims file (YAML, or JSON as YAML's subset) into checked claims, every problem
// positioned at its line in the claims file: syntax, unknown keys, bad periods, missing subjects.
import { dirname, isAbsolute, join } from 'node:path';
import type { z } from 'zod';
import { LineCounter, parseDocument } from 'yaml';
import { keyNode, lineOf, nodeAt, type Path, toData } from './yaml-doc.js';
import { ClaimsFileSchema, type Claim, type TotalSpec } from '../model/claims.js';
import type { ClaimInput, Expectation, TotalQuery } from '../engine/claims.js';
import { claimFilters } from '../engine/claims.js';
import type { Filters } from '../engine/filter.js';
import type { AliasTables } from '../engine/aliases.js';
import { InputError } from '../model/diagnostics.js';
import { parseQueryPeriod } from '../engine/period.js';
import { parseJsonText } from './json-text.js';
import { entryOf, type InputEntry } from './inputs-file.js';
import { fileProblem, readSmallText } from './fs-errors.js';

export interface ClaimsDocument {
  file: string;
  /** Files (relative to the claims file) or inputs file entries, as `input:` gives them. */
  inputs: (string | InputEntry)[];
  claims: ClaimInput[];
}

/** Largest claims file read: a claim is a few lines, so this is thousands of them. */
export const MAX_CLAIMS_BYTES = 1 << 20;

export interface ClaimsFileOptions {
  /** Overrides the file's `defaults.partial` (the command line's --partial). */
  partial?: ClaimInput['partial'];
}

export async function readClaimsFile(file: string, aliases: AliasTables, options: ClaimsFileOptions = {}): Promise<ClaimsDocument> {
  let read: Awaited<ReturnType<typeof readSmallText>>;
  try {
    read = await readSmallText(file, MAX_CLAIMS_BYTES);
  } catch (err) {
    throw new InputError('CANNOT_OPEN', `cannot read the claims file: ${fileProblem(err) ?? 'cannot read it'}`, { file });
  }
  if ('tooLarge' in read) {
    throw new InputError('CLAIMS_TOO_LARGE', `the claims file is larger than ${MAX_CLAIMS_BYTES} bytes (a claims file is a few kilobytes; is this the right file?)`, { file }, `at most ${MAX_CLAIMS_BYTES} bytes`);
  }
  return parseClaims(read.text, file, aliases, options);
}

/** A zod issue as words: which claim, which key, what is wrong, and the offending value. */
function describeIssue(issue: z.core.$ZodIssue, data: unknown, path: Path): { message: string; got?: string } {
  const inClaim = path[0] === 'claims' && typeof path[1] === 'number' ? path.slice(2) : path;
  const key = inClaim.length ? `${inClaim.join('.')}: ` : '';
  // Messages of our own refinements already name the key they are about.
  if (issue.code === 'custom') return { message: `${claimLabel(data, path)}${issue.message}` };
  const value = valueAt(data, path);
  const got = value === undefined || (typeof value === 'object' && value !== null) ? undefined : String(value);
  const kinds: Record<string, string> = { array: 'a list', tuple: 'a list', object: 'a mapping', number: 'a number', string: 'text', int: 'a whole number' };
  const last = inClaim[inClaim.length - 1];
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && value === undefined) return { message: `${claimLabel(data, path)}missing "${inClaim.join('.')}"` };
  let message = issue.message;
  if (last === 'between') message = 'expected two numbers, [low, high]';
  else if (last === 'period') message = 'expected a period such as 2025-01-01..2025-02-27, 2024-07, 2024 or FY2023-24';
  else if (issue.code === 'invalid_type') message = `expected ${kinds[issue.expected] ?? issue.expected}`;
  else if (issue.code === 'invalid_union') message = 'expected a number or a total spec ({period, category?, department?, status?, unit?})';
  else if (issue.code === 'too_small' && issue.origin === 'array') message = `expected at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
  return { message: `${claimLabel(data, path)}${key}${message}`, got };
}

function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

type Fail = (message: string, at: { line?: number; column?: number }, expected?: string, got?: string) => never;

export function parseClaims(text: string, file: string, aliases: AliasTables, options: ClaimsFileOptions = {}): ClaimsDocument {
  const fail: Fail = (message, at, expected, got) => {
    throw new InputError('BAD_CLAIMS', message, { file, ...at }, expected, got);
  };
  const { doc, lines, data } = readDocument(text, file, fail);
  const parsed = ClaimsFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0]!;
      const where = lineOf(keyNode(doc, path, key), lines);
      fail(`${claimLabel(data, path)}unknown key "${key}"`, where, expectedKeys(path), key);
    }
    const d = describeIssue(issue, data, path);
    return fail(d.message, lineOf(nodeAt(doc, path), lines), undefined, d.got);
  }
  const content = parsed.data;
  const defaults: Filters = listFilters(content.defaults ?? {});
  const partial = options.partial ?? content.defaults?.partial ?? 'error';
  const claims = content.claims.map((c, i) => {
    const at = (sub: Path) => lineOf(nodeAt(doc, ['claims', i, ...sub]), lines);
    const query = (spec: TotalSpec, sub: Path): TotalQuery => {
      const p = parseQueryPeriod(spec.period);
      if (!p.ok) return fail(`claim "${c.id}": bad period: ${p.reason}`, at([...sub, 'period']), 'a period', spec.period);
      return { period: p.period, filters: claimFilters(listFilters(spec), defaults, aliases) };
    };
    return toClaimInput(c, at(['id']).line ?? at([]).line ?? 0, query, partial);
  });
  const ids = new Map<string, number>();
  for (const [i, c] of claims.entries()) {
    const first = ids.get(c.id);
    if (first !== undefined) fail(`claim "${c.id}": duplicate id (first at line ${first})`, lineOf(nodeAt(doc, ['claims', i, 'id']), lines), 'unique ids', c.id);
    ids.set(c.id, c.line);
  }
  const input = content.input === undefined ? [] : Array.isArray(content.input) ? content.input : [content.input];
  // Relative to the claims file, in the form the claims file was named (relative stays relative).
  const inputs = input.map((f, i) => (typeof f === 'string'
    ? (isAbsolute(f) || f.startsWith('pq:') ? f : join(dirname(file), f))
    : entryOf(f, file, (key, message, expected, got) => fail(`input: ${key}: ${message}`, lineOf(nodeAt(doc, Array.isArray(content.input) ? ['input', i, key] : ['input', key]), lines), expected, got))));
  return { file, inputs, claims };
}

/** The claims file as a YAML document (JSON when it is named .json) and its data: a mapping, else it fails. */
function readDocument(text: string, file: string, fail: Fail): { doc: ReturnType<typeof parseDocument>; lines: LineCounter; data: object } {
  const lines = new LineCounter();
  const source = text.replace(/^\ufeff/, '');
  // A .json claims file is JSON: YAML would also take a trailing comma or a comment.
  const isJson = /\.json$/i.test(file);
  if (isJson) {
    try {
      parseJsonText(source);
    } catch (err) {
      if (err instanceof InputError) throw new InputError('BAD_CLAIMS', `not valid JSON: ${err.message}`, { ...err.position, file }, err.expected, err.got);
      throw err;
    }
  }
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = lines.linePos(e.pos[0]);
    const what = e.code === 'DUPLICATE_KEY' ? 'a key repeated in one mapping' : e.message.split('\n')[0];
    fail(`not valid ${isJson ? 'JSON' : 'YAML'}: ${what}`, { line: pos.line, column: pos.col });
  }
  const data: unknown = toData(doc, lines, fail);
  if (data === null || data === undefined) {
    fail('the claims file is empty', { line: 1 }, 'a mapping with "claims", a list of claims; see assetloss schema claims');
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    fail('the claims file is not a mapping', lineOf(doc.contents ?? undefined, lines), 'a mapping with "claims", a list of claims; see assetloss schema claims', Array.isArray(data) ? 'a list' : String(data));
  }
  return { doc, lines, data };
}

function claimLabel(data: unknown, path: Path): string {
  if (path[0] !== 'claims' || typeof path[1] !== 'number') return '';
  const id = (data as { claims?: { id?: unknown }[] })?.claims?.[path[1]]?.id;
  return typeof id === 'string' && id !== '' ? `claim "${id}": ` : `claim ${path[1] + 1}: `;
}

function expectedKeys(path: Path): string {
  if (path.length === 0) return 'input, defaults, claims';
  if (path[0] === 'defaults') return 'category, department, status, unit, partial';
  if (path.length === 2) return 'id, says, source, a subject (total, ratio, rate-ratio) and an expectation (equals, at-least, at-most, between, greater-than, less-than, approx [+ tolerance])';
  return 'period, category, department, status, unit (and a, b, per in ratios)';
}

function listFilters(spec: { category?: string | string[]; department?: string | string[]; status?: string | string[]; unit?: string | string[] }): Filters {
  const list = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
  return { category: list(spec.category), department: list(spec.department), status: list(spec.status), unit: list(spec.unit) };
}

function toClaimInput(c: Claim, line: number, query: (spec: TotalSpec, sub: Path) => TotalQuery, partial: ClaimInput['partial']): ClaimInput {
  const subject: ClaimInput['subject'] = c.total
    ? { kind: 'total', query: query(c.total, ['total']) }
    : c.ratio
      ? { kind: 'ratio', a: query(c.ratio.a, ['ratio', 'a']), b: query(c.ratio.b, ['ratio', 'b']) }
      : { kind: 'rate-ratio', a: query(c['rate-ratio']!.a, ['rate-ratio', 'a']), b: query(c['rate-ratio']!.b, ['rate-ratio', 'b']), per: c['rate-ratio']!.per ?? 'day' };
  let expectation: Expectation;
  if (c.equals !== undefined) expectation = { op: 'equals', value: c.equals };
  else if (c['at-least'] !== undefined) expectation = { op: 'at-least', value: c['at-least'] };
  else if (c['at-most'] !== undefined) expectation = { op: 'at-most', value: c['at-most'] };
  else if (c.between !== undefined) expectation = { op: 'between', low: c.between[0], high: c.between[1] };
  else if (c.approx !== undefined) expectation = { op: 'approx', value: c.approx, tolerance: c.tolerance ?? 0.05 };
  else {
    const op = c['greater-than'] !== undefined ? 'greater-than' : 'less-than';
    const v = c[op]!;
    expectation = typeof v === 'number' ? { op, value: v } : { op, query: query(v, [op]) };
  }
  return { id: c.id, says: c.says, source: c.source, line, subject, expectation, partial };
}
