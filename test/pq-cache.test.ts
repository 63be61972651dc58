// Claims that cite their answers (pq:<id>, pq:<tabled>/<UIN>): fetched once into the cache, read
// offline after; a corrected answer, fetched again with --refresh, is kept beside the first, every
// changed figure reported, the newer used; check --state says which claim flipped and why.
// Against a local fake of the Written Questions API only: no test touches the real network.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closedPort, fixtureItem, type FakeApi, type Item, startFakeApi } from './helpers/pq.js';
import { runInProcess } from './helpers/run.js';
import { diagnostics } from './helpers/output.js';
import { ROOT, tempDir } from './helpers/files.js';

const tmp = tempDir();
let api: FakeApi;
let cache: string;
const env = () => ({ ASSETLOSS_PQ_API: api.url, ASSETLOSS_CACHE: cache, ASSETLOSS_PQ_RETRY_MS: '1', ASSETLOSS_PQ_RETRIES: '0' });

/** The March 2025 answer, with its February phones (145) changed and marked as a correction. */
function corrected(item: Item, phones: number): Item {
  const v = { ...item.value };
  v.answerText = String(v.answerText).replace(/145/, String(phones));
  v.answerIsCorrection = true;
  v.dateAnswerCorrected = '2025-03-13T00:00:00';
  return { ...item, value: v };
}

beforeAll(async () => {
  api = await startFakeApi(['mod-devices-2024-to-15-dec.json', 'mod-devices-2024-07-05-to-2025-02-27.json', 'mod-devices-2023.json'].map(fixtureItem));
});
afterAll(async () => {
  await api.close();
  tmp.cleanup();
});
let n = 0;
beforeEach(() => { cache = join(tmp.dir, `cache-${++n}`); });

const CLAIMS = 'input:\n  - pq:9100002\n  - pq:9100003\n  - pq:2025-02-27/900004\nclaims:\n  - id: feb-phones\n    says: "145 in February alone"\n    total: { period: 2025-02-01..2025-02-27, category: phone }\n    equals: 145\n';

