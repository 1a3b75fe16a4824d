/**
 * One training-speed measurement in a process of its own (so peak RSS is this model's alone):
 * `tsx bench/suites/training/probe.ts <cnn|spikformer> <threads> <steps> <warmup>` prints
 * {msPerStep, msMin, imagesPerSecond, peakRssMb, compileMs, otherLoad} as one JSON line. Lives
 * below suites/ so that bench/run.ts does not take it for a suite.
 */
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { optimizerSpec } from '../../../engine/core/train/optimizer.js';
import { TrainingRun } from '../../../engine/runtime/train/index.js';
import { DATASETS } from '../../../templates/datasets.js';
import { lifCnn } from '../../../templates/lif-cnn.js';
import { spikformerGraph } from '../../../templates/spikformer.js';
import { cpuSnapshot, otherLoad } from '../../cpu.js';
import { peakRssMb } from '../../memory.js';

/** The benchmark's Spikformer: CIFAR SPS, D = 256, 2 blocks, 8 heads, 32×32, T = 4. */
export function benchSpikformer(): GraphDocument {
  const g = spikformerGraph({ layers: 2, dim: 256, heads: 8, flavour: 'cifar', data: 'cifar10' });
  return { format: 'snn-studio/graph', version: 1, name: 'Spikformer-2-256 (bench)', timeSteps: 4, input: structuredClone(DATASETS.cifar10.input), nodes: [...g.nodes], edges: [...g.edges] };
}

async function main(): Promise<void> {
  const [model = 'cnn', threadsArg = '2', stepsArg = '20', warmupArg = '5'] = process.argv.slice(2);
  const cnn = model === 'cnn';
  const doc = cnn ? lifCnn() : benchSpikformer();
  const batch = cnn ? 64 : 32;
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
  await run.close();
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)]!;
  process.stdout.write(`${JSON.stringify({ msPerStep: ms, msMin: times[0], imagesPerSecond: (batch * 1000) / ms, peakRssMb: peakRssMb(), compileMs, otherLoad: load })}\n`);
}

if (process.argv[1]?.endsWith('probe.ts')) await main();
