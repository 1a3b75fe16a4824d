/**
 * `snn-studio info` lists the findings as `validate --info` does: the spike-driven summary, then
 * every warning and design fact with its severity and its place; `--json` carries them with their
 * codes. Spikformer tiny's four count-reading layers are written out here from the architecture
 * (q/k/v read the spike-add residual's counts inside the attention, fc1 inside the MLP).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTemplate } from '../../templates/index.js';
import { cli } from '../train/helpers/cli.js';

let spikformer: string;
let lifCnn: string;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'snn-info-'));
  spikformer = join(dir, 'spikformer.snn.json');
  writeFileSync(spikformer, JSON.stringify(buildTemplate('spikformer', 'tiny')));
  lifCnn = join(dir, 'lif-cnn.snn.json');
  writeFileSync(lifCnn, JSON.stringify(buildTemplate('lif-cnn')));
});

const COUNT_READERS = [
  ['attn', 'nodes[1] "q_linear"', 2],
  ['attn', 'nodes[4] "k_linear"', 2],
  ['attn', 'nodes[7] "v_linear"', 2],
  ['mlp', 'nodes[1] "fc1_linear"', 3],
] as const;

describe('snn-studio info', () => {
  it('prints the summary and lists each design fact with its severity and place, like validate --info', async () => {
    const r = await cli(['info', spikformer]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    const head = lines.indexOf('88% of MACs spike-driven; 4 layers read spike counts');
    expect(head).toBeGreaterThan(0);
    expect(lines[head + 1]).toBe('0 warnings, 4 design facts:');
    const facts = lines.slice(head + 2);
    expect(facts).toEqual(
      COUNT_READERS.map(
        ([sub, inner, acs]) =>
          `  info: nodes[3] "block1" › nodes[${sub === 'attn' ? 1 : 3}] "${sub}" › ${inner}: accumulates counts (up to ${acs} ACs per input): it reads spike counts, not binary spikes`,
      ),
    );
    const validate = await cli(['validate', spikformer, '--info']);
    expect(validate.stderr.trim().split('\n').map((l) => `  ${l.slice(`${spikformer}: `.length)}`)).toEqual(facts);
  });

  it('a model whose layers all read binary spikes says so and lists nothing', async () => {
    const r = await cli(['info', lifCnn]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('0 warnings, 0 design facts');
  });

  it('--json carries the summary, counts by severity and each finding with severity and code', async () => {
    const r = await cli(['info', spikformer, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      summary: string;
      counts: Record<string, number>;
      findings: { severity: string; code: string; nodeId: string; inner: string[]; text: string }[];
    };
    expect(j.summary).toBe('88% of MACs spike-driven; 4 layers read spike counts');
    expect(j.counts).toEqual({ error: 0, warning: 0, info: 4 });
    expect(j.findings.map((f) => [f.severity, f.code, f.nodeId, ...f.inner])).toEqual([
      ['info', 'macs-on-counts', 'block1', 'attn', 'q_linear'],
      ['info', 'macs-on-counts', 'block1', 'attn', 'k_linear'],
      ['info', 'macs-on-counts', 'block1', 'attn', 'v_linear'],
      ['info', 'macs-on-counts', 'block1', 'mlp', 'fc1_linear'],
    ]);
    const validate = JSON.parse((await cli(['validate', spikformer, '--json'])).stdout) as { problems: unknown[] };
    expect(j.findings).toEqual(validate.problems);
  });

  it('--help prints the options and an example', async () => {
    const r = await cli(['info', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--json');
    expect(r.stdout).toContain('example: snn-studio info');
  });
});
