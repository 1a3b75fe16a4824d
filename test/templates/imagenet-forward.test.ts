/**
 * ImageNet-size forward passes (224×224, batch 1) on ONNX Runtime, every ImageNet preset of every
 * template: 1–25 s each on two CPU cores (compile, session, run), so they live apart from the
 * per-template tests. `npm run bench -- templates` times the same presets.
 */
import { describe, it } from 'vitest';
import { buildTemplate, listTemplates } from '../../templates/index.js';
import { classesOf, expectForward } from './helpers.js';

describe('ImageNet-size compile and forward pass', () => {
  for (const t of listTemplates()) {
    for (const preset of t.presets.filter((p) => p.dataset === 'ImageNet-1K')) {
      it(`${t.id} ${preset.name}`, async () => {
        const doc = buildTemplate(t.id, preset.name);
        await expectForward(doc, classesOf(doc));
      }, 180_000);
    }
  }
});
