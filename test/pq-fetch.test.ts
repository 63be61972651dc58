// `assetloss pq fetch` and `pq search` end to end against a local stand-in for the Written
// Questions API (127.0.0.1, a port of its own; never the internet): paging, the preview-then-full
// fetch, retries after a 500 or a 429, a timeout, malformed bodies, network failures, usage errors.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort, type FakeApi, fixtureItem, type Item, modAnswers, startFakeApi } from './helpers/pq.js';
import { runInProcess } from './helpers/run.js';
import { diagnostics } from './helpers/output.js';

let api: FakeApi;
let dir: string;
const QUESTIONS = '/api/writtenquestions/questions';

beforeAll(async () => {
  api = await startFakeApi(modAnswers());
  dir = mkdtempSync(join(tmpdir(), 'assetloss-pq-'));
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  api.requests.length = 0;
  api.faults.clear();
  api.items = modAnswers();
});

/** Fast settings: the retry waits and timeouts of a test, not of a user. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return { ASSETLOSS_PQ_API: api.url, ASSETLOSS_PQ_RETRY_MS: '1', ASSETLOSS_PQ_TIMEOUT_MS: '2000', ...extra };
}

function recordsOf(stdout: string): Record<string, unknown>[] {
  return (JSON.parse(stdout) as { records: Record<string, unknown>[] }).records;
}

/** What a record says, without where it came from. */
function content(r: Record<string, unknown>) {
  const { department, category, status, unit, period, start, end, count, count_min, count_max, count_kind, flags, row_label, column_label, raw } = r;
  return { department, category, status, unit, period, start, end, count, count_min, count_max, count_kind, flags, row_label, column_label, raw };
}

