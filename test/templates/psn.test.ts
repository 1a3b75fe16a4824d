/**
 * PSN presets: parameter counts from the spec's layer lists (§1.3), written out here independently
 * of the builder; the neurons each network uses; a training step of the tiny CSNN (a PSN right after
 * the direct encoder); forward passes for the small presets.
 */
import { describe, expect, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { optimizerSpec } from '../../engine/core/train/optimizer.js';
import { TrainingRun } from '../../engine/runtime/train/index.js';
import { psn } from '../../templates/psn.js';
import { random, uniform } from '../train/helpers/ir-session.js';
import { describeForwardPasses, describePresets } from './helpers.js';

const conv = (cin: number, cout: number, k: number, bias: boolean) => cin * cout * k * k + (bias ? cout : 0);
const bn = (c: number) => 2 * c;
const linear = (inF: number, outF: number) => inF * outF + outF;
/** A PSN layer: W (T×T) and b (T), shared by all its neurons. */
const psnLayer = (T: number) => T * T + T;
/** A sliding PSN of order k: k weights and one bias. */
const slidingPsn = (k: number) => k + 1;

/** 2 × [3 × (Conv3×3 no bias → BN → PSN)] + pools, Flatten → Linear(F→F/4) → PSN → Linear(F/4→10). */
function csnnCount(inChannels: number, channels: number, side: number, T: number): number {
  const convs = conv(inChannels, channels, 3, false) + 5 * conv(channels, channels, 3, false);
  const flat = channels * side * side;
  return convs + 6 * bn(channels) + 7 * psnLayer(T) + linear(flat, flat / 4) + linear(flat / 4, 10);
}

/** VGG 2→64→128→P→256→256→P→512→512→P→512→512→P (convs with bias), sliding PSN k=2, Linear(512·3·3→10). */
function dvsVggCount(): number {
  const widths = [2, 64, 128, 256, 256, 512, 512, 512, 512];
  let n = 0;
  for (let i = 1; i < widths.length; i++) n += conv(widths[i - 1]!, widths[i]!, 3, true) + bn(widths[i]!) + slidingPsn(2);
  return n + linear(512 * 3 * 3, 10);
}

const CIFAR10 = csnnCount(3, 256, 8, 4);
const DVS = dvsVggCount();

describe('psn: the spec arithmetic', () => {
  it('CIFAR10 CSNN: 70,113,174 parameters; the DVS VGG 9,271,522 at every T (sliding PSN weights do not grow with T)', () => {
    expect(CIFAR10).toBe(70_113_174);
    expect(DVS).toBe(9_271_522);
  });
});

describePresets(psn, {
  exact: {
    cifar10: CIFAR10,
    cifar10dvs: DVS,
    'cifar10dvs-t8': DVS,
    'cifar10dvs-t10': DVS,
    // torchvision ResNet-18/34 (11,689,512 / 21,797,672) plus T² + T = 20 per PSN layer (20 / 36 layers)
    'sew-resnet18': 11_689_512 + 20 * psnLayer(4),
    'sew-resnet34': 21_797_672 + 36 * psnLayer(4),
    // the CIFAR10 CSNN at 16 channels on 1×28×28 digits: 7×7 after the pools
    tiny: csnnCount(1, 16, 7, 4),
  },
});

describe('psn: neurons and readouts', () => {
  const build = (name: string) => psn.build(psn.presets.find((p) => p.name === name)!);

  it('CIFAR10: seven PSN layers and a readout averaged over T; CIFAR10-DVS: sliding PSN (k=2, exp init) and per-step logits for TET', () => {
    const cifar = build('cifar10');
    expect(cifar.nodes.filter((n) => n.block === 'psn')).toHaveLength(7);
    expect(analyseDocument(cifar).output).toMatchObject({ shape: [10], timed: false });
    const dvs = build('cifar10dvs-t10');
    const sliding = dvs.nodes.filter((n) => n.block === 'sliding_psn');
    expect(sliding).toHaveLength(8);
    expect(analyseDocument(dvs).output).toMatchObject({ shape: [10], timed: true });
    expect(dvs.training?.loss).toBe('tet');
    expect(dvs.timeSteps).toBe(10);
    expect(analyseDocument(dvs).body.byId.get('flatten')!.outputs.out!.shape).toEqual([512 * 3 * 3]);
  });

  it('the CIFAR10 input uses the normalisation of the released training script', () => {
    expect(build('cifar10').input.normalize).toEqual({ mean: [0.4914, 0.4822, 0.4465], std: [0.2023, 0.1994, 0.201] });
  });
});

describe('psn: training', () => {
  // the direct-encoded image repeats over T, and the layers before the first neuron run once on B;
  // the PSN's H = W·X contracts over T, so hoisting must stop there — with or without it, one step agrees
  it('tiny takes the same Adam step with and without hoisting the layers over the repeated input', async () => {
    const doc = psn.build(psn.presets.find((p) => p.name === 'tiny')!);
    const B = 2;
    const rnd = random(7);
    const x = uniform(B * 28 * 28, rnd, 0, 1);
    const y = Int32Array.from({ length: B }, (_, i) => i);
    const losses: number[] = [];
    for (const hoistRepeats of [false, true]) {
      const run = await TrainingRun.create(doc, { batch: B, threads: 1, seed: 1, loss: { kind: 'ce', labelSmoothing: 0.1 }, optimizer: optimizerSpec('adam'), hoistRepeats });
      losses.push((await run.step(x, y, 1e-3)).loss);
      await run.close();
    }
    expect(Number.isFinite(losses[0])).toBe(true);
    expect(losses[1]).toBeCloseTo(losses[0]!, 5);
  }, 60_000);
});

// one DVS forward (T=10) stands for the three: the same network at another T
describeForwardPasses(psn, (p) => p.dataset === 'ImageNet-1K' || p.name === 'cifar10dvs' || p.name === 'cifar10dvs-t8');