describe('answers cited by id', () => {
  it('are fetched into the cache once, then read offline', async () => {
    const claims = tmp.write(`c${n}.yaml`, CLAIMS);
    const first = await runInProcess(['check', claims, '-f', 'json'], { env: env() });
    expect(first.code, first.stderr).toBe(0);
    const fetched = api.requests.length;
    expect(readdirSync(join(cache, 'pq')).sort()).toEqual(['9100002', '9100003', '9100004', 'uin']);
    await api.close();
    const offline = await runInProcess(['check', claims, '--offline', '-f', 'json'], { env: { ...env(), ASSETLOSS_PQ_API: 'http://127.0.0.1:9' } });
    expect(offline.code, offline.stderr).toBe(0);
    expect(api.requests.length).toBe(fetched);
    api = await startFakeApi(['mod-devices-2024-to-15-dec.json', 'mod-devices-2024-07-05-to-2025-02-27.json', 'mod-devices-2023.json'].map(fixtureItem));
  });

  it('--offline with nothing cached is exit 2 naming the answer and the cache', async () => {
    const r = await runInProcess(['records', '-i', 'pq:9100004', '--offline', '--debug'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: 'pq:9100004', code: 'PQ_NOT_CACHED' }]);
    // Where the cache is, and why it was not fetched, are said in the words.
    expect(r.stderr).toMatch(/pq:9100004: pq:9100004: it is not in the cache \(.*cache-\d+\/pq\), and --offline forbids fetching it/);
  });

  it.each([
    ['pq:abc', 'BAD_PQ_REF'],
    ['pq:424242', 'PQ_NOT_FOUND'],
  ] as const)('%s: exit 2 with the reason (%s)', async (ref, code) => {
    const r = await runInProcess(['records', '-i', ref], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const d = await runInProcess(['records', '-i', ref, '--debug'], { env: env() });
    expect(diagnostics(d.stderr).map((x) => x.code)).toEqual([code]);
  });

  it('a cache entry that does not read is never used: it is fetched again', async () => {
    const first = await runInProcess(['records', '-i', 'pq:9100004', '-q', '-f', 'csv'], { env: env() });
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(join(cache, 'pq', '9100004', '1.json'), '{"value": {"id": 9100004, "answerText": "<tab');
    const again = await runInProcess(['records', '-i', 'pq:9100004', '-q', '-f', 'csv'], { env: env() });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(first.stdout);
  });

  it('a corrected answer: kept beside the first, the changes reported, the newer used, and check --state says the claim flipped', async () => {
    const claims = tmp.write(`c${n}.yaml`, CLAIMS);
    const state = join(tmp.dir, `c${n}.state.json`);
    const first = await runInProcess(['check', claims, '--state', '-f', 'json'], { env: env() });
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(state)).toBe(true);
    expect((JSON.parse(first.stdout) as { changes: unknown[] }).changes).toEqual([]);
    // The department corrects its answer: February's phones were 140, not 145.
    const i = api.items.findIndex((x) => x.value.id === 9100004);
    const original = api.items[i]!;
    api.items[i] = corrected(original, 140);
    const cached = await runInProcess(['check', claims, '--state', '-f', 'json'], { env: env() });
    expect(cached.code, 'without --refresh the cache is used').toBe(0);
    const refreshed = await runInProcess(['check', claims, '--state', '--refresh', '-f', 'json'], { env: env() });
    api.items[i] = original;
    expect(refreshed.code).toBe(1);
    // The changed figure, from what to what, is the warning's point: the words say it.
    expect(refreshed.stderr).toMatch(/warning: pq:2025-02-27\/900004#v2.*: phone \(lost-or-stolen\) 2025-02-01\.\.2025-02-27: 145 in pq-9100004-v1 → 140 in pq-9100004/);
    const doc = JSON.parse(refreshed.stdout) as { claims: { status: string; actual: { value: number } }[]; changes: { id: string; kind: string; from: string; to: string; answers: string[] }[] };
    expect(doc.claims[0]).toMatchObject({ status: 'fail', actual: { value: 140 } });
    expect(doc.changes).toEqual([expect.objectContaining({ id: 'feb-phones', kind: 'flipped', from: 'pass', to: 'fail', answers: ['pq-9100004'] })]);
    expect(readdirSync(join(cache, 'pq', '9100004')).filter((f) => /^\d+\.json$/.test(f)).sort()).toEqual(['1.json', '2.json']);
    // The next run has nothing new to say; a further correction is said in the CI formats too.
    const same = await runInProcess(['check', claims, '--state', '-f', 'text'], { env: env() });
    expect(same.stdout).toMatch(/nothing changed since the last run/);
    api.items[i] = corrected(original, 145);
    (api.items[i]!.value as Record<string, unknown>).dateAnswerCorrected = '2025-03-20T00:00:00';
    const gh = await runInProcess(['check', claims, '--state', '--refresh', '-f', 'github'], { env: env() });
    api.items[i] = original;
    expect(gh.code).toBe(0);
    expect(gh.stdout).toMatch(/^::warning file=.*c\d+\.yaml,line=\d+,title=claim feb-phones changed::claim feb-phones: fail → pass since the last run \(changed by pq-9100004\)$/m);
  });
});