describe('pq fetch', () => {
  it('fetches a question by id with members expanded and writes the API\'s document', async () => {
    const r = await runInProcess(['pq', 'fetch', '9100004'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests).toEqual([`${QUESTIONS}/9100004?expandMember=true`]);
    expect(JSON.parse(r.stdout)).toEqual(fixtureItem('mod-devices-2024-07-05-to-2025-02-27.json'));
    expect(r.stderr).toMatch(/saved 1 question: 32 records to read/);
  });

  it('fetches by tabled date and UIN', async () => {
    const r = await runInProcess(['pq', 'fetch', '--uin', '89637', '--tabled', '2021-12-08'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests).toEqual([`${QUESTIONS}/2021-12-08/89637?expandMember=true`]);
    expect((JSON.parse(r.stdout) as Item).value.id).toBe(9100001);
  });

  it('several ids make a list document; -o writes a file that records -i reads like the CSV', async () => {
    const out = join(dir, 'two.json');
    const r = await runInProcess(['pq', 'fetch', '9100003', '9100004', '-o', out], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { totalResults: number; results: Item[] };
    expect(doc.totalResults).toBe(2);
    expect(doc.results.map((i) => i.value.id)).toEqual([9100003, 9100004]);
    const fromPq = await runInProcess(['records', '-i', out, '-f', 'json']);
    const fromCsv = await runInProcess(['records', '-i', 'fixtures/builtin/mod-devices-2024-to-15-dec.csv', 'fixtures/builtin/mod-devices-2024-07-05-to-2025-02-27.csv', '-f', 'json']);
    expect(fromPq.code, fromPq.stderr).toBe(0);
    expect(recordsOf(fromPq.stdout).map(content)).toEqual(recordsOf(fromCsv.stdout).map(content));
    expect(new Set(recordsOf(fromPq.stdout).map((x) => x.source_id))).toEqual(new Set(['two-9100003', 'two-9100004']));
  });

  it('says when the fetched answer has nothing to read (a holding answer), and still saves it', async () => {
    api.items = [fixtureItem('edge/holding-answer.json')];
    const r = await runInProcess(['pq', 'fetch', '9100012', '--debug'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'note', at: '<stdout>#9100012:1', code: 'HOLDING_ANSWER' }]);
    expect(r.stderr).toMatch(/0 records to read; 1 problem noted above/);
  });

  it('a 500 followed by success: retried, and the run succeeds', async () => {
    api.faults.set(`${QUESTIONS}/9100001`, ['status500']);
    const r = await runInProcess(['pq', 'fetch', '9100001'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests).toEqual([`${QUESTIONS}/9100001?expandMember=true`, `${QUESTIONS}/9100001?expandMember=true`]);
    expect((JSON.parse(r.stdout) as Item).value.uin).toBe('89637');
  });

  it('a 429 with Retry-After: 0 is retried at once', async () => {
    api.faults.set(`${QUESTIONS}/9100001`, ['status429', 'status429']);
    const r = await runInProcess(['pq', 'fetch', '9100001'], { env: env({ ASSETLOSS_PQ_RETRY_MS: '60000' }) });
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests).toHaveLength(3);
  });

  it('the retries are bounded: 500 every time is exit 2, after 1 + ASSETLOSS_PQ_RETRIES attempts, nothing on stdout', async () => {
    api.faults.set(`${QUESTIONS}/9100001`, Array(10).fill('status500'));
    const r = await runInProcess(['pq', 'fetch', '9100001', '--debug'], { env: env({ ASSETLOSS_PQ_RETRIES: '2' }) });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(api.requests).toHaveLength(3);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${api.url}${QUESTIONS}/9100001?expandMember=true`, code: 'PQ_UNAVAILABLE' }]);
    // Unavailable after retries, for a reason of the server's: the words say which.
    expect(r.stderr).toMatch(/HTTP 500 Internal Server Error after 3 attempts/);
  });

  it('a timeout: exit 2 naming the URL and the timeout, no file written', async () => {
    api.faults.set(`${QUESTIONS}/9100001`, ['hang', 'hang']);
    const out = join(dir, 'never.json');
    const started = Date.now();
    const r = await runInProcess(['pq', 'fetch', '9100001', '-o', out, '--debug'], { env: env({ ASSETLOSS_PQ_TIMEOUT_MS: '150', ASSETLOSS_PQ_RETRIES: '1' }) });
    expect(r.code).toBe(2);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${api.url}${QUESTIONS}/9100001?expandMember=true`, code: 'PQ_UNAVAILABLE' }]);
    // The timeout and the setting that changes it are what the user needs: the words say them.
    expect(r.stderr).toMatch(/no response within 150 ms after 2 attempts \(ASSETLOSS_PQ_TIMEOUT_MS sets the timeout\)/);
    expect(existsSync(out)).toBe(false);
  });

  it('a timeout then an answer: the retry succeeds', async () => {
    api.faults.set(`${QUESTIONS}/9100001`, ['hang']);
    const r = await runInProcess(['pq', 'fetch', '9100001'], { env: env({ ASSETLOSS_PQ_TIMEOUT_MS: '150' }) });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Item).value.id).toBe(9100001);
  });

  it.each([
    ['malformed', /the response is not JSON \(content-type application\/json; .*\) \(expected a JSON body, got "\{"value": \{"id": 1, "answerText": "<table>"\)/],
    ['html', /the response is not JSON \(content-type text\/html; .*got "<!DOCTYPE html><html><body><h1>Service unavailable/],
    ['wrong-shape', /the response is not a Written Questions API a question: at \$\.value: /],
  ] as const)('a %s body is exit 2 with what came back, never retried', async (fault, message) => {
    api.faults.set(`${QUESTIONS}/9100001`, [fault]);
    const r = await runInProcess(['pq', 'fetch', '9100001', '--debug'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${api.url}${QUESTIONS}/9100001?expandMember=true`, code: fault === 'wrong-shape' ? 'PQ_BAD_RESPONSE' : 'PQ_NOT_JSON' }]);
    // What came back is the point: the words quote it.
    expect(r.stderr).toMatch(message);
    expect(api.requests).toHaveLength(1);
  });

  it('a question that does not exist: exit 2, not found', async () => {
    const r = await runInProcess(['pq', 'fetch', '1', '--debug'], { env: env() });
    expect(r.code).toBe(2);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${api.url}${QUESTIONS}/1?expandMember=true`, code: 'PQ_NOT_FOUND' }]);
    expect(api.requests).toHaveLength(1);
  });

  it('a network failure (nothing listening): exit 2 after the retries, naming the cause', async () => {
    const port = await closedPort();
    const r = await runInProcess(['pq', 'fetch', '9100001', '--debug'], { env: env({ ASSETLOSS_PQ_API: `http://127.0.0.1:${port}`, ASSETLOSS_PQ_RETRIES: '1' }) });
    expect(r.code).toBe(2);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `http://127.0.0.1:${port}${QUESTIONS}/9100001?expandMember=true`, code: 'PQ_UNAVAILABLE' }]);
    // The cause and what to check are what the user acts on.
    expect(r.stderr).toMatch(/network failure: ECONNREFUSED after 2 attempts \(is the network up\? ASSETLOSS_PQ_API sets the API root\)/);
  });

  it.each([
    [['pq', 'fetch'], /give a question id, or --uin UIN --tabled YYYY-MM-DD/],
    [['pq', 'fetch', '--uin', '89637'], /--uin and --tabled go together/],
    [['pq', 'fetch', '9100001', '--uin', '89637', '--tabled', '2021-12-08'], /not both/],
    [['pq', 'fetch', '--uin', '89637', '--tabled', '2021-02-30'], /expected a date YYYY-MM-DD/],
    [['pq', 'fetch', 'abc'], /a question id must be a whole number/],
    [['pq', 'search'], /say what to search for/],
    [['pq', 'search', '--term', 'x', '--answered-from', '2025-02-01', '--answered-to', '2025-01-01'], /--answered-from 2025-02-01 is after --answered-to 2025-01-01/],
    [['pq', 'search', '--body', 'Ministry of Silly Walks'], /no answering body id known for "Ministry of Silly Walks"/],
    [['pq', 'search', '--term', 'x', '--house', 'upper'], /expected Commons, Lords or Bicameral/],
  ])('usage error %j: exit 2 before any request', async (args, message) => {
    const r = await runInProcess(args, { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(api.requests).toEqual([]);
  });

  it.each([
    [{ ASSETLOSS_PQ_TIMEOUT_MS: 'soon' }, /ASSETLOSS_PQ_TIMEOUT_MS must be a whole number from 1 to 2147483647/],
    // A timer past 2^31 - 1 ms fires after 1 ms in Node: every attempt would time out at once.
    [{ ASSETLOSS_PQ_TIMEOUT_MS: String(2 ** 32 + 1) }, /ASSETLOSS_PQ_TIMEOUT_MS must be a whole number from 1 to 2147483647 \(.*got "4294967297"\)/],
    [{ ASSETLOSS_PQ_RETRY_MS: String(2 ** 31) }, /ASSETLOSS_PQ_RETRY_MS must be a whole number from 0 to 2147483647/],
    [{ ASSETLOSS_PQ_RETRIES: '1000000' }, /ASSETLOSS_PQ_RETRIES must be a whole number from 0 to 100/],
    [{ ASSETLOSS_PQ_MAX_BYTES: '10' }, /ASSETLOSS_PQ_MAX_BYTES must be a whole number from 1024 to 1073741824/],
    [{ ASSETLOSS_PQ_API: 'ftp://example' }, /ASSETLOSS_PQ_API must be an http\(s\) URL/],
    [{ ASSETLOSS_PQ_API: 'http://127.0.0.1:99999' }, /ASSETLOSS_PQ_API is not a valid URL \(a port is 1 to 65535\)/],
    [{ ASSETLOSS_PQ_API: 'http://[::1' }, /ASSETLOSS_PQ_API is not a valid URL/],
  ])('a bad environment setting %j is exit 2 before any request', async (extra, message) => {
    const r = await runInProcess(['pq', 'fetch', '9100001', '--debug'], { env: env(extra) });
    expect(r.code).toBe(2);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: Object.keys(extra)[0], code: 'BAD_ENV' }]);
    // What the setting must be is said in the words.
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(api.requests).toEqual([]);
  });

  it('a port fetch refuses (a "bad port") is one immediate error, not retried as a network failure', async () => {
    const started = Date.now();
    const r = await runInProcess(['pq', 'fetch', '9100001', '--debug'], { env: env({ ASSETLOSS_PQ_API: 'http://127.0.0.1:6000', ASSETLOSS_PQ_RETRY_MS: '2000' }) });
    expect(r.code).toBe(2);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `http://127.0.0.1:6000${QUESTIONS}/9100001?expandMember=true`, code: 'PQ_BAD_URL' }]);
    expect(r.stderr).toMatch(/bad port/);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('pq search', () => {
  it('pages through every hit with skip/take, then fetches each in full (the list holds previews)', async () => {
    const r = await runInProcess(['pq', 'search', '--term', 'lost', '--body', 'MoD', '--answered-from', '2021-01-01', '--page-size', '3'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    const lists = api.requests.filter((q) => q.startsWith(`${QUESTIONS}?`));
    expect(lists).toEqual([
      `${QUESTIONS}?searchTerm=lost&answeringBodies=11&answeredWhenFrom=2021-01-01&skip=0&take=3`,
      `${QUESTIONS}?searchTerm=lost&answeringBodies=11&answeredWhenFrom=2021-01-01&skip=3&take=3`,
    ]);
    expect(api.requests.filter((q) => !q.startsWith(`${QUESTIONS}?`))).toEqual(
      [9100001, 9100002, 9100003, 9100004].map((id) => `${QUESTIONS}/${id}?expandMember=true`),
    );
    const doc = JSON.parse(r.stdout) as { totalResults: number; results: Item[] };
    expect(doc.totalResults).toBe(4);
    // Full answers, not the previews the list carried.
    expect(doc.results).toEqual(modAnswers());
    expect(r.stderr).toMatch(/saved 4 questions: 148 records to read/);
  });

  it('the saved search reads as the four CSVs do, with the same compare totals', async () => {
    const out = join(dir, 'search.json');
    expect((await runInProcess(['pq', 'search', '--body', '11', '--answered-from', '2021-01-01', '-o', out], { env: env() })).code).toBe(0);
    const csv = ['mod-devices-2017-2021', 'mod-devices-2023', 'mod-devices-2024-to-15-dec', 'mod-devices-2024-07-05-to-2025-02-27'].map((n) => `fixtures/builtin/${n}.csv`);
    const a = await runInProcess(['records', '-i', out, '-f', 'json']);
    const b = await runInProcess(['records', '-i', ...csv, '-f', 'json']);
    expect(recordsOf(a.stdout).map(content)).toEqual(recordsOf(b.stdout).map(content));
    for (const args of [['2025-01-01..2025-02-27', '2023..2024', '--category', 'phone'], ['2024-07-05..2025-02-27', '2024', '--by', 'category']]) {
      const x = await runInProcess(['compare', ...args, '-i', out, '-f', 'json']);
      const y = await runInProcess(['compare', ...args, ...csv.flatMap((f) => ['-i', f]), '-f', 'json']);
      expect(x.code, x.stderr).toBe(y.code);
      expect(totals(x.stdout)).toEqual(totals(y.stdout));
    }
  });

  it('--limit stops early and says how many matched', async () => {
    const r = await runInProcess(['pq', 'search', '--body', '11', '--page-size', '1', '--limit', '2'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { totalResults: number; results: Item[] };
    expect(doc.results.map((i) => i.value.id)).toEqual([9100001, 9100002]);
    expect(doc.totalResults).toBe(4);
    expect(api.requests.filter((q) => q.startsWith(`${QUESTIONS}?`))).toHaveLength(2);
    expect(r.stderr).toMatch(/4 questions match; saved the first 2 \(--limit 2\)/);
  });

  it('a 500 on a list page is retried, then paging goes on', async () => {
    api.faults.set(`${QUESTIONS}?searchTerm=phones&skip=2`, ['status500']);
    const r = await runInProcess(['pq', 'search', '--term', 'phones', '--page-size', '2'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests.filter((q) => q.includes('skip=2'))).toHaveLength(2);
    expect((JSON.parse(r.stdout) as { results: Item[] }).results.length).toBeGreaterThan(0);
  });

  it('no hits: an empty list, said on stderr; reading it back warns rather than staying silent', async () => {
    const out = join(dir, 'none.json');
    const r = await runInProcess(['pq', 'search', '--term', 'submarines', '-o', out], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/no questions match/);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ totalResults: 0, results: [] });
    const back = await runInProcess(['records', '-i', out, '-f', 'csv', '--debug']);
    expect(back.code).toBe(0);
    expect(diagnostics(back.stderr)).toEqual([{ kind: 'warning', at: out, code: 'NO_QUESTIONS' }]);
  });

  it('a malformed list page is exit 2 with nothing written', async () => {
    api.faults.set(`${QUESTIONS}?searchTerm`, ['malformed']);
    const r = await runInProcess(['pq', 'search', '--term', 'x', '--debug'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${api.url}${QUESTIONS}?searchTerm=x&skip=0&take=20`, code: 'PQ_NOT_JSON' }]);
  });
});

describe('PqClient.searchAll', () => {
  it('stops when a page brings nothing new, even if the total says there is more', async () => {
    const { PqClient } = await import('../src/io/pq-client.js');
    const page = { totalResults: 1000, results: modAnswers().slice(0, 2) };
    const seen: string[] = [];
    const fake = (async (url: string) => {
      seen.push(url);
      return new Response(JSON.stringify(page), { headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    const client = new PqClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 1000, retries: 0, retryDelayMs: 0, fetch: fake });
    const found = await client.searchAll({ searchTerm: 'x' }, 2, 100);
    expect(found.previews.map((p) => p.value.id)).toEqual([9100001, 9100002]);
    expect(seen).toHaveLength(2);
  });
});

describe('progress', () => {
  it('is not written when stderr is not a terminal', async () => {
    const r = await runInProcess(['pq', 'search', '--body', '11', '--page-size', '1'], { env: env() });
    expect(r.stderr).not.toMatch(/\r/);
  });

  it('is written on a terminal, in place, and cleared at the end', async () => {
    const { code, stderr: err } = await runInProcess(['pq', 'search', '--body', '11', '--page-size', '2'], { env: env(), stderrTTY: true });
    expect(code).toBe(0);
    expect(err).toMatch(/\r\u001b\[Kassetloss: listing: 2 of 4/);
    expect(err).toMatch(/\r\u001b\[Kassetloss: fetching question 9100004 \(4 of 4\)/);
    expect(err).toMatch(/\r\u001b\[K(assetloss: saved)/);
  });
});

/** A compare -f json document without where records came from: totals, rates, ratios and caveat codes. */
function totals(stdout: string): unknown {
  const doc = JSON.parse(stdout) as { periods: unknown[]; comparisons: unknown[]; caveats: { code: string; period?: string; series?: string }[] };
  return { periods: doc.periods, comparisons: doc.comparisons, caveats: doc.caveats.map((c) => `${c.code} ${c.period} ${c.series}`) };
}


describe('hostile servers and outputs', () => {
  /** A server of one handler on 127.0.0.1, closed after the test. */
  async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close: () => Promise<void> }> {
    const server = createHttpServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    return {
      url: `http://127.0.0.1:${port}`,
      close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
    };
  }

  it('an endless body is cut off at ASSETLOSS_PQ_MAX_BYTES with a clear error, not read into memory', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"value": {"answerText": "');
      const chunk = 'x'.repeat(64 * 1024);
      const more = () => { while (res.write(chunk)); };
      res.on('drain', more);
      more();
    });
    try {
      const r = await runInProcess(['pq', 'fetch', '1', '--debug'], { env: env({ ASSETLOSS_PQ_API: s.url, ASSETLOSS_PQ_MAX_BYTES: String(1 << 20) }) });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${s.url}${QUESTIONS}/1?expandMember=true`, code: 'PQ_TOO_LARGE' }]);
      // The limit and the setting that raises it: said in the words.
      expect(r.stderr).toMatch(/larger than 1048576 bytes \(ASSETLOSS_PQ_MAX_BYTES/);
    } finally {
      await s.close();
    }
  });

  it('a small gzip that inflates past the limit is refused by its inflated size', async () => {
    const bomb = gzipSync(Buffer.alloc(64 << 20, 0x20));
    expect(bomb.length).toBeLessThan(1 << 20);
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      res.end(bomb);
    });
    try {
      const r = await runInProcess(['pq', 'fetch', '1', '--debug'], { env: env({ ASSETLOSS_PQ_API: s.url }) });
      expect(r.code).toBe(2);
      expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${s.url}${QUESTIONS}/1?expandMember=true`, code: 'PQ_TOO_LARGE' }]);
      expect(r.stderr).toMatch(/larger than 16777216 bytes/);
    } finally {
      await s.close();
    }
  });

  it('server text in an error (a body that is not JSON) reaches stderr with its control characters escaped', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('\u001b]0;pwned\u0007\u001b[2J\n::error file=x::injected');
    });
    try {
      const r = await runInProcess(['pq', 'fetch', '1'], { env: env({ ASSETLOSS_PQ_API: s.url }) });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/the response is not JSON/);
      expect(r.stderr).toMatch(/\\u001B/);
      expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
      expect(r.stderr.split('\n').some((l) => l.startsWith('::'))).toBe(false);
    } finally {
      await s.close();
    }
  });

  it('a Content-Length past the limit is refused before the body is read', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1 << 30) });
      res.write('{');
    });
    try {
      const r = await runInProcess(['pq', 'fetch', '1', '--debug'], { env: env({ ASSETLOSS_PQ_API: s.url }) });
      expect(r.code).toBe(2);
      expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${s.url}${QUESTIONS}/1?expandMember=true`, code: 'PQ_TOO_LARGE' }]);
      expect(r.stderr).toMatch(/larger than 16777216 bytes/);
    } finally {
      await s.close();
    }
  });

  it('a totalResults the pages do not bear out is said to be the API\'s, not blamed on --limit', async () => {
    const items = modAnswers();
    const s = await serve((req, res) => {
      const target = new URL(req.url ?? '/', 'http://127.0.0.1');
      res.writeHead(200, { 'content-type': 'application/json' });
      if (target.pathname === QUESTIONS) res.end(JSON.stringify({ totalResults: 500, results: items.slice(0, 2) }));
      else res.end(JSON.stringify(items.find((i) => target.pathname.endsWith(`/${i.value.id}`))));
    });
    try {
      const r = await runInProcess(['pq', 'search', '--body', '11'], { env: env({ ASSETLOSS_PQ_API: s.url }) });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/--limit/);
      expect(r.stderr).toMatch(/^assetloss: warning: the API said 500 questions match but listed 2; saved those 2$/m);
    } finally {
      await s.close();
    }
  });

  it('an answer the reader refuses fails before anything is written: no stdout, an existing -o file untouched', async () => {
    const deep = fixtureItem('mod-devices-2023.json');
    deep.value.answerText = `${'<div>'.repeat(6_000)}${deep.value.answerText}`;
    api.items = [deep];
    const out = join(dir, 'kept.json');
    writeFileSync(out, 'the old file\n');
    const r = await runInProcess(['pq', 'fetch', String(deep.value.id), '-o', out, '--debug'], { env: env() });
    expect(r.code).toBe(2);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: expect.stringContaining(String(deep.value.id)), code: 'HTML_TOO_DEEP' }]);
    expect(readFileSync(out, 'utf8')).toBe('the old file\n');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    const stdout = await runInProcess(['pq', 'fetch', String(deep.value.id)], { env: env() });
    expect(stdout.code).toBe(2);
    expect(stdout.stdout).toBe('');
  });

  it.each([
    ['a directory', () => dir, /cannot write the output: is a directory, not a file \(EISDIR\)/],
    ['in a folder that does not exist', () => join(dir, 'no/such/folder/out.json'), /cannot write the output: no such folder \(ENOENT\)/],
    ['on a full device', () => '/dev/full', /cannot write the output: no space left on the device \(ENOSPC\)/],
  ])('-o %s: exit 2 with a clean message, no stack trace', async (_, target, message) => {
    const r = await runInProcess(['pq', 'fetch', '9100001', '-o', target()], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
