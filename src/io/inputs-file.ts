// An inputs file: the answers to read and, for each, what it does not say itself — its
// department, answer date, period, status, header row or year — so that no answer is edited.
// YAML (or JSON), validated with zod; every problem positioned at its line in the inputs file.
//
//   inputs:
//     - file: mod-olney-2023-11-1669070.html
//       department: Ministry of Defence
//       answered: 2023-11-20
//     - file: dhsc-2023-11-22.csv
//       period: 2022-11-22..2023-11-22
//       header-row: 2
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { InputError } from '../model/diagnostics.js';
import { parsePeriodLabel } from '../engine/period.js';
import type { Layout } from '../model/vocab.js';
import { type InputEntryValue, InputEntrySchema, InputsFileSchema } from '../model/inputs.js';
import { keyNode, lineOf, nodeAt, type Path, toData } from './yaml-doc.js';
import { fileProblem, readSmallText } from './fs-errors.js';
import { sidecarOf } from './input-refs.js';

/** What one input says of itself when its own text does not. */
export interface InputEntry {
  file: string;
  /** Values that stand in for (and win over) the input's own metadata. */
  metadata: Record<string, string>;
  headerRow?: number;
  year?: number;
  layout?: Layout;
  /** Read figures from the answer's sentences (an answer with no table). */
  textFigures?: boolean;
}

const KEYS = Object.keys(InputEntrySchema.shape).join(', ');
/** Hand-written files are small; a bigger one is not an inputs file. */
const MAX_BYTES = 1 << 20;

/**
 * An input's sidecar read as its entry (the keys of an inputs file entry, `file` left out), or
 * undefined when there is none.
 */
