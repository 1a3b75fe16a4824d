/** `snn-studio export` as a user runs it: each format written, a refusal listing every node and writing nothing, `--check`. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../train/helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'snn-export-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('snn-studio export', () => {
  it('refuses lif-cnn for NIR with the lint, exit 1, and leaves no file behind', async () => {
    const out = join(work, 'refused', 'model.nir');
    const r = await cli(['export', 'lif-cnn', '--format', 'nir', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing written');
    expect(r.stderr).toContain('pool1 (maxpool2d): max pooling');
    expect(r.stderr).toContain('pool2 (maxpool2d): max pooling');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(work, 'refused')) ? readdirSync(join(work, 'refused')) : []).toEqual([]);
  }, 60_000);

  it('--check prints the lint without writing', async () => {
    const r = await cli(['export', 'spikformer:tiny', '--format', 'pytorch', '--check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pytorch can hold every node');
    const nir = await cli(['export', 'psn:tiny', '--format', 'nir', '--check']);
    expect(nir.code).toBe(1);
    expect(nir.stdout).toMatch(/\(psn\): parallel spiking neuron/);
  }, 60_000);

  it('writes ONNX and a PyTorch directory; an unknown format is a usage error', async () => {
    const onnx = await cli(['export', 'lif-cnn', '--format', 'onnx', '-o', join(work, 'm.onnx')]);
    expect(onnx.code, onnx.stderr).toBe(0);
    expect(existsSync(join(work, 'm.onnx'))).toBe(true);
    const torch = await cli(['export', 'spikformer:tiny', '--format', 'pytorch', '-o', join(work, 'spk')]);
    expect(torch.code, torch.stderr).toBe(0);
    expect(readdirSync(join(work, 'spk')).sort()).toEqual(['README.md', 'model.py', 'safetensors_reader.py', 'train.py', 'weights.safetensors']);
    // no temporary directory is left beside the export
    expect(readdirSync(work).filter((n) => n.startsWith('.'))).toEqual([]);
    const bad = await cli(['export', 'lif-cnn', '--format', 'tflite', '-o', join(work, 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of onnx, pytorch, nir');
  }, 90_000);
});
