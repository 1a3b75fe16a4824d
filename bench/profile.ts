/**
 * Where the time goes, from ONNX Runtime's own profiler:
 *
 *   npx tsx bench/profile.ts <template> [preset] [batch] [runs]     inference, e.g. spikformer 4-384 1 10
 *   npx tsx bench/profile.ts train <cnn|spikformer> [runs] [T]      one training step of the bench's models (T: the Spikformer's)
 *   npx tsx bench/profile.ts train <template>/<preset> [runs]       one training step of a preset with its own recipe
 *
 * Runs the model with `enableProfiling` and prints kernel time per ONNX op type (ms per run and
 * share, from each node's median over the runs) and the slowest single nodes with their shapes
 * (TOP=<n> of them, default 10). KEEP=1 keeps ONNX Runtime's trace file and prints its path.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initializeParams } from '../engine/core/init/initialize.js';
import { STEP_COUNT, STEP_INPUT, STEP_LABELS, STEP_LR } from '../engine/core/train/names.js';
import { optimizerSpec } from '../engine/core/train/optimizer.js';
import { compileInference } from '../engine/runtime/compile.js';
import { floatTensor, ort } from '../engine/runtime/session.js';
import { compileTrainStep } from '../engine/runtime/train/compile.js';
import { resolveTrainOptions } from '../engine/runtime/train/options.js';
import { lifCnn } from '../templates/lif-cnn.js';
import { buildTemplate } from '../templates/index.js';
import { benchSpikformer } from './suites/training/probe.js';

interface TraceEvent {
  readonly cat?: string;
  readonly name: string;
  readonly dur: number;
  readonly args?: { op_name?: string; input_type_shape?: unknown; output_type_shape?: unknown };
}

interface Profiled {
  readonly title: string;
  readonly bytes: Uint8Array;
  readonly feeds: Record<string, ort.Tensor>;
  /** As the app's session for this graph (engine/runtime/session.ts): off for the training step. */
  readonly memoryPattern: boolean;
}

const args = process.argv.slice(2);
const target = args[0] === 'train' ? trainingStep(args[1] ?? 'cnn', args[3] === undefined ? undefined : Number(args[3])) : inference(args[0] ?? 'spikformer', args[1] || undefined, Number(args[2] ?? 1));
const runs = Number(args[0] === 'train' ? (args[2] ?? 6) : (args[3] ?? 10));
await profile(target, runs, Number(process.env.TOP ?? 10));

function inference(template: string, preset: string | undefined, batch: number): Profiled {
  const compiled = compileInference(buildTemplate(template, preset), { batch });
  const x = Float32Array.from({ length: compiled.inputShape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i));
  return {
    title: `${template}/${preset ?? '(default)'} batch ${batch}: ${((compiled.analysis.macs * batch) / 1e9).toFixed(2)} GMAC`,
    bytes: compiled.bytes,
    feeds: { input: floatTensor(x, compiled.inputShape) },
    memoryPattern: true,
  };
}

/** The training suite's step (bench/suites/training/probe.ts), fed a fixed batch. */
function trainingStep(model: string, T?: number): Profiled {
  const cnn = model === 'cnn';
  const bench = cnn || model === 'spikformer';
  // any other model is a template/preset trained with its own recipe (the tiny-learning tests' steps)
  const [template, preset] = model.split('/') as [string, string | undefined];
  const doc = cnn ? lifCnn() : bench ? benchSpikformer({ flavour: 'cifar', layers: 2, dim: 256, heads: 8, T: T ?? 4 }) : buildTemplate(template, preset);
  const recipe = bench ? undefined : resolveTrainOptions(doc, {});
  const batch = recipe?.batchSize ?? (cnn ? 64 : 32);
  const { step, bytes } = compileTrainStep(doc, { batch, loss: recipe?.loss ?? { kind: 'ce', labelSmoothing: 0 }, optimizer: recipe?.optimizer ?? optimizerSpec(cnn ? 'adam' : 'adamw') });
  const values = initializeParams(step.graph, 0);
  const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
  const feeds: Record<string, ort.Tensor> = {};
  for (const p of step.params) feeds[p.name] = floatTensor(values.get(p.name)!, p.shape);
  for (const [name, shape] of step.state) feeds[name] = floatTensor(new Float32Array(size(shape)), shape);
  for (const n of step.noise) feeds[n.name] = floatTensor(new Float32Array(size(n.shape)).fill(0.5), n.shape);
  feeds[STEP_INPUT] = floatTensor(Float32Array.from({ length: size(step.inputShape) }, (_, i) => (1 + Math.sin(i)) / 2), step.inputShape);
  feeds[STEP_LABELS] = new ort.Tensor('int64', BigInt64Array.from({ length: batch }, (_, i) => BigInt(i % 10)), [batch]);
  feeds[STEP_LR] = floatTensor(Float32Array.of(1e-3), []);
  feeds[STEP_COUNT] = floatTensor(Float32Array.of(1), []);
  return { title: `training step ${doc.name}, batch ${batch}`, bytes, feeds, memoryPattern: false };
}

