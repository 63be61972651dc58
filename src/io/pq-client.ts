// The Parliament Written Questions API over HTTP (Node's fetch): a question by id or by tabled
// date and UIN, and searches paged with skip/take, each hit fetched in full because list results
// carry only a truncated preview. Every request has a timeout; 429 and 5xx answers and network
// failures are retried a bounded number of times with growing waits; what still fails, and any
// response that is not the JSON the API documents, is an InputError (exit 2) naming the URL.
import type { z } from 'zod';
import { InputError } from '../model/diagnostics.js';
import { type QuestionItem, QuestionItemSchema, type QuestionList, QuestionListSchema } from './pq-schema.js';

export const DEFAULT_PQ_API = 'https://questions-statements-api.parliament.uk';
const QUESTIONS_PATH = '/api/writtenquestions/questions';

export interface PqClientOptions {
  /** API root, without the /api path (ASSETLOSS_PQ_API). */
  baseUrl: string;
  /** Per request, headers and body together (ASSETLOSS_PQ_TIMEOUT_MS). */
  timeoutMs: number;
  /** Retries after the first attempt, for 429, 5xx, timeouts and network failures. */
  retries: number;
  /** First wait between attempts; doubled each time (ASSETLOSS_PQ_RETRY_MS). A Retry-After header wins, up to 60 s. */
  retryDelayMs: number;
  /** Largest response body read, in bytes after any gzip/deflate/br is undone (ASSETLOSS_PQ_MAX_BYTES). */
  maxBytes?: number;
  /** Told of each retry, for progress lines on a terminal. */
  onRetry?: (info: { url: string; attempt: number; reason: string; waitMs: number }) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** Longest wait a timer can hold (2^31 - 1 ms, about 24.8 days): Node fires a longer one after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A response body: an answer is kilobytes, a list page of 20 previews some tens of kilobytes. */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

function envNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
    throw new InputError('BAD_ENV', `${name} must be a whole number from ${min} to ${max}`, { file: name }, `a whole number from ${min} to ${max}`, raw);
  }
  return n;
}

/** Options from the environment: the API root, the timeout, the retry policy and the body size limit. */
export function clientOptionsFromEnv(env: NodeJS.ProcessEnv): PqClientOptions {
  const base = (env.ASSETLOSS_PQ_API?.trim() || DEFAULT_PQ_API).replace(/\/+$/, '');
  const expected = 'a URL such as https://questions-statements-api.parliament.uk';
  if (!/^https?:\/\/[^/]/i.test(base)) {
    throw new InputError('BAD_ENV', 'ASSETLOSS_PQ_API must be an http(s) URL', { file: 'ASSETLOSS_PQ_API' }, expected, base);
  }
  // A bad host or port is a usage error now, not a "network failure" retried with waits.
  try {
    new URL(`${base}${QUESTIONS_PATH}`);
  } catch {
    throw new InputError('BAD_ENV', 'ASSETLOSS_PQ_API is not a valid URL (a port is 1 to 65535)', { file: 'ASSETLOSS_PQ_API' }, expected, base);
  }
  return {
    baseUrl: base,
    timeoutMs: envNumber(env, 'ASSETLOSS_PQ_TIMEOUT_MS', 30_000, 1, MAX_TIMER_MS),
    retries: envNumber(env, 'ASSETLOSS_PQ_RETRIES', 3, 0, 100),
    retryDelayMs: envNumber(env, 'ASSETLOSS_PQ_RETRY_MS', 1_000, 0, MAX_TIMER_MS),
    maxBytes: envNumber(env, 'ASSETLOSS_PQ_MAX_BYTES', DEFAULT_MAX_BYTES, 1024, 2 ** 30),
  };
}

export interface SearchQuery {
  searchTerm?: string;
  answeringBodies?: number[];
  answeredWhenFrom?: string;
  answeredWhenTo?: string;
  tabledWhenFrom?: string;
  tabledWhenTo?: string;
  house?: 'Commons' | 'Lords' | 'Bicameral';
}

const RETRY_STATUS = (status: number) => status === 429 || (status >= 500 && status <= 599);

