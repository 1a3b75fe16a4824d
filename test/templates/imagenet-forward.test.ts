/**
 * ImageNet-size forward passes (224×224, batch 1) on ONNX Runtime: 7–25 s each on two CPU cores
 * (compile, session, run), so they live apart from the per-template tests. One per template — its
 * largest ImageNet preset by MACs; the others share its blocks at smaller widths or depths.
 */
import { describe, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { buildTemplate, listTemplates } from '../../templates/index.js';
import { classesOf, expectForward } from './helpers.js';

describe('ImageNet-size compile and forward pass', () => {
  for (const t of listTemplates()) {
    const imagenet = t.presets.filter((p) => p.dataset === 'ImageNet-1K');
    if (imagenet.length === 0) continue;
    const largest = imagenet
      .map((p) => ({ p, macs: analyseDocument(buildTemplate(t.id, p.name)).macs }))
      .reduce((a, b) => (b.macs > a.macs ? b : a)).p;
    it(`${t.id} ${largest.name}`, async () => {
      const doc = buildTemplate(t.id, largest.name);
      await expectForward(doc, classesOf(doc));
    }, 180_000);
  }
});
