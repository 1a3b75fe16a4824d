/**
 * What the dense work alone allows. A row's matrix products and convolutions (for a training step
 * also both of their gradients) take at least their multiply-accumulates over the host's GEMM rate,
 * however few elementwise passes we emit, and PyTorch runs the same products. So PyTorch's time over
 * that floor is the most a row can read against it on this machine: where that ceiling is under a
 * target, the target asks for more than the cores can do, and no change to our graphs reaches it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { IrGraph } from '../engine/core/ir/types.js';
import { OPSET_VERSION } from '../engine/core/onnx/model.js';
import { encodeModel } from '../engine/runtime/onnx/encode.js';
import { createSession, floatTensor, type ort } from '../engine/runtime/session.js';

const run$ = promisify(execFile);

/** Multiply-accumulates of the IR's dense ops: matmul, linear, conv2d and its input and weight gradients. */
export function denseMacs(graph: IrGraph): number {
  const size = (v: number) => graph.values[v]!.shape.reduce((a, b) => a * b, 1);
  const last = (v: number) => graph.values[v]!.shape.at(-1)!;
  let macs = 0;
  for (const n of graph.nodes) {
    if (n.op === 'matmul' || n.op === 'linear') macs += size(n.outputs[0]!) * last(n.inputs[0]!);
    else if (n.op === 'conv2d' || n.op === 'conv2d_input_grad') {
      // each output (or, for the input gradient, each gradient element read) takes Cin/groups·kh·kw
      const w = graph.values[n.inputs[1]!]!.shape;
      const per = w.slice(1).reduce((a, b) => a * b, 1);
      macs += (n.op === 'conv2d' ? size(n.outputs[0]!) : size(n.inputs[0]!)) * per;
    } else if (n.op.startsWith('conv2d_weight_grad')) {
      // inputs x and g [N, Cout, Ho, Wo]: every gradient element meets Cin/groups·kh·kw inputs
      const w = (n.attrs as { weightShape: readonly number[] }).weightShape;
      macs += size(n.inputs[1]!) * w.slice(1).reduce((a, b) => a * b, 1);
    }
  }
  return macs;
}

export interface GemmRate {
  /** The faster of the two libraries' rates: the floors are taken at it, so none is too high. */
  readonly peak: number;
  /** Best measured rate of ONNX Runtime's MatMul, GMAC/s. */
  readonly ours: number;
  /** The same shapes in PyTorch (torch.mm), when it runs here. */
  readonly torch?: number;
  readonly shapes: string;
}

/** Shapes of the training rows' token layers (M·K·N): a square one beside them. */
const SHAPES: readonly (readonly [number, number, number])[] = [
  [8192, 256, 1024],
  [8192, 1024, 256],
  [2048, 2048, 2048],
];

/**
 * The host's dense GEMM rate in GMAC/s: the best median over SHAPES, with the weights fed as an input
 * (as in a training step) and as an initializer (prepacked, as in inference). The best of all is
 * taken, so the floor it gives is never too high.
 */
export async function gemmRate(threads: number, python?: string): Promise<GemmRate> {
  let ours = 0;
  for (const [m, k, n] of SHAPES) {
    for (const packed of [false, true]) ours = Math.max(ours, await matMulRate(m, k, n, packed, threads));
  }
  const shapes = SHAPES.map((s) => s.join('×')).join(', ');
  const torch = python ? await torchRate(python, threads) : undefined;
  return torch === undefined ? { peak: ours, ours, shapes } : { peak: Math.max(ours, torch), ours, torch, shapes };
}

async function matMulRate(m: number, k: number, n: number, packed: boolean, threads: number): Promise<number> {
  const a = floatTensor(Float32Array.from({ length: m * k }, (_, i) => Math.sin(i)), [m, k]);
  const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
  const bytes = encodeModel({
    graph: {
      name: 'gemm',
      nodes: [{ opType: 'MatMul', inputs: ['a', 'b'], outputs: ['c'], attributes: {}, name: 'mm' }],
      inputs: [{ name: 'a', dataType: 'float32', dims: [m, k] }, ...(packed ? [] : [{ name: 'b', dataType: 'float32' as const, dims: [k, n] }])],
      outputs: [{ name: 'c', dataType: 'float32', dims: [m, n] }],
      initializers: packed ? [{ name: 'b', dims: [k, n], dataType: 'float32', data: b }] : [],
    },
    opsetVersion: OPSET_VERSION,
    producerName: 'bench',
    producerVersion: '0',
    metadata: {},
  });
  const session = await createSession(bytes, { threads });
  try {
    const feeds: Record<string, ort.Tensor> = packed ? { a } : { a, b: floatTensor(b, [k, n]) };
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      const t = performance.now();
      await session.run(feeds);
      if (i >= 2) times.push(performance.now() - t);
    }
    times.sort((x, y) => x - y);
    return (m * k * n) / 1e6 / times[times.length >> 1]!;
  } finally {
    await session.release();
  }
}

async function torchRate(python: string, threads: number): Promise<number | undefined> {
  const script = `
import time, torch
torch.set_num_threads(${threads})
best = 0.0
for m, k, n in ${JSON.stringify(SHAPES)}:
    a = torch.randn(m, k); b = torch.randn(k, n)
    ts = []
    for i in range(12):
        t = time.perf_counter(); torch.mm(a, b); ts.append(time.perf_counter() - t)
    ts = sorted(ts[2:])
    best = max(best, m * k * n / 1e9 / ts[len(ts) // 2])
print(best)
`;
  try {
    const { stdout } = await run$(python, ['-c', script], { timeout: 120_000 });
    const v = Number(stdout.trim());
    return Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The floor (ms) of `macs` at `rate` GMAC/s, and peer ÷ floor: the most the row can read against the peer. */
export function ceiling(macs: number, rate: number, peerMs: number | undefined): { floorMs: number; ratio: number | undefined } {
  const floorMs = macs / 1e6 / rate;
  return { floorMs, ratio: peerMs === undefined ? undefined : peerMs / floorMs };
}

/** One note fragment: "dense work 2.77 GMAC ≥ 29 ms at 95 GMAC/s → at most 4.9× PyTorch". */
export function ceilingNote(macs: number, rate: GemmRate, peerMs: number | undefined): string {
  const c = ceiling(macs, rate.peak, peerMs);
  const most = c.ratio === undefined ? '' : ` → at most ${c.ratio.toFixed(2)}× PyTorch`;
  return `dense work ${(macs / 1e9).toFixed(2)} GMAC ≥ ${c.floorMs.toFixed(1)} ms at the host's GEMM peak ${rate.peak.toFixed(0)} GMAC/s${most}`;
}
