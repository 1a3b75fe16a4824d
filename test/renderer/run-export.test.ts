/**
 * The run list's document mark and the export report: the renderer's WebCrypto hash equals the
 * hash runs record (engine/runtime/hash.ts), and the status bar's line says which weights were
 * exported and whether the reloaded model predicts as the training engine does.
 */
import { describe, expect, it } from 'vitest';
import { documentHash as runtimeHash } from '../../engine/runtime/hash.js';
import { documentHash } from '../../renderer/src/run/document-hash.js';
import { exportReport } from '../../renderer/src/run/export-model.js';
import { buildTemplate } from '../../templates/index.js';
import { cnn } from './fixtures.js';

describe('document hash', () => {
  it('equals the runtime’s for templates and an edited document, and ignores node positions', async () => {
    const docs = [cnn(), buildTemplate('spikformer', 'tiny'), { ...cnn(), training: { lr: 0.01, epochs: 1 } }];
    for (const doc of docs) expect(await documentHash(doc)).toBe(runtimeHash(doc));
    const moved = { ...cnn(), nodes: cnn().nodes.map((n) => ({ ...n, position: { x: 1, y: 2 } })) };
    expect(await documentHash(moved)).toBe(await documentHash(cnn()));
    expect(await documentHash({ ...cnn(), timeSteps: 9 })).not.toBe(await documentHash(cnn()));
  });
});

describe('export report', () => {
  const result = { path: '/home/u/model.onnx', bytes: 1000, inputShape: [1, 1, 28, 28], outputShape: [1, 10], checkpoint: '/runs/a/ckpt.json' };

  it('names the file, the weights and the check on 32 samples', () => {
    expect(exportReport({ ...result, verified: { samples: 32, samePredictions: 32, maxAbsDiff: 1e-6 } }, 'weights of run lif-cnn-1')).toEqual({
      ok: true,
      text: "Exported model.onnx (weights of run lif-cnn-1): predictions on 32 test samples equal the training engine's",
    });
  });

  it('says seeded, untrained weights when the host exported no checkpoint', () => {
    expect(exportReport({ ...result, checkpoint: null, verified: { samples: 32, samePredictions: 32, maxAbsDiff: 0 } }, 'weights of run x').text).toContain('(seeded, untrained weights)');
  });

  it('is an error when predictions differ, and says when nothing was checked', () => {
    const bad = exportReport({ ...result, verified: { samples: 32, samePredictions: 30, maxAbsDiff: 0.25 } }, 'w');
    expect(bad.ok).toBe(false);
    expect(bad.text).toContain('differ from the training engine\'s on 2 of 32 test samples (max |Δ| 0.250)');
    expect(exportReport({ ...result, verified: null }, 'w').text).toContain('not checked against the training engine');
  });
});
