// `npm run bundle`: the CLI bundled into dist/bundle with esbuild, split so that each command
// loads only what it needs. The chart libraries stay outside the bundle (loaded by `trend
// --chart` alone). commander's `require('node:child_process')` (for executable subcommands,
// which this CLI has none of) is made lazy: loading child_process loads net, dgram and more,
// a few milliseconds of every start.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// `require` for the CommonJS inside the bundle (commander, …); kept only in the files that use it.
const BANNER = "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);";
const lazyChildProcess = fileURLToPath(new URL('./lazy-child-process.cjs', import.meta.url));

rmSync(`${root}dist/bundle`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts', 'src/io/incident-worker.ts'],
  entryNames: '[name]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  splitting: true,
  minify: process.env.BUNDLE_MINIFY !== "0",
  outdir: 'dist/bundle',
  external: ['vega', 'vega-lite', '@resvg/resvg-js'],
  banner: { js: BANNER },
  logLevel: 'warning',
  plugins: [{
    name: 'lazy-child-process',
    setup(b) {
      b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (args.importer.includes('/node_modules/commander/') ? { path: lazyChildProcess } : undefined));
    },
  }],
});

// A chunk with no CommonJS in it does without the banner: one createRequire less at each start.
for (const name of readdirSync(`${root}dist/bundle`)) {
  const file = `${root}dist/bundle/${name}`;
  const text = readFileSync(file, 'utf8');
  if (text.startsWith(BANNER) && !text.slice(BANNER.length).includes('require')) writeFileSync(file, text.slice(BANNER.length).replace(/^\n/, ''));
}
