// vitest globalSetup: the spawn tests (spawn.ts) run the built CLI (dist/), so a build older than
// the sources would test yesterday's code. Rebuild first when any source is newer than the build (`npm test`
// builds anyway; this covers `npx vitest run` after an edit).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './files.js';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function setup(): void {
  if (process.env.ASSETLOSS_TEST_BIN) return;
  const built = join(ROOT, 'dist/bundle/main.cjs');
  const stale = !existsSync(built) || newest(join(ROOT, 'src')) > statSync(built).mtimeMs || statSync(join(ROOT, 'fixtures/builtin')).mtimeMs > statSync(built).mtimeMs;
  if (!stale) return;
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the build failed: the tests would run an old CLI');
}
