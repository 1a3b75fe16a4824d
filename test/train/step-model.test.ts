// The training step is one standard ONNX model: default domain only, every op from the ONNX
// standard set, no giant constants (zero buffers come from ConstantOfShape; optimizer state is an
// input), and it passes the ONNX checker with full shape inference (Debian's python3-onnx, where
// present).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { skipping } from '../helpers/skip.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { emitOnnx } from '../../engine/core/onnx/emit.js';
import { optimizerSpec } from '../../engine/core/train/optimizer.js';
import { buildTrainStep } from '../../engine/core/train/step.js';
import { encodeModel } from '../../engine/runtime/onnx/encode.js';
import { buildTemplate } from '../../templates/index.js';
import { lifCnn } from '../../templates/lif-cnn.js';

const PYTHON = process.env.TORCH_REF_PYTHON ?? '/usr/bin/python3';
const checker = spawnSync(PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' });
const checkerSkip = checker.status === 0 ? null : `${PYTHON} cannot import onnx (Debian's python3-onnx)`;
skipping('step-model: the ONNX checker part of each case', checkerSkip);

const CASES = [
  ['lif-cnn, Adam, CE', () => lifCnn(), 'adam', 'ce'],
  ['spikformer tiny, AdamW, CE + label smoothing', () => buildTemplate('spikformer', 'tiny'), 'adamw', 'ce'],
  ['lif-cnn, LAMB, MSE of rates, clipping', () => lifCnn(), 'lamb', 'mse_rate'],
] as const;

describe('the training step model', () => {
  it.each(CASES)('%s: default domain, standard ops, small constants, passes the ONNX checker', async (_n, make, opt, loss) => {
    const doc = make();
    const step = buildTrainStep(doc, analyseDocument(doc), {
      batch: 16,
      loss: loss === 'ce' ? { kind: 'ce', labelSmoothing: 0.1 } : { kind: 'mse_rate' },
      optimizer: optimizerSpec(opt),
      ...(opt === 'lamb' ? { gradClip: 1 } : {}),
    });
    const model = emitOnnx(step.graph, { name: 'step' });
    expect(model.graph.nodes.every((n) => !('domain' in n))).toBe(true);
    // parameters are inputs, not baked in: float constants stay small; the int64 ones are shapes,
    // axes and the gathered conv gradient's indices (one per output pixel and kernel offset: 28·28·9)
    const largest = (type: string) => Math.max(0, ...model.graph.initializers.filter((t) => t.dataType === type).map((t) => t.data.length));
    expect(largest('float32')).toBeLessThan(4096);
    expect(largest('int64')).toBeLessThanOrEqual(28 * 28 * 9);
    const bytes = encodeModel(model);
    expect(bytes.length).toBeLessThan(1 << 20);
    if (checkerSkip) return;
    const dir = await mkdtemp(join(tmpdir(), 'snn-step-'));
    try {
      const file = join(dir, 'step.onnx');
      await writeFile(file, bytes);
      const r = spawnSync(PYTHON, ['-c', `import onnx, sys\nm = onnx.load(sys.argv[1])\nonnx.checker.check_model(m, full_check=True)\nprint(sorted({n.domain for n in m.graph.node}))`, file], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe("['']");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
