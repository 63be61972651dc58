// Inputs that cite a written answer instead of a file: `pq:1790001` (the API's question id) or
// `pq:2025-03-03/35555` (tabled date and UIN). Each is fetched from the Written Questions API once
// into a local cache and read from there afterwards, offline. A refreshed answer that differs from
// the cached one (a correction, or simply new figures) is kept beside it as a newer version, so
// both are read: the newer wins in totals as any newer answer does, and every changed figure is
// reported as a revision with both values.
//
// The cache: $ASSETLOSS_CACHE, else $XDG_CACHE_HOME/assetloss, else ~/.cache/assetloss; under it
// pq/<id>/<n>.json, each the API's own response for one version (as `pq fetch` saves it) with the
// fetch time beside it in pq/<id>/<n>.meta.json, and pq/uin/<tabled>-<uin>.json naming the id.
// Every file is written whole (a temporary file renamed into place), so two processes filling the
// cache at once never leave half a file; a file that does not read as what it should be is never
// used: it is fetched again, or with --offline an error.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { writeWhole } from './write-file.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../model/diagnostics.js';
import { QuestionItemSchema, type QuestionItem } from './pq-schema.js';
import type { PqClient } from './pq-client.js';
import type { PqRef } from './input-refs.js';


export interface PqCacheOptions {
  env: NodeJS.ProcessEnv;
  /** A cache miss is an error instead of a fetch. */
  offline?: boolean;
  /** Fetch again, and keep the answer as a new version when it changed. */
  refresh?: boolean;
  /** The client, made when first needed (tests give their own). */
  client?: () => Promise<PqClient>;
  /** The time of a fetch (tests fix it). */
  now?: () => Date;
}

export function cacheDir(env: NodeJS.ProcessEnv): string {
  if (env.ASSETLOSS_CACHE) return join(env.ASSETLOSS_CACHE, 'pq');
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'assetloss', 'pq');
}

/** What a cited answer is read from: its cached versions, oldest first (each a saved API response). */
export interface CachedAnswer {
  id: number;
  files: string[];
  /**
   * The vintage of each version (YYYY-MM-DD): its answer or correction date, never older than the
   * version before it, so that the answer fetched last is the newest even when it drops a correction.
   */
  vintages: (string | null)[];
  /** The versions fetched this time that differ from the last cached one. */
  changed: boolean;
}

async function readJson(file: string): Promise<unknown | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The versions of an answer in the cache, oldest first; a version that does not read is left out. */
async function versions(dir: string): Promise<{ good: { file: string; item: QuestionItem; n: number }[]; bad: string[] }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return { good: [], bad: [] };
  }
  const good: { file: string; item: QuestionItem; n: number }[] = [];
  const bad: string[] = [];
  for (const name of names) {
    const m = /^(\d+)\.json$/.exec(name);
    if (!m) continue;
    const file = join(dir, name);
    const parsed = QuestionItemSchema.safeParse(await readJson(file));
    if (parsed.success) good.push({ file, item: parsed.data, n: Number(m[1]) });
    else bad.push(file);
  }
  return { good: good.sort((a, b) => a.n - b.n), bad };
}

function vintagesOf(items: QuestionItem[]): (string | null)[] {
  let last: string | null = null;
  return items.map((q) => {
    const own = [q.value.dateAnswered, q.value.dateAnswerCorrected].map((d) => (typeof d === 'string' ? d.slice(0, 10) : null)).filter((d): d is string => !!d).sort().at(-1) ?? null;
    last = own && (!last || own > last) ? own : last;
    return last;
  });
}

/** Two versions are the same answer when its words and its dates are the same. */
function sameAnswer(a: QuestionItem, b: QuestionItem): boolean {
  const k = (q: QuestionItem) => JSON.stringify([q.value.answerText, q.value.dateAnswered, q.value.dateAnswerCorrected ?? null, q.value.answerIsCorrection ?? null]);
  return k(a) === k(b);
}

export async function cachedAnswer(ref: PqRef, options: PqCacheOptions): Promise<CachedAnswer> {
  const root = cacheDir(options.env);
  let id: number | undefined = ref.kind === 'id' ? ref.id : undefined;
  const uinFile = ref.kind === 'uin' ? join(root, 'uin', `${ref.tabled}-${ref.uin}.json`) : undefined;
  if (id === undefined && uinFile) {
    const named = (await readJson(uinFile)) as { id?: unknown } | undefined;
    if (named && typeof named.id === 'number') id = named.id;
  }
  const found = id === undefined ? { good: [], bad: [] } : await versions(join(root, String(id)));
  // A version that does not read is never used, nor are the others without it (it may be the
  // newest): the answer is a miss, fetched again (or with --offline an error).
  const have = found.bad.length ? [] : found.good;
  if (have.length > 0 && !options.refresh) return { id: id!, files: have.map((v) => v.file), vintages: vintagesOf(have.map((v) => v.item)), changed: false };
  if (options.offline) {
    const why = found.bad.length ? `its cached copy does not read (${found.bad.join(', ')})` : `it is not in the cache (${root})`;
    throw new InputError('PQ_NOT_CACHED', `${ref.text}: ${why}, and --offline forbids fetching it`, { file: ref.text }, 'an answer fetched before (run once without --offline)');
  }
  if (!options.client) throw new InputError('PQ_NOT_CACHED', `${ref.text} is not in the cache (${root})`, { file: ref.text });
  const client = await options.client();
  const item = ref.kind === 'id' ? await client.question(ref.id) : await client.questionByUin(ref.tabled, ref.uin);
  id = item.value.id;
  const dir = join(root, String(id));
  await mkdir(dir, { recursive: true });
  // Unreadable versions go: the answer as fetched now stands in for them.
  for (const file of found.bad) await rm(file, { force: true });
  const cached = id === undefined || found.good.length === 0 ? (await versions(dir)).good : found.good;
  const last = cached.at(-1);
  if (uinFile) {
    await mkdir(join(root, 'uin'), { recursive: true });
    await writeWhole(uinFile, [`${JSON.stringify({ id })}\n`]);
  }
  if (last && sameAnswer(last.item, item)) return { id, files: cached.map((v) => v.file), vintages: vintagesOf(cached.map((v) => v.item)), changed: false };
  const n = Math.max(0, ...cached.map((v) => v.n), ...found.bad.map((f) => Number(/(\d+)\.json$/.exec(f)![1]))) + 1;
  const file = join(dir, `${n}.json`);
  const fetched = (options.now ?? (() => new Date()))().toISOString();
  await writeWhole(join(dir, `${n}.meta.json`), [`${JSON.stringify({ fetched, id, uin: item.value.uin, dateTabled: item.value.dateTabled, dateAnswered: item.value.dateAnswered ?? null, dateAnswerCorrected: item.value.dateAnswerCorrected ?? null })}\n`]);
  await writeWhole(file, [`${JSON.stringify(item, null, 2)}\n`]);
  return { id, files: [...cached.map((v) => v.file), file], vintages: vintagesOf([...cached.map((v) => v.item), item]), changed: cached.length > 0 };
}