export class PqClient {
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: PqClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  url(path: string, query: Record<string, string | number | boolean | (string | number)[] | undefined> = {}): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === '') continue;
      if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
      else params.append(key, String(value));
    }
    const q = params.toString();
    return `${this.options.baseUrl}${QUESTIONS_PATH}${path}${q ? `?${q}` : ''}`;
  }

  /** `GET …/questions/{id}?expandMember=true` → `{value, links}`. */
  async question(id: number): Promise<QuestionItem> {
    const url = this.url(`/${id}`, { expandMember: true });
    return this.checked(url, await this.getJson(url), QuestionItemSchema, 'a question: {"value": {…}, "links": […]}');
  }

  /** `GET …/questions/{tabled}/{uin}?expandMember=true` → `{value, links}`. */
  async questionByUin(tabled: string, uin: string): Promise<QuestionItem> {
    const url = this.url(`/${tabled}/${encodeURIComponent(uin)}`, { expandMember: true });
    return this.checked(url, await this.getJson(url), QuestionItemSchema, 'a question: {"value": {…}, "links": […]}');
  }

  /** One page of a search: previews, not answers. */
  async searchPage(query: SearchQuery, skip: number, take: number): Promise<QuestionList> {
    const url = this.url('', { ...query, skip, take });
    return this.checked(url, await this.getJson(url), QuestionListSchema, 'a list: {"totalResults": N, "results": […]}');
  }

  /**
   * Every hit of a search (up to `limit`), page by page; hits seen twice (the list moved while
   * paging) are kept once. Returns the previews and the total the API reported.
   */
  async searchAll(query: SearchQuery, take: number, limit: number, onPage?: (seen: number, total: number) => void): Promise<{ total: number; previews: QuestionItem[] }> {
    const previews: QuestionItem[] = [];
    const ids = new Set<number>();
    let total = 0;
    for (let skip = 0; previews.length < limit; skip += take) {
      const page = await this.searchPage(query, skip, take);
      total = page.totalResults;
      const before = previews.length;
      for (const item of page.results) {
        if (ids.has(item.value.id) || previews.length >= limit) continue;
        ids.add(item.value.id);
        previews.push(item);
      }
      onPage?.(previews.length, total);
      // A short page, the end of the total, or a page of nothing new: no more to list.
      if (page.results.length < take || skip + take >= total || previews.length === before) break;
    }
    return { total, previews };
  }

  private checked<T>(url: string, body: unknown, schema: z.ZodType<T>, expected: string): T {
    const r = schema.safeParse(body);
    if (r.success) return r.data;
    const issue = r.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw new InputError('PQ_BAD_RESPONSE', `the response is not a Written Questions API ${expected.split(':')[0]}: at $${path}: ${issue.message}`, { file: url }, expected);
  }

  /** GET with timeout and bounded retries; the parsed JSON body, or an InputError naming the URL. */
  async getJson(url: string): Promise<unknown> {
    const { retries, timeoutMs } = this.options;
    let last = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const res = await this.fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
        const text = await readBody(url, res, this.options.maxBytes ?? DEFAULT_MAX_BYTES);
        if (res.ok) return parseBody(url, text, res.headers.get('content-type'));
        if (res.status === 404) {
          throw new InputError('PQ_NOT_FOUND', 'not found (HTTP 404): check the question id, or the UIN and the date it was tabled', { file: url }, undefined, snippetOf(text));
        }
        if (!RETRY_STATUS(res.status)) {
          throw new InputError('PQ_HTTP', `the API answered HTTP ${res.status} ${res.statusText}`.trim(), { file: url }, 'HTTP 200', snippetOf(text));
        }
        last = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
        retryAfterMs = retryAfter(res.headers.get('retry-after'));
      } catch (err) {
        if (err instanceof InputError) throw err;
        const e = err as Error & { cause?: { code?: string; message?: string } };
        // A URL fetch will not even try (a bad port, a malformed host) fails the same way every time.
        if (e?.name === 'TypeError' && !isNetworkCode(e.cause?.code)) {
          throw new InputError('PQ_BAD_URL', `cannot request this URL: ${e.cause?.message ?? e.message} (ASSETLOSS_PQ_API sets the API root)`, { file: url });
        }
        if (e?.name === 'TimeoutError' || e?.name === 'AbortError') last = `no response within ${timeoutMs} ms`;
        else last = `network failure: ${e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err)}`;
      }
      if (attempt < retries) {
        const waitMs = retryAfterMs ?? this.options.retryDelayMs * 2 ** attempt;
        this.options.onRetry?.({ url, attempt: attempt + 1, reason: last, waitMs });
        await this.sleep(waitMs);
      }
    }
    const tries = retries + 1;
    const hint = last.startsWith('no response') ? ' (ASSETLOSS_PQ_TIMEOUT_MS sets the timeout)' : last.startsWith('network') ? ' (is the network up? ASSETLOSS_PQ_API sets the API root)' : '';
    throw new InputError('PQ_UNAVAILABLE', `${last} after ${tries} attempt${tries === 1 ? '' : 's'}${hint}`, { file: url });
  }
}

/** Failures worth another attempt: the network's (ECONNREFUSED, ECONNRESET, ENOTFOUND, …) and undici's socket errors. */
function isNetworkCode(code: string | undefined): boolean {
  return typeof code === 'string' && (/^E[A-Z]+$/.test(code) || code.startsWith('UND_ERR'));
}

/**
 * The body as text, refused past `maxBytes`: counted as it arrives, after fetch has undone any
 * content-encoding, so neither an endless body nor a small gzip of gigabytes is held in memory.
 */
async function readBody(url: string, res: Response, maxBytes: number): Promise<string> {
  const tooLarge = () => new InputError('PQ_TOO_LARGE', `the response is larger than ${maxBytes} bytes (ASSETLOSS_PQ_MAX_BYTES; an answer is a few kilobytes)`, { file: url }, `at most ${maxBytes} bytes`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (!res.headers.get('content-encoding') && declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let bytes = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function parseBody(url: string, text: string, contentType: string | null): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const type = contentType ? `content-type ${contentType.split(';')[0]}` : 'no content-type';
    throw new InputError('PQ_NOT_JSON', `the response is not JSON (${type}; ${(err as Error).message})`, { file: url }, 'a JSON body', snippetOf(text));
  }
}

function snippetOf(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 60 ? `${t.slice(0, 59)}…` : t;
}

/** Retry-After in seconds (the API's form); an HTTP date is not worth a Date here: use the back-off. */
function retryAfter(value: string | null): number | undefined {
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  return Math.min(Number(value) * 1000, 60_000);
}
