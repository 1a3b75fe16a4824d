/**
 * Every command answers `--help` (and `-h`) with its usage, its options and an example, in lines
 * that fit an 80-column terminal, and names every option its argument parser accepts: the options
 * are read from the command's own source, so a new option without a help line fails here. The
 * template list fits 80 columns too (it was one table row per template, over 200 wide).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../train/helpers/cli.js';

const COMMANDS = ['validate', 'info', 'compile', 'infer', 'templates', 'new', 'train', 'eval', 'export', 'import', 'profile'];

/** The long option names a command's parseArgs declares (`name: { type: ... }` in its options). */
function declaredOptions(command: string): string[] {
  const source = readFileSync(new URL(`../../engine/cli/commands/${command}.ts`, import.meta.url), 'utf8');
  const names = [...source.matchAll(/'?([a-z][a-z-]*)'?: \{ type: '(?:string|boolean)'/g)].map((m) => m[1]!);
  if (source.includes('...LIMIT_OPTION')) names.push('limit');
  return [...new Set(names)].filter((n) => n !== 'help');
}

describe('snn-studio <command> --help', () => {
  for (const command of COMMANDS) {
    it(`${command}: usage, every option, an example, at most 80 columns`, async () => {
      const r = await cli([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(new RegExp(`^usage: snn-studio ${command}`));
      const options = declaredOptions(command);
      expect(options.length).toBeGreaterThan(0);
      for (const o of options) expect(r.stdout, `--${o}`).toContain(`--${o}`);
      if (!['validate', 'info'].includes(command)) expect(r.stdout).toMatch(/\nexample: snn-studio /);
      for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
      expect((await cli([command, '-h'])).stdout).toBe(r.stdout);
    });
  }

  it('templates: every template and preset, in lines of at most 80 columns', async () => {
    const r = await cli(['templates']);
    expect(r.code).toBe(0);
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    const json = JSON.parse((await cli(['templates', '--json'])).stdout) as { id: string; presets: { name: string }[] }[];
    const words = new Set(r.stdout.split(/[\s,:]+/));
    for (const t of json) {
      expect(words.has(t.id), t.id).toBe(true);
      for (const p of t.presets) expect(words.has(p.name), `${t.id} ${p.name}`).toBe(true);
    }
  });
});
