/**
 * Meta-SpikeFormer batch-1 inference with its linear chains folded three ways (compile's
 * foldLinearChains): none (the training form op for op), 'cheaper' (the default: BNs into convs, no
 * fold that adds MACs) and 'all' (the deployed form: each RepConv one 3×3 conv, each SepConv's
 * depthwise→pointwise one dense 7×7). Rows per mode: compile time, and the median of
 * BENCH_FOLD_RUNS (default 3) timed forward passes after one warm-up, with the ONNX node count and
 * the MACs of the emitted model in the note. BENCH_FOLD_PRESET picks the preset (default 8-384, at
 * 224×224); BENCH_FOLD_MODES a comma list of none,cheaper,all. Sessions use BENCH_THREADS (2).
 */
import { numelOf } from '../../engine/core/ir/primitive.js';
import type { FoldMode } from '../../engine/core/optimize/fold-linear-chains.js';
import { Rng } from '../../engine/core/rng.js';
import { compileInference } from '../../engine/runtime/compile.js';
import { createSession, floatTensor } from '../../engine/runtime/session.js';
import { buildTemplate } from '../../templates/index.js';
import { cpuSnapshot, otherLoad, waitForQuiet } from '../cpu.js';
import type { BenchRow } from '../types.js';

const SUITE = 'fold';

export async function run(): Promise<BenchRow[]> {
  const preset = process.env.BENCH_FOLD_PRESET ?? '8-384';
  const runs = Math.max(1, Number(process.env.BENCH_FOLD_RUNS ?? 3));
  const threads = Number(process.env.BENCH_THREADS ?? 2);
  const modes = (process.env.BENCH_FOLD_MODES ?? 'none,cheaper,all').split(',') as ('none' | FoldMode)[];
  const doc = buildTemplate('meta-spikeformer', preset);
  const rows: BenchRow[] = [];
  const medians = new Map<string, number>();
  for (const mode of modes) {
    await waitForQuiet(3_000);
    const cpu0 = cpuSnapshot();
    const t0 = performance.now();
    const compiled = compileInference(doc, { batch: 1, foldLinearChains: mode === 'none' ? false : mode });
    const compileMs = performance.now() - t0;
    const session = await createSession(compiled.bytes, { threads });
    try {
      const rng = Rng.fromSeed(1);
      const x = Float32Array.from({ length: numelOf(compiled.inputShape) }, () => rng.uniform());
      const feeds = { input: floatTensor(x, compiled.inputShape) };
      await session.run(feeds);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await session.run(feeds);
        times.push(performance.now() - t);
      }
      const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
      medians.set(mode, median);
      const load = `${Math.round(100 * otherLoad(cpu0, cpuSnapshot()))}% other load`;
      const macs = mode === 'all' ? compiled.analysis.foldedMacs : mode === 'none' ? compiled.analysis.macs : undefined;
      const base = medians.get('none');
      const vs = base !== undefined && mode !== 'none' ? `; ${(base / median).toFixed(2)}× the unfolded speed` : '';
      const name = `meta-spikeformer ${preset} batch-1 inference, fold ${mode}`;
      rows.push(
        { suite: SUITE, name, value: median, unit: 'ms', note: `median of ${runs}; ${compiled.model.graph.nodes.length} ONNX nodes${macs ? `, ${(macs / 1e9).toFixed(1)} G MACs` : ''}${vs}; ${threads} threads; ${load}` },
        { suite: SUITE, name: `meta-spikeformer ${preset} compile, fold ${mode}`, value: compileMs, unit: 'ms', note: `${(compiled.bytes.length / 1e6).toFixed(0)} MB model` },
      );
      console.error(`[bench] fold ${mode}: compile ${compileMs.toFixed(0)} ms, forward ${times.map((t) => t.toFixed(0)).join('/')} ms`);
    } finally {
      await session.release();
    }
  }
  return rows;
}
