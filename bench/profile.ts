/**
 * Where inference time goes, from ONNX Runtime's own profiler:
 *
 *   npx tsx bench/profile.ts <template> [preset] [batch] [runs]     e.g. spikformer 4-384 1 10
 *
 * Compiles the template preset, runs it with `enableProfiling`, and prints kernel time per ONNX op
 * type (ms per run and share) and the slowest single nodes with their shapes.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileInference } from '../engine/runtime/compile.js';
import { floatTensor, ort } from '../engine/runtime/session.js';
import { buildTemplate } from '../templates/index.js';

interface TraceEvent {
  readonly cat?: string;
  readonly name: string;
  readonly dur: number;
  readonly args?: { op_name?: string; input_type_shape?: unknown; output_type_shape?: unknown };
}

const [template = 'spikformer', preset, batchArg = '1', runsArg = '10'] = process.argv.slice(2);
const batch = Number(batchArg);
const runs = Number(runsArg);
const compiled = compileInference(buildTemplate(template, preset), { batch });
const prefix = join(tmpdir(), `snn-profile-${process.pid}`);
const session = await ort.InferenceSession.create(compiled.bytes, {
  intraOpNumThreads: 2,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  enableProfiling: true,
  profileFilePrefix: prefix,
});
const x = Float32Array.from({ length: compiled.inputShape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i));
const feeds = { input: floatTensor(x, compiled.inputShape) };
await session.run(feeds);
for (let i = 0; i < runs; i++) await session.run(feeds);
const file = (session as unknown as { endProfiling(): string }).endProfiling?.() ?? '';
await session.release();

const path = file && file.startsWith('/') ? file : findProfile(prefix);
const events = JSON.parse(readFileSync(path, 'utf8')) as TraceEvent[];
rmSync(path, { force: true });
const modelRuns = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').slice(1);
const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'));
const n = runs + 1;
const byOp = new Map<string, { us: number; count: number }>();
const byNode = new Map<string, { us: number; op: string; shapes: string }>();
for (const k of kernels) {
  const op = k.args?.op_name ?? '?';
  const o = byOp.get(op) ?? { us: 0, count: 0 };
  o.us += k.dur;
  o.count++;
  byOp.set(op, o);
  const node = byNode.get(k.name) ?? { us: 0, op, shapes: `${JSON.stringify(k.args?.input_type_shape)} → ${JSON.stringify(k.args?.output_type_shape)}` };
  node.us += k.dur;
  byNode.set(k.name, node);
}
const total = [...byOp.values()].reduce((s, o) => s + o.us, 0);
const runMs = modelRuns.map((e) => e.dur / 1000).sort((a, b) => a - b);
console.log(`${template}/${preset ?? '(default)'} batch ${batch}: ${(compiled.analysis.macs * batch / 1e9).toFixed(2)} GMAC; model_run median ${runMs[runMs.length >> 1]?.toFixed(1)} ms over ${runMs.length} runs; kernels ${(total / 1000 / n).toFixed(1)} ms/run`);
for (const [op, o] of [...byOp].sort((a, b) => b[1].us - a[1].us).slice(0, 20)) {
  console.log(`  ${op.padEnd(24)} ${(o.us / 1000 / n).toFixed(2).padStart(9)} ms/run  ${((100 * o.us) / total).toFixed(1).padStart(5)}%  ${o.count / n} nodes`);
}
console.log('slowest nodes:');
for (const [name, o] of [...byNode].sort((a, b) => b[1].us - a[1].us).slice(0, 10)) {
  console.log(`  ${(o.us / 1000 / n).toFixed(2).padStart(8)} ms  ${o.op.padEnd(20)} ${name.replace(/_kernel_time$/, '')}  ${o.shapes}`);
}

function findProfile(p: string): string {
  const dir = tmpdir();
  const base = p.slice(dir.length + 1);
  const hit = readdirSync(dir).find((f) => f.startsWith(base) && f.endsWith('.json'));
  if (!hit) throw new Error(`no profile file ${p}*.json`);
  return join(dir, hit);
}