async function profile(p: Profiled, runs: number, top: number): Promise<void> {
  const prefix = join(tmpdir(), `snn-profile-${process.pid}`);
  const session = await ort.InferenceSession.create(p.bytes, {
    intraOpNumThreads: 2,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    enableMemPattern: p.memoryPattern,
    enableProfiling: true,
    profileFilePrefix: prefix,
  });
  for (let i = 0; i <= runs; i++) await session.run(p.feeds);
  const file = ((session as unknown as { endProfiling?(): string }).endProfiling?.() ?? '') as string;
  await session.release();

  const path = file.startsWith('/') ? file : findProfile(prefix);
  const events = JSON.parse(readFileSync(path, 'utf8')) as TraceEvent[];
  if (process.env.KEEP) console.log('trace kept:', path);
  else rmSync(path, { force: true });
  // the first run (allocations, first-touch pages) is left out of both the run times and the kernels
  const modelRuns = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  const firstEnd = modelRuns[0] ? (modelRuns[0] as TraceEvent & { ts: number }).ts + modelRuns[0].dur : 0;
  const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time') && (e as TraceEvent & { ts: number }).ts > firstEnd);
  // each node's median over the runs: one stalled run (this host has had 5× outliers) would
  // otherwise swamp the means
  const perNode = new Map<string, { us: number[]; op: string; shapes: string }>();
  for (const k of kernels) {
    const node = perNode.get(k.name) ?? { us: [], op: k.args?.op_name ?? '?', shapes: `${JSON.stringify(k.args?.input_type_shape)} → ${JSON.stringify(k.args?.output_type_shape)}` };
    node.us.push(k.dur);
    perNode.set(k.name, node);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  // per run: each node's median, each op's sum of its nodes' medians
  const byNode = new Map<string, { us: number; op: string; shapes: string }>();
  const byOp = new Map<string, { us: number; nodes: number }>();
  for (const [name, n] of perNode) {
    const us = median(n.us);
    byNode.set(name, { us, op: n.op, shapes: n.shapes });
    const o = byOp.get(n.op) ?? { us: 0, nodes: 0 };
    o.us += us;
    o.nodes++;
    byOp.set(n.op, o);
  }
  const total = [...byOp.values()].reduce((s, o) => s + o.us, 0);
  const runMs = modelRuns.slice(1).map((e) => e.dur / 1000).sort((a, b) => a - b);
  console.log(`${p.title}; model_run median ${runMs[runMs.length >> 1]?.toFixed(1)} ms over ${runMs.length} runs; kernels ${(total / 1000).toFixed(1)} ms/run (node medians)`);
  for (const [op, o] of [...byOp].sort((a, b) => b[1].us - a[1].us).slice(0, 20)) {
    console.log(`  ${op.padEnd(24)} ${(o.us / 1000).toFixed(2).padStart(9)} ms/run  ${((100 * o.us) / total).toFixed(1).padStart(5)}%  ${o.nodes} nodes`);
  }
  console.log('slowest nodes:');
  const only = process.env.OP;
  for (const [name, o] of [...byNode].filter(([, o]) => only === undefined || o.op === only).sort((a, b) => b[1].us - a[1].us).slice(0, top)) {
    console.log(`  ${(o.us / 1000).toFixed(2).padStart(8)} ms  ${o.op.padEnd(20)} ${name.replace(/_kernel_time$/, '')}  ${o.shapes}`);
  }
}

function findProfile(p: string): string {
  const dir = tmpdir();
  const base = p.slice(dir.length + 1);
  const hit = readdirSync(dir).find((f) => f.startsWith(base) && f.endsWith('.json'));
  if (!hit) throw new Error(`no profile file ${p}*.json`);
  return join(dir, hit);
}