describe('versions of a cited answer', () => {
  it('an unreadable newest version is never passed over for an older one: fetched again, or with --offline an error', async () => {
    const i = api.items.findIndex((x) => x.value.id === 9100004);
    const original = api.items[i]!;
    await runInProcess(['records', '-i', 'pq:9100004', '-q'], { env: env() });
    api.items[i] = corrected(original, 140);
    await runInProcess(['records', '-i', 'pq:9100004', '-q', '--refresh'], { env: env() });
    writeFileSync(join(cache, 'pq', '9100004', '2.json'), '{"value":');
    const offline = await runInProcess(['compare', '2025-02-01..2025-02-27', '2025-02-01..2025-02-27', '--category', 'phone', '-i', 'pq:9100004', '--offline', '-f', 'csv', '-q', '--debug'], { env: env() });
    expect(offline.code).toBe(2);
    expect(diagnostics(offline.stderr)).toEqual([{ kind: 'error', at: 'pq:9100004', code: 'PQ_NOT_CACHED' }]);
    expect(offline.stderr).toMatch(/its cached copy does not read .*2\.json/);
    const online = await runInProcess(['compare', '2025-02-01..2025-02-27', '2025-02-01..2025-02-27', '--category', 'phone', '-i', 'pq:9100004', '-f', 'csv', '-q', '--fields', 'total'], { env: env() });
    api.items[i] = original;
    expect(online.code, online.stderr).toBe(0);
    expect(online.stdout).toBe('total\n140\n140\n');
  });

  it('the answer fetched last is the newest, even when it drops a correction', async () => {
    const i = api.items.findIndex((x) => x.value.id === 9100004);
    const original = api.items[i]!;
    await runInProcess(['records', '-i', 'pq:9100004', '-q'], { env: env() });
    api.items[i] = corrected(original, 140);
    await runInProcess(['records', '-i', 'pq:9100004', '-q', '--refresh'], { env: env() });
    api.items[i] = original;
    const r = await runInProcess(['compare', '2025-02-01..2025-02-27', '2025-02-01..2025-02-27', '--category', 'phone', '-i', 'pq:9100004', '--refresh', '-f', 'csv', '-q', '--fields', 'total'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('total\n145\n145\n');
  });

  it('--offline with --refresh is refused', async () => {
    const r = await runInProcess(['records', '-i', 'pq:9100004', '--offline', '--refresh', '--debug'], { env: env() });
    expect(r.code).toBe(2);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: 'pq:9100004', code: 'USAGE' }]);
  });

  it('check --state: the first run says so; a state that cannot be written fails before anything is printed', async () => {
    const claims = tmp.write(`s${n}.yaml`, CLAIMS);
    const first = await runInProcess(['check', claims, '--state'], { env: env() });
    expect(first.stdout).toMatch(/first run: the results are remembered for the next/);
    const bad = await runInProcess(['check', claims, '--state', join(tmp.dir, 'no-such-folder', 'x.json')], { env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
  });
});

describe('faults of cited answers', () => {
  it('a holding answer is cached as fetched and refused with the reason (fetch it again with --refresh once answered)', async () => {
    const holding = fixtureItem('edge/holding-answer.json');
    api.items.push(holding);
    const r = await runInProcess(['records', '-i', `pq:${holding.value.id}`, '--debug'], { env: env() });
    api.items.pop();
    expect(r.code).toBe(2);
    expect(diagnostics(r.stderr).map((d) => d.code)).toEqual(['HOLDING_ANSWER']);
  });

  it.each([
    ['an attachment-only answer', () => fixtureItem('edge/attachment-only.json'), 'ANSWER_IN_ATTACHMENT'],
    ['a withdrawn question', () => { const i = fixtureItem('mod-devices-2023.json'); return { ...i, value: { ...i.value, id: 9199999, isWithdrawn: true } }; }, 'WITHDRAWN'],
  ])('%s is refused with the reason', async (_name, make, code) => {
    const item = make() as Item;
    api.items.push(item);
    const r = await runInProcess(['records', '-i', `pq:${item.value.id}`, '--debug'], { env: env() });
    api.items.pop();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(diagnostics(r.stderr).map((d) => d.code)).toEqual([code]);
  });

  it('a network failure is exit 2 with the reason, and nothing is cached', async () => {
    // Nothing listening (port 9 would not do: fetch refuses it as a bad port, before any network).
    const port = await closedPort();
    const r = await runInProcess(['records', '-i', 'pq:9100004', '--debug'], { env: { ...env(), ASSETLOSS_PQ_API: `http://127.0.0.1:${port}`, ASSETLOSS_PQ_RETRIES: '1' } });
    expect(r.code).toBe(2);
    expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `http://127.0.0.1:${port}/api/writtenquestions/questions/9100004?expandMember=true`, code: 'PQ_UNAVAILABLE' }]);
    expect(r.stderr).toMatch(/network failure: ECONNREFUSED/);
    expect(existsSync(join(cache, 'pq', '9100004'))).toBe(false);
  });

  it('two runs filling the cache at once leave one whole version', async () => {
    const [a, b] = await Promise.all([
      runInProcess(['records', '-i', 'pq:9100004', '-q', '-f', 'csv'], { env: env() }),
      runInProcess(['records', '-i', 'pq:9100004', '-q', '-f', 'csv'], { env: env() }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stdout).toBe(b.stdout);
    const files = readdirSync(join(cache, 'pq', '9100004'));
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files.filter((f) => /^\d+\.json$/.test(f)).length).toBeGreaterThanOrEqual(1);
  });
});

describe('the Express claims, citing their answers, run offline from the committed cache', () => {
  it('all 11 pass with no network', async () => {
    const r = await runInProcess(['check', join(ROOT, 'fixtures/claims/express-2025-03-cited.yaml'), '--offline', '-f', 'tap'], { env: { ASSETLOSS_CACHE: join(ROOT, 'fixtures/pq-cache'), ASSETLOSS_PQ_API: 'http://127.0.0.1:9' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^1\.\.11$/m);
    expect(r.stdout).not.toMatch(/^not ok/m);
  });
});
