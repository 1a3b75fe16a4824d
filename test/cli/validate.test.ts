/**
 * `snn-studio validate` as a user runs it: every line says its severity, design facts are one
 * summary line unless --info asks for the list, and --json carries severities and finding codes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTemplate } from '../../templates/index.js';
import { cli } from '../train/helpers/cli.js';

let clean: string;
let broken: string;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'snn-validate-'));
  clean = join(dir, 'spikformer.snn.json');
  writeFileSync(clean, JSON.stringify(buildTemplate('spikformer', 'tiny')));
  const doc = buildTemplate('spikformer', 'tiny');
  broken = join(dir, 'broken.snn.json');
  writeFileSync(broken, JSON.stringify({ ...doc, edges: doc.edges.slice(1) }));
});

describe('snn-studio validate', () => {
  it('a template is valid with 0 errors and 0 warnings; its design facts are summarised once', async () => {
    const r = await cli(['validate', clean]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${clean}: 88% of MACs spike-driven; 4 layers read spike counts (--info lists the 4 design facts)`);
    expect(r.stdout).toContain(`${clean}: valid (8 nodes, 28,966 parameters; 0 errors, 0 warnings)`);
  });

  it('--info lists each design fact with its severity and its place named once', async () => {
    const r = await cli(['validate', clean, '--info']);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(`${clean}: info: nodes[3] "block1" › nodes[1] "attn" › nodes[1] "q_linear": accumulates counts (up to 2 ACs per input): it reads spike counts, not binary spikes`);
  });

  it('an error is tagged as one and the exit code is 1', async () => {
    const r = await cli(['validate', broken]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/: error: nodes\[\d+\] "[^"]+": input port "in" is not connected/);
    expect(r.stderr).toContain(`${broken}: invalid (1 error, 0 warnings)`);
  });

  it('--json carries counts by severity, the summary and each finding with its severity and code', async () => {
    const r = await cli(['validate', clean, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { ok: boolean; counts: Record<string, number>; summary: string; problems: { severity: string; code?: string; inner?: string[] }[] };
    expect(j.ok).toBe(true);
    expect(j.counts).toEqual({ error: 0, warning: 0, info: 4 });
    expect(j.summary).toBe('88% of MACs spike-driven; 4 layers read spike counts');
    expect(j.problems).toHaveLength(4);
    expect(j.problems[0]).toMatchObject({ severity: 'info', code: 'macs-on-counts', inner: ['attn', 'q_linear'] });
  });

  it('--help prints the options and an example', async () => {
    const r = await cli(['validate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--json');
    expect(r.stdout).toContain('example: snn-studio validate');
  });
});
