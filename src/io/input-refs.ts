// What an input's name says of it, without reading it: an inputs file (.yaml), the sidecar beside
// an input, an answer cited as pq:<id>. Kept apart from the readers of those (YAML, zod, the
// cache), which are loaded only when an input needs them.
import { InputError } from '../model/diagnostics.js';

export function isInputsFile(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

/** The sidecar of an input: `answer.html.yaml` beside `answer.html`, one entry without `file`. */
export function sidecarOf(file: string): string {
  return `${file}.yaml`;
}

export type PqRef = { kind: 'id'; id: number; text: string } | { kind: 'uin'; tabled: string; uin: string; text: string };

export function isPqRef(text: string): boolean {
  return text.startsWith('pq:');
}

export function parsePqRef(text: string): PqRef {
  const body = text.slice(3);
  if (/^\d{1,10}$/.test(body)) return { kind: 'id', id: Number(body), text };
  const m = /^(\d{4}-\d{2}-\d{2})\/([A-Za-z0-9]{1,12})$/.exec(body);
  if (m) return { kind: 'uin', tabled: m[1]!, uin: m[2]!, text };
  throw new InputError('BAD_PQ_REF', `"${text}" is not an answer reference`, { file: text }, 'pq:<question id> (pq:1790001) or pq:<tabled date>/<UIN> (pq:2025-03-03/35555)', text);
}

