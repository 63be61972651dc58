// Every option each command's --help lists is documented in docs/commands.md (or the README),
// so the reference cannot fall behind the CLI.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, type RunResult } from './helpers/run.js';
import { ROOT } from './helpers/files.js';

const documented = readFileSync(join(ROOT, 'docs/commands.md'), 'utf8') + readFileSync(join(ROOT, 'README.md'), 'utf8');
const COMMANDS = [['compare'], ['summary'], ['trend'], ['records'], ['validate'], ['check'], ['schema'], ['pq', 'fetch'], ['pq', 'search']];

describe.each(COMMANDS.map((c) => [c.join(' ')]))('assetloss %s --help', (name: string) => {
  const command = name.split(' ');
  let help: RunResult;
  let flags: string[];
  beforeAll(async () => {
    help = await runInProcess([...command, '--help']);
    flags = [...new Set([...help.stdout.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!))].filter((f) => f !== '--help');
  });

  it('exits 0 and starts with examples', () => {
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Examples:\n/);
  });

  it('lists options, every one documented', () => {
    if (command[0] !== 'schema') expect(flags.length).toBeGreaterThan(0);
    // Documented as `--flag …` or `-x, --flag …` in a table or the text.
    for (const flag of flags) expect(documented, `${command.join(' ')} ${flag}`).toMatch(new RegExp(`(?:\`|, )${flag}(?![a-z-])`));
  });

  it('its arguments are documented', () => {
    const usage = /^Usage: assetloss (.*)$/m.exec(help.stdout)![1]!;
    for (const arg of usage.match(/<[^>]+>|\[[a-z-]+\.\.\.\]/g) ?? []) expect(documented, `${command.join(' ')} ${arg}`).toContain(arg);
  });
});
