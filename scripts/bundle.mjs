// `npm run bundle`: the CLI bundled by esbuild into one CommonJS file, dist/bundle/main.cjs, and
// the incident-log worker into another, then a V8 code cache for main.cjs made by running the
// README's compare once (bin/assetloss.js loads the two together: see there).
//
// CommonJS, not ES modules: Node starts a CommonJS entry about 9 ms sooner, and only a script
// (not a module) can be given a code cache on Node 20. Our code, commander and chalk are in the
// file; a command's code runs only when the command is used (each `import()` becomes a lazy require).
// zod, yaml and parse5 stay outside (required from node_modules by the code that needs them:
// inputs files, claims, cited answers, schemas), as do the chart libraries (`--chart` alone).
// commander's `require('node:child_process')` (for executable subcommands, which this CLI has
// none of) is made lazy: loading child_process loads net, dgram and more at every start.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const lazyChildProcess = fileURLToPath(new URL('./lazy-child-process.cjs', import.meta.url));

rmSync(`${root}dist/bundle`, { recursive: true, force: true });
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: process.env.BUNDLE_MINIFY !== '0',
  external: ['zod', 'yaml', 'parse5', 'vega', 'vega-lite', '@resvg/resvg-js'],
  // The sources find files next to themselves by import.meta.url: in CommonJS, the file's own URL.
  define: { 'import.meta.url': '__fileUrl' },
  banner: { js: 'var __fileUrl=require("node:url").pathToFileURL(__filename).href;' },
  // A vm script has no import() of its own (see bin/assetloss.js): every import() becomes a require.
  supported: { 'dynamic-import': false },
  logLevel: 'warning',
  plugins: [{
    name: 'lazy-child-process',
    setup(b) {
      b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (args.importer.includes('/node_modules/commander/') ? { path: lazyChildProcess } : undefined));
    },
  }],
};
await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/bundle/main.cjs' });
await build({ ...common, entryPoints: ['src/io/incident-worker.ts'], outfile: 'dist/bundle/incident-worker.cjs' });

// The code cache: the functions the README's compare compiled, saved compiled.
const made = spawnSync(process.execPath, [`${root}bin/assetloss.js`, 'compare', '2025-01-01..2025-02-27', '2023..2024', '--category', 'phone'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'pipe'],
  encoding: 'utf8',
  env: { ...process.env, ASSETLOSS_WRITE_CODE_CACHE: '1', NO_COLOR: '1' },
});
if (made.status !== 0 || !existsSync(`${root}dist/bundle/main.cache`)) throw new Error(`bundle: the compare that makes the code cache failed:\n${made.stderr}`);
