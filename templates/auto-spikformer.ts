/**
 * `auto-spikformer`: Auto-Spikformer (Che et al., 2023/2024), spec §8.2. The searched models are
 * Spikformer CIFAR models with per-block genes: MLP ratio (here), τ and V_th (the spikformer_block
 * parameters `tau` and `mlpThreshold`, defaults where the released configs do not set them).
 */
import { DATASETS } from './datasets.js';
import { templateDocument } from './document.js';
import { SPIKFORMER_TRAINING, spikformerGraph, type SpikformerModel } from './spikformer.js';
import type { PresetInfo, Template } from './types.js';

interface Row {
  readonly info: PresetInfo;
  readonly model: SpikformerModel;
}

const row = (name: string, label: string, layers: number, dim: number, mlpRatios: readonly number[]): Row => ({
  info: { name, label: `Auto-Spikformer ${label}, CIFAR100`, config: `Auto-Spikformer-${layers}-${dim} (released YAML)`, dataset: 'CIFAR100', timeSteps: 4, reportedTop1: null, params: null },
  // 12 heads everywhere: the released attention keeps the constructed head count whatever the heads gene says
  model: { layers, dim, heads: 12, flavour: 'cifar', data: 'cifar100', mlpRatios },
});

const ROWS: readonly Row[] = [
  row('4-240-cifar100', '4-240, MLP 3.5/3/3.5/3.5', 4, 240, [3.5, 3, 3.5, 3.5]),
  row('2-384-cifar100', '2-384, MLP 3.5/3', 2, 384, [3.5, 3]),
  row('4-240-mlp4-cifar100', '4-240, MLP 4/4/3.5/4', 4, 240, [4, 4, 3.5, 4]),
  row('supernet-cifar100', 'supernet (4-384, MLP 4)', 4, 384, [4, 4, 4, 4]),
];

const SEARCH_NOTE =
  'Retraining recipe not released: Spikformer\'s CIFAR recipe is assumed. Search as released: the supernet trains 2000 epochs on CIFAR100 sampling one sub-network per iteration; evolution with population 50, top-k 10, 20 generations, 25 mutations (gene probability 0.2; depth, D and T 0.4) and 25 crossovers per generation; the released fitness is validation top-1 only.';

export const autoSpikformer: Template = {
  id: 'auto-spikformer',
  label: 'Auto-Spikformer',
  description:
    'Spikformer sub-networks found by evolutionary search over depth, width, MLP ratio, heads, T, V_th and τ (weight-entangled supernet). Presets are the architectures of the released YAMLs (their accuracy is not reported there, and T is an assumption: 4). Facts of the released code kept here: the heads gene is inert (12 heads), V_th is written only into each block\'s first MLP LIF (mlpThreshold) and τ into all LIFs of the block (tau). The paper\'s accuracy-energy fitness F_AEB is not in the code. Head: the supernet\'s (Spikformer CIFAR), the last block\'s spike counts → mean over tokens → mean over T → Linear, with no neuron after the last block. Released code against the paper: the super-BN layers (the SPS\'s last two BNs and every BN in the blocks) call batch_norm with training=True always (momentum 0.9), so the released model normalises with batch statistics even when it evaluates; these presets use running statistics at inference, as Spikformer does. Neuron walks (QKFormer\'s released SSA runs its projection LIF over merged T·B rows): in the released supernet every LIF (multi-step mode) runs over T per sample.',
  paper: {
    title: 'Auto-Spikformer: Spikformer Architecture Search',
    venue: 'Frontiers in Neuroscience',
    year: 2024,
    link: 'https://arxiv.org/abs/2306.00807',
  },
  presets: ROWS.map((r) => r.info),
  build: (preset) => {
    const r = ROWS.find((x) => x.info.name === preset.name)!;
    return templateDocument({
      template: autoSpikformer,
      preset,
      name: preset.label,
      description: `${preset.config}: SPS → ${r.model.layers} Spikformer blocks with MLP ratios ${r.model.mlpRatios!.join('/')}, D=${r.model.dim}, T=${preset.timeSteps} (assumed).`,
      data: DATASETS[r.model.data],
      graph: spikformerGraph(r.model),
      training: { ...SPIKFORMER_TRAINING.cifar, notes: SEARCH_NOTE },
    });
  },
};
