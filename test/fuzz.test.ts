// The CLI fuzz (test/fuzz/cli-fuzz.ts) as part of `npm test`: a few thousand seeded cases, the
// same ones every run. `npm run fuzz -- --runs N --seed S` runs it longer (FUZZ_RUNS, FUZZ_SEED).
import { describe, expect, it } from 'vitest';
import { fuzz, mutate, SEEDS } from './fuzz/cli-fuzz.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 20260414);

describe('fuzz: hostile inputs through every command', () => {
  it('has real answers to mutate', () => {
    expect(SEEDS.length).toBeGreaterThan(20);
    expect(mutate('a,b\n1,2', [{ kind: 'insert', at: 0.5, text: '"' }])).toBe('a,b"\n1,2');
  });

  it(`${RUNS} cases (seed ${SEED}): exit 0/1/2, no stack trace, nothing on stdout at exit 2, bounded time, rows accounted for`, async () => {
    const started = Date.now();
    const { runs, codes } = await fuzz({ runs: RUNS, seed: SEED });
    expect(runs).toBe(RUNS);
    // A fuzz that only ever fails at the first byte tests nothing: the cases must reach each outcome.
    expect(codes[0] ?? 0).toBeGreaterThan(RUNS / 20);
    expect(codes[2] ?? 0).toBeGreaterThan(RUNS / 20);
    if (process.env.FUZZ_RUNS) console.log(`fuzz: ${runs} cases, seed ${SEED}, exits ${JSON.stringify(codes)}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }, Math.max(120_000, RUNS * 100));
});
