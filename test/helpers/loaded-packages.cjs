// Preload for the start-up tests (NODE_OPTIONS=--require): every module file this process loads,
// by require (CommonJS) or by import (ES modules, seen by a resolve hook), written one path per
// line to the file $ASSETLOSS_LOADED.
const { appendFileSync } = require('node:fs');
const { register } = require('node:module');
const out = process.env.ASSETLOSS_LOADED;
const hook = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(out)}, r.url + '\\n');
  return r;
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
process.on('exit', () => appendFileSync(out, `${Object.keys(require.cache).join('\n')}\n`));
