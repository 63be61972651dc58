// node:child_process, required only when a property of it is first used (see bundle.mjs).
let real;
module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });
