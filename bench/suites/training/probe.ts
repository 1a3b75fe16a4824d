/**
 * One training-speed measurement in a process of its own (so peak RSS is this model's alone):
 * `tsx bench/suites/training/probe.ts <cnn|spikformer> <threads> <steps> <warmup> [options]` prints
 * {msPerStep, msMin, imagesPerSecond, peakRssMb, compileMs, otherLoad, denseGmac} as one JSON line
 * (denseGmac: the step's matrix-product and convolution work, bench/ceiling.ts). Lives
 * below suites/ so that bench/run.ts does not take it for a suite. The Spikformer's shape comes
 * from --flavour cifar|imagenet --layers --dim --heads --T --batch (the scaling suite's points);
 * without them it is the training suite's row (CIFAR, 2 blocks, D = 256, 8 heads, T = 4, batch 32).
 */
import { parseArgs } from 'node:util';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { optimizerSpec } from '../../../engine/core/train/optimizer.js';
import { TrainingRun } from '../../../engine/runtime/train/index.js';
import { DATASETS } from '../../../templates/datasets.js';
import { lifCnn } from '../../../templates/lif-cnn.js';
import { spikformerGraph } from '../../../templates/spikformer.js';
import { denseMacs } from '../../ceiling.js';
import { cpuSnapshot, otherLoad } from '../../cpu.js';
import { peakRssMb } from '../../memory.js';

export interface BenchSpikformerShape {
  readonly flavour: 'cifar' | 'imagenet';
  readonly layers: number;
  readonly dim: number;
  readonly heads: number;
  readonly T: number;
}

const TRAINING_ROW: BenchSpikformerShape = { flavour: 'cifar', layers: 2, dim: 256, heads: 8, T: 4 };

/** The benchmark's Spikformer: by default CIFAR SPS, D = 256, 2 blocks, 8 heads, 32×32, T = 4. */
export function benchSpikformer(shape: BenchSpikformerShape = TRAINING_ROW): GraphDocument {
  const data = shape.flavour === 'cifar' ? 'cifar10' : 'imagenet';
  const g = spikformerGraph({ layers: shape.layers, dim: shape.dim, heads: shape.heads, flavour: shape.flavour, data });
  return {
    format: 'snn-studio/graph',
    version: 1,
    name: `Spikformer-${shape.layers}-${shape.dim} (bench)`,
    timeSteps: shape.T,
    input: structuredClone(DATASETS[data].input),
    nodes: [...g.nodes],
    edges: [...g.edges],
  };
}

const positiveInt = (name: string, v: string | undefined, fallback: number): number => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`probe.ts --${name}: expected a positive integer, got "${v}"`);
  return n;
};

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { flavour: { type: 'string' }, layers: { type: 'string' }, dim: { type: 'string' }, heads: { type: 'string' }, T: { type: 'string' }, batch: { type: 'string' } },
  });
  const [model = 'cnn', threadsArg = '2', stepsArg = '20', warmupArg = '5'] = positionals;
  const cnn = model === 'cnn';
  if (!cnn && model !== 'spikformer') throw new Error(`probe.ts: model must be cnn or spikformer, got "${model}"`);
  const flavour = values.flavour ?? 'cifar';
  if (flavour !== 'cifar' && flavour !== 'imagenet') throw new Error(`probe.ts --flavour: expected cifar or imagenet, got "${flavour}"`);
  const shape: BenchSpikformerShape = {
    flavour,
    layers: positiveInt('layers', values.layers, TRAINING_ROW.layers),
    dim: positiveInt('dim', values.dim, TRAINING_ROW.dim),
    heads: positiveInt('heads', values.heads, TRAINING_ROW.heads),
    T: positiveInt('T', values.T, TRAINING_ROW.T),
  };
  const doc = cnn ? lifCnn() : benchSpikformer(shape);
  const batch = positiveInt('batch', values.batch, cnn ? 64 : 32);
  const t0 = performance.now();
  const run = await TrainingRun.create(doc, {
    batch,
    threads: Number(threadsArg),
    loss: { kind: 'ce', labelSmoothing: 0 },
    optimizer: cnn ? optimizerSpec('adam') : optimizerSpec('adamw'),
  });
  const compileMs = performance.now() - t0;
  const sample = doc.input.shape.reduce((a, b) => a * b, 1);
  let seed = 1;
  const x = Float32Array.from({ length: batch * sample }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647));
  const y = Int32Array.from({ length: batch }, (_, i) => i % 10);
  const times: number[] = [];
  const steps = Number(stepsArg);
  const warmup = Number(warmupArg);
  let cpu0 = cpuSnapshot();
  for (let i = 0; i < warmup + steps; i++) {
    if (i === warmup) cpu0 = cpuSnapshot();
    const start = performance.now();
    await run.step(x, y, 1e-3);
    if (i >= warmup) times.push(performance.now() - start);
  }
  const load = otherLoad(cpu0, cpuSnapshot());
  const dense = denseMacs(run.compiled.step.graph);
  await run.close();
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)]!;
  process.stdout.write(`${JSON.stringify({ msPerStep: ms, msMin: times[0], imagesPerSecond: (batch * 1000) / ms, peakRssMb: peakRssMb(), compileMs, otherLoad: load, denseGmac: dense / 1e9 })}\n`);
}

if (process.argv[1]?.endsWith('probe.ts')) await main();
