/**
 * The app's export and import reports: which blocks on screen the export lint marks (at the top
 * and inside an opened composite), the status line of a PyTorch or NIR export, file sizes, and an
 * import's ignored tensors grouped by rule.
 */
import { describe, expect, it } from 'vitest';
import { lintExport } from '../../engine/core/export/lint.js';
import { exportReasons } from '../../renderer/src/run/export-lint.js';
import { filesReport } from '../../renderer/src/run/export-model.js';
import { ignoredByRule } from '../../renderer/src/run/import-weights.js';
import { formatBytes } from '../../renderer/src/format.js';
import { buildTemplate } from '../../templates/index.js';

describe('export lint marks', () => {
  const findings = lintExport(buildTemplate('spikformer', 'tiny'), 'nir').findings;

  it('marks a top-level block for every refused node inside it, and not the blocks NIR can hold', () => {
    expect(exportReasons(findings, '', 'block1')).toContain('block1.attn.attn (ssa_core): attention: a product of two activations (matmul/Hadamard); NIR synapses multiply activations by weights only');
    expect(exportReasons(findings, '', 'block1').length).toBe(findings.filter((f) => f.nodeId === 'block1').length);
    expect(exportReasons(findings, '', 'head')).toEqual([]);
    expect(exportReasons(findings, '', 'encoder')).toEqual([]);
  });

  it('inside an opened block, marks the inner block that holds the node, by whole path segments', () => {
    expect(exportReasons(findings, 'block1', 'attn').some((r) => r.startsWith('block1.attn.attn '))).toBe(true);
    expect(exportReasons(findings, 'block1', 'attn').every((r) => r.startsWith('block1.attn.'))).toBe(true);
    // `attn_add` is a node of its own, not a part of `attn`
    expect(exportReasons(findings, 'block1', 'attn').some((r) => r.startsWith('block1.attn_add'))).toBe(false);
    expect(exportReasons(findings, 'block1', 'attn_add')).toHaveLength(1);
    expect(exportReasons(findings, 'block1.attn', 'attn')).toHaveLength(1);
  });

  it('marks nothing for PyTorch, which holds every block', () => {
    const doc = buildTemplate('spikformer', 'tiny');
    const none = lintExport(doc, 'pytorch').findings;
    for (const n of doc.nodes) expect(exportReasons(none, '', n.id)).toEqual([]);
  });
});

describe('export and import reports', () => {
  it('lists each file written with its size', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(14_200)).toBe('14.2 kB');
    expect(formatBytes(3_100_000)).toBe('3.1 MB');
    const text = filesReport({ format: 'pytorch', path: '/w/lif-pytorch', checkpoint: null, files: [{ path: '/w/lif-pytorch/model.py', bytes: 9100 }, { path: '/w/lif-pytorch/weights.safetensors', bytes: 1_240_000 }] });
    expect(text).toBe('Exported PyTorch (DDP) to lif-pytorch (seeded, untrained weights): model.py 9.1 kB, weights.safetensors 1.24 MB');
  });

  it('groups ignored tensors by the rule that ignores them', () => {
    const run = { name: 'a-1', label: 'Imported x.pth', path: '/r/a-1', createdAt: '', status: 'finished' as const, epochs: 0, plannedEpochs: 0, steps: 0, testAccuracy: null, bestTestAccuracy: null, latestCheckpoint: '/r/a-1/epoch-0000.json', documentHash: '' };
    const groups = ignoredByRule({
      run,
      file: '/x.pth',
      format: 'pytorch',
      mapped: 3,
      renamed: [],
      reshaped: [],
      ignored: [
        ['bn1.num_batches_tracked', 'a BatchNorm step counter'],
        ['bn2.num_batches_tracked', 'a BatchNorm step counter'],
        ['block.0.norm1.weight', 'unused in the released forward'],
      ],
    });
    expect(groups).toEqual([
      { why: 'a BatchNorm step counter', count: 2, example: 'bn1.num_batches_tracked' },
      { why: 'unused in the released forward', count: 1, example: 'block.0.norm1.weight' },
    ]);
  });
});
