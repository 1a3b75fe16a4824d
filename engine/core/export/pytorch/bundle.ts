/**
 * The text files of a PyTorch export directory: model.py, train.py, safetensors_reader.py and a
 * README. The weights (weights.safetensors) are the runtime's to write; their names are the
 * engine's parameter names, which model.py's module tree reproduces.
 */
import type { GraphDocument } from '../../document/schema.js';
import type { GraphAnalysis } from '../../graph/infer.js';
import { requireExportable } from '../lint.js';
import { modelPy } from './model-py.js';
import { SAFETENSORS_READER_PY } from './reader-py.js';
import { trainPy, type Recipe } from './train-py.js';

export type { Recipe } from './train-py.js';

export const PYTORCH_WEIGHTS_FILE = 'weights.safetensors';
export const PYTORCH_MODEL_FILE = 'model.py';

export function pytorchFiles(doc: GraphDocument, analysis: GraphAnalysis, recipe: Recipe, decayed: readonly string[]): Record<string, string> {
  requireExportable(doc, 'pytorch', analysis);
  return {
    [PYTORCH_MODEL_FILE]: modelPy(doc, analysis),
    'train.py': trainPy(recipe, decayed, doc.input.shape),
    'safetensors_reader.py': SAFETENSORS_READER_PY,
    'README.md': readme(doc, recipe),
  };
}

function readme(doc: GraphDocument, r: Recipe): string {
  const input = doc.input.kind === 'events' ? `[T, B, ${doc.input.shape.join(', ')}] event frames` : `[B, ${doc.input.shape.join(', ')}]`;
  return `# ${doc.name} — PyTorch export from SNN Studio

- \`model.py\`: the network in plain PyTorch (no SpikingJelly), one \`nn.Module\` per block kind, one
  class per composite block, and \`Model\`. Activations are time-major \`[T, B, ...]\` (T = ${doc.timeSteps});
  stateless layers run on the T·B-merged batch; the neurons charge, fire and reset step by step with
  the engine's surrogate gradients. Input ${input}${doc.input.normalize ? ', normalised by NORMALIZE in model.py' : ''}; output: logits \`[B, classes]\`.
- \`weights.safetensors\`: the weights, named as the engine names them (= \`Model().state_dict()\` keys).
  \`model.load_weights(Model(), "weights.safetensors")\` loads them, with the \`safetensors\` package
  or, without it, \`safetensors_reader.py\` (numpy only).
- \`train.py\`: the document's recipe — ${r.optimizer.name}, lr ${r.schedule.lr} (${r.schedule.kind}${r.schedule.warmupEpochs ? `, ${r.schedule.warmupEpochs} warmup epochs` : ''}), ${r.loss.kind} loss, batch ${r.batchSize}, ${r.epochs} epochs.

## Run

\`\`\`sh
python3 -c "import torch, model; m = model.load_weights(model.Model(), 'weights.safetensors'); print(m(torch.rand(2, ${doc.input.shape.join(', ')})).shape)"
python3 train.py --data train.npz --test test.npz                     # one process
torchrun --nproc_per_node 4 train.py --data train.npz --test test.npz # DistributedDataParallel
\`\`\`

\`train.npz\` holds \`x\` (float32, \`[N, ${doc.input.shape.join(', ')}]\`, normalised as the model expects) and \`y\`
(int64 labels). Under torchrun the recipe's batch (${r.batchSize}) is the global batch, split over the
processes; each process reads its share through a DistributedSampler; gloo on CPU, nccl on GPUs
(\`--backend\` to choose). Rank 0 writes \`trained.pt\` (a state_dict with the same names) at the end,
which \`snn-studio import <doc> --weights trained.pt\` brings back into the app.

PyTorch 1.13 under Python 3.11 (Debian 12's): torchrun's default \`--redirects 0\` / \`--tee 0\` fail
there (\`'NoneType' object has no attribute 'get'\`: the 0 flag is no longer iterable in 3.11's enums);
give any other value, e.g. \`torchrun --redirects 0:1,1:1 --tee 0:1,1:1 --nproc_per_node 2 train.py ...\`.
`;
}
