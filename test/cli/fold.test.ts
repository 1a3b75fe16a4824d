/**
 * The CLI's side of issue 18: `info --json` carries the MACs as built and as deployed (linear
 * chains on spikes folded) and each folded chain; `compile` folds by default, `--fold all` gives
 * the deployed form, `--no-fold` the training form op for op, and a wrong flag is a usage error.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { buildTemplate } from '../../templates/index.js';
import { cli } from '../train/helpers/cli.js';

let dir: string;
let meta: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'snn-fold-'));
  meta = join(dir, 'meta.snn.json');
  writeFileSync(meta, JSON.stringify(buildTemplate('meta-spikeformer', 'tiny')));
});

describe('info', () => {
  it('--json carries MACs as built and folded, spikeMacs of the folded form, and the chains', async () => {
    const r = await cli(['info', meta, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { macs: number; foldedMacs: number; spikeMacs: number; foldedChains: { layers: string[]; folds: string; macs: number; foldedMacs: number }[] };
    const a = analyseDocument(buildTemplate('meta-spikeformer', 'tiny'));
    expect([j.macs, j.foldedMacs, j.spikeMacs]).toEqual([a.macs, a.foldedMacs, a.spikeMacs]);
    expect(j.foldedMacs).toBeGreaterThan(j.macs);
    expect(j.foldedChains).toHaveLength(a.foldedChains.length);
    const q = j.foldedChains.find((c) => c.layers[0] === 'block3_1/q_conv/conv1x1')!;
    expect(q.folds).toMatch(/^RepConv "q_conv" and "q_bn" fold to one 3×3 conv, 32→32, on spikes/);
    expect(q.layers.at(-1)).toBe('block3_1/q_bn');
  });
});

describe('compile', () => {
  it('folds by default, --fold all to the deployed form, --no-fold op for op', async () => {
    const nodes = async (...flags: string[]) => {
      const r = await cli(['compile', meta, '-o', join(dir, 'm.onnx'), ...flags]);
      expect(r.code, r.stderr).toBe(0);
      return Number(/: (\d+) ONNX nodes/.exec(r.stdout)![1]);
    };
    const [plain, cheaper, all] = [await nodes('--no-fold'), await nodes(), await nodes('--fold', 'all')];
    expect(cheaper).toBeLessThan(plain);
    expect(all).toBeLessThan(cheaper);
  });

  it('refuses a fold mode it does not know and contradicting flags (usage, exit 2)', async () => {
    const bad = await cli(['compile', meta, '-o', join(dir, 'x.onnx'), '--fold', 'some']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fold takes cheaper, all or none, got "some"');
    const both = await cli(['compile', meta, '-o', join(dir, 'x.onnx'), '--fold', 'all', '--no-fold']);
    expect(both.code).toBe(2);
  });
});
