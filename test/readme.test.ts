// Every ```console example in the README is run and must print exactly what the README shows
// (Miller's and csv-parse's practice: documentation that cannot rot).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

interface Example { command: string; output: string }

function examples(text: string): Example[] {
  const out: Example[] = [];
  for (const block of text.matchAll(/```console\n([\s\S]*?)```/g)) {
    let current: Example | undefined;
    for (const line of block[1]!.split('\n')) {
      if (line.startsWith('$ ')) {
        current = { command: line.slice(2), output: '' };
        out.push(current);
      } else if (current) {
        current.output += `${line}\n`;
      }
    }
  }
  return out.map((e) => ({ ...e, output: e.output.replace(/\n+$/, '\n') }));
}

/** Splits a shell-like command line (double-quoted words allowed). */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

describe('README examples', () => {
  const list = examples(readme);
  it('has examples to run', () => {
    expect(list.length).toBeGreaterThanOrEqual(4);
  });
  for (const ex of list) {
    it(ex.command, () => {
      const [name, ...args] = words(ex.command);
      expect(name).toBe('assetloss');
      const run = spawnSync(process.execPath, [join(root, 'bin/assetloss.js'), ...args], {
        cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' },
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toBe(ex.output);
    });
  }
});