export async function readSidecar(file: string): Promise<InputEntry | undefined> {
  const path = sidecarOf(file);
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (err) {
    // No sidecar: none there, or a path that cannot hold one (the input's own error is told next).
    if (['ENOENT', 'ENOTDIR', 'ENAMETOOLONG'].includes((err as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw new InputError('CANNOT_OPEN', `cannot read this sidecar: ${fileProblem(err) ?? 'cannot read it'}`, { file: path });
  }
  // The same rules, positions and messages as an inputs file of one entry.
  const indented = source.replace(/^\ufeff/, '').split('\n').map((l) => `    ${l}`).join('\n');
  try {
    const [entry] = parseInputsFile(`inputs:\n  - file: ${JSON.stringify(file)}\n${indented}\n`, path);
    return { ...entry!, file };
  } catch (err) {
    if (err instanceof InputError && err.position.line !== undefined) {
      throw new InputError(err.code, err.message.replace(/^input 1: /, ''), { ...err.position, line: err.position.line - 2, column: err.position.column !== undefined ? err.position.column - 4 : undefined }, err.expected, err.got);
    }
    throw err;
  }
}

/** Largest inputs file read: an entry is a few lines. */
const MAX_INPUTS_BYTES = 1 << 20;

export async function readInputsFile(file: string): Promise<InputEntry[]> {
  let read: Awaited<ReturnType<typeof readSmallText>>;
  try {
    read = await readSmallText(file, MAX_INPUTS_BYTES);
  } catch (err) {
    throw new InputError('CANNOT_OPEN', fileProblem(err) ?? 'cannot read it', { file });
  }
  if ('tooLarge' in read) throw new InputError('INPUTS_TOO_LARGE', `the inputs file is larger than ${MAX_INPUTS_BYTES} bytes`, { file }, `at most ${MAX_INPUTS_BYTES} bytes`);
  return parseInputsFile(read.text, file);
}

export function parseInputsFile(source: string, file: string): InputEntry[] {
  const fail = (message: string, at: { line?: number; column?: number }, expected?: string, got?: string): never => {
    throw new InputError('BAD_INPUTS_FILE', message, { file, ...at }, expected, got);
  };
  if (source.length > MAX_BYTES) fail(`the inputs file is over ${MAX_BYTES / 1024} KiB`, { line: 1 }, 'a short list of inputs');
  const lines = new LineCounter();
  const doc = parseDocument(source.replace(/^\ufeff/, ''), { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = lines.linePos(e.pos[0]);
    fail(`not valid YAML: ${e.code === 'DUPLICATE_KEY' ? 'a key repeated in one mapping' : e.message.split('\n')[0]}`, { line: pos.line, column: pos.col });
  }
  const data: unknown = toData(doc, lines, fail);
  const parsed = InputsFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const entry = typeof path[1] === 'number' ? `input ${path[1] + 1}: ` : '';
    if (issue.code === 'unrecognized_keys') {
      fail(`${entry}unknown key "${issue.keys[0]}"`, lineOf(keyNode(doc, path, issue.keys[0]!), lines), path.length > 1 ? KEYS : 'inputs', issue.keys[0]);
    }
    if (issue.code === 'invalid_union' && path.length === 2) {
      const inner = InputEntrySchema.safeParse((data as { inputs: unknown[] }).inputs[path[1] as number]);
      const sub = !inner.success ? inner.error.issues[0] : undefined;
      if (sub) {
        const subPath: Path = [...path, ...sub.path.filter((p): p is string | number => typeof p !== 'symbol')];
        if (sub.code === 'unrecognized_keys') fail(`${entry}unknown key "${sub.keys[0]}"`, lineOf(keyNode(doc, subPath, sub.keys[0]!), lines), KEYS, sub.keys[0]);
        const key = subPath.slice(2).join('.');
        fail(`${entry}${key ? `${key}: ` : ''}${sub.code === 'invalid_type' && sub.input === undefined ? 'missing' : sub.message}`, lineOf(nodeAt(doc, subPath), lines));
      }
    }
    fail(`${entry}${path.slice(2).join('.') || path.join('.') || 'the file'}: ${issue.code === 'invalid_type' && issue.input === undefined ? 'missing' : issue.message}`, lineOf(nodeAt(doc, path), lines), 'a mapping with "inputs", a list of files or entries');
  }
  return parsed.data!.inputs.map((item, i) => entryOf(item, file, (key, message, expected, got) => fail(`input ${i + 1}: ${key}: ${message}`, lineOf(nodeAt(doc, ['inputs', i, key]), lines), expected, got)));
}

/**
 * One entry as read (a file name, or a mapping of the entry's keys) to what the loader takes:
 * its file relative to `base`'s folder, its metadata, its options. `fail` positions a bad value.
 */
export function entryOf(item: string | InputEntryValue, base: string, fail: (key: string, message: string, expected?: string, got?: string) => never): InputEntry {
  const raw = typeof item === 'string' ? { file: item } : item;
  const metadata: Record<string, string> = {};
  for (const key of ['department', 'answered', 'tabled', 'reported', 'as-at', 'period', 'status', 'category', 'unit', 'uin', 'question', 'title', 'source'] as const) {
    const v = (raw as Record<string, unknown>)[key];
    if (typeof v === 'string' && v.trim() !== '') metadata[key] = v.trim();
  }
  if (metadata.period !== undefined) {
    const p = parsePeriodLabel(metadata.period, { answered: metadata.answered });
    if (!p.ok) fail('period', p.reason, 'a period such as 2022-11-22..2023-11-22, 2023 or 2023-24', metadata.period);
  }
  // A cited answer (pq:<id>) is no path: it stays as written.
  const entry: InputEntry = { file: isAbsolute(raw.file) || raw.file.startsWith('pq:') ? raw.file : join(dirname(base), raw.file), metadata };
  if (typeof item !== 'string') {
    if (item['header-row'] !== undefined) entry.headerRow = item['header-row'];
    if (item.year !== undefined) entry.year = item.year;
    if (item.layout !== undefined) entry.layout = item.layout;
    if (item['text-figures'] !== undefined) entry.textFigures = item['text-figures'];
  }
  return entry;
}
