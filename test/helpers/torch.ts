// Bridge from vitest to the independent PyTorch reference (test/reference/torch_ref.py).
//
//   if (!torchAvailable()) console.warn(`skipping: ${torchSkipReason}`);
//   describe.skipIf(!torchAvailable())('…', () => {
//     afterAll(() => stopTorchRef());
//     it('…', async () => {
//       const res = await runTorchRef({ op: 'lif', dtype: 'float64', params: { tau: 2 },
//         inputs: { x: toWire(new Float64Array([1.5, 0.8, 2.4]), [3, 1]) } });
//       const spikes = fromWire(res.outputs.spikes!).data;
//     });
//   });
//
// runTorchRef keeps one `torch_ref.py --serve` process per test file (torch takes ~1 s to
// import) and sends it newline-delimited JSON; runTorchRefOnce spawns a fresh process.
// The request/response formats are documented in torch_ref.py and in the types below.

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { endianness } from 'node:os';
import { fileURLToPath } from 'node:url';

export const TORCH_PYTHON = process.env.TORCH_REF_PYTHON ?? '/usr/bin/python3';
export const TORCH_REF_SCRIPT = fileURLToPath(new URL('../reference/torch_ref.py', import.meta.url));

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

export type WireDType = 'f32' | 'f64' | 'i64' | 'i32';

/** An array on the wire: C-order little-endian bytes, base64-encoded. */
export interface WireArray {
  shape: number[];
  dtype: WireDType;
  data: string;
}

export type SurrogateName =
  | 'sigmoid'
  | 'atan'
  | 'piecewise_quadratic'
  | 'rectangle'
  | 'piecewise_leaky_relu'
  | 'soft_sign'
  | 'piecewise_exp'
  | 'dspike';

/** `{name: 'sigmoid', alpha: 4}`; params: alpha (sigmoid, atan, piecewise_quadratic, rectangle,
 * soft_sign, piecewise_exp), w and c (piecewise_leaky_relu), b and c (dspike). */
export interface SurrogateSpec {
  name: SurrogateName;
  alpha?: number;
  w?: number;
  c?: number;
  b?: number;
}

export interface NodeParams {
  v_threshold?: number; // 1.0
  v_reset?: number | null; // 0.0; null = soft reset
  detach_reset?: boolean; // false
  surrogate?: SurrogateSpec | SurrogateName; // sigmoid alpha 4
}

export interface LifSettings {
  tau?: number;
  v_threshold?: number;
  v_reset?: number | null;
  decay_input?: boolean;
  detach_reset?: boolean;
  surrogate?: SurrogateSpec | SurrogateName;
}

export type TokenLayout = 'tbnd' | 'tbdn';

export interface AttentionParams {
  heads?: number; // 1
  attn_threshold?: number; // 0.5
  attn_lif?: LifSettings; // default {tau 2, v_reset 0, decay_input true, detach_reset true, sigmoid 4}
  layout?: TokenLayout; // 'tbnd'
}

export interface TorchRefParams {
  lif: NodeParams & { tau?: number; decay_input?: boolean };
  if: NodeParams;
  plif: NodeParams & { decay_input?: boolean; init_tau?: number };
  alif: NodeParams & { tau?: number; decay_input?: boolean; beta?: number; tau_adapt?: number };
  qif: NodeParams & { tau?: number; v_rest?: number; v_c?: number; a0?: number };
  eif: NodeParams & { tau?: number; v_rest?: number; delta_t?: number; theta_rh?: number };
  psn: { surrogate?: SurrogateSpec | SurrogateName };
  masked_psn: { surrogate?: SurrogateSpec | SurrogateName; k: number; lambda?: number };
  sliding_psn: { surrogate?: SurrogateSpec | SurrogateName };
  spikedhs_neuron: { v_threshold?: number; decay?: number; b?: number; c?: number };
  surrogate: { surrogate?: SurrogateSpec | SurrogateName };
  ssa: AttentionParams & { scale?: number; order?: 'qk_v' | 'q_kv' };
  ssa_block: AttentionParams & {
    scale?: number;
    order?: 'qk_v' | 'q_kv';
    lif?: LifSettings;
    training?: boolean;
    momentum?: number;
    eps?: number;
  };
  /** erode: the CIFAR10-DVS Erode (code form); grid: the token map [H, W] (default square). */
  sdsa: AttentionParams & { form?: 'code' | 'paper'; erode?: boolean; grid?: [number, number] };
  qkta: AttentionParams;
  qkca: AttentionParams;
  conv2d: { stride?: number | [number, number]; padding?: number | [number, number]; dilation?: number | [number, number]; groups?: number };
  batchnorm: { training?: boolean; momentum?: number; eps?: number };
  maxpool2d: { kernel: number | [number, number]; stride?: number | [number, number]; padding?: number | [number, number]; dilation?: number | [number, number]; ceil_mode?: boolean };
  avgpool2d: { kernel: number | [number, number]; stride?: number | [number, number]; padding?: number | [number, number]; ceil_mode?: boolean; count_include_pad?: boolean };
  linear: Record<string, never>;
  cross_entropy: { label_smoothing?: number };
  tet_loss: { lambda?: number; means?: number; label_smoothing?: number };
  /** A template's readout after its last body block (torch_ref.py, TAIL_FORMS). */
  head_tail: { form: 'spikformer' | 'sdt' | 'meta' | 'cnn' | 'psn_csnn' | 'psn_vgg' | 'sew' | 'spikedhs' | 'hybrid'; kd?: boolean; heads?: number };
  version: Record<string, never>;
}

export type TorchRefOp = keyof TorchRefParams;

export interface TorchRefRequest<Op extends TorchRefOp = TorchRefOp> {
  op: Op;
  params?: TorchRefParams[Op];
  inputs?: Record<string, WireArray>;
  weights?: Record<string, WireArray>;
  /** Non-differentiable state (BN running stats). */
  buffers?: Record<string, WireArray>;
  dtype?: 'float32' | 'float64'; // float32
  /** Output cotangents: when given, grads = d(sum_o <out_o, grad_o>)/d(inputs, weights). */
  grad?: Record<string, WireArray>;
}

export interface TorchRefResponse {
  outputs: Record<string, WireArray>;
  grads?: { inputs: Record<string, WireArray>; weights: Record<string, WireArray> };
  info?: { torch: string; python: string };
}

// ---------------------------------------------------------------------------------------------
// Availability
// ---------------------------------------------------------------------------------------------

let skipReasonCache: string | null | undefined;

function probeTorch(): string | null {
  if (endianness() !== 'LE') return 'the torch reference wire format assumes a little-endian host';
  const probe = spawnSync(TORCH_PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8', timeout: 60_000 });
  if (probe.error) return `${TORCH_PYTHON} could not be run (${probe.error.message}); PyTorch reference tests skipped`;
  if (probe.status !== 0) {
    const tail = (probe.stderr ?? '').trim().split('\n').slice(-1)[0] ?? '';
    return `${TORCH_PYTHON} cannot import torch/numpy (${tail}); PyTorch reference tests skipped`;
  }
  return null;
}

/** Why the PyTorch reference cannot run here, or null when it can (probed once, at import). */
export const torchSkipReason: string | null = getTorchSkipReason();

export function getTorchSkipReason(): string | null {
  if (skipReasonCache === undefined) skipReasonCache = probeTorch();
  return skipReasonCache;
}

/** True when `/usr/bin/python3` (or $TORCH_REF_PYTHON) can import torch; cached. */
export function torchAvailable(): boolean {
  return getTorchSkipReason() === null;
}

// ---------------------------------------------------------------------------------------------
// Wire helpers
// ---------------------------------------------------------------------------------------------

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function checkSize(n: number, shape: readonly number[]): void {
  if (n !== sizeOf(shape)) throw new Error(`toWire: shape [${shape.join(',')}] needs ${sizeOf(shape)} elements, got ${n}`);
}

/** A Float32Array travels as f32, a Float64Array as f64. */
export function toWire(data: Float32Array | Float64Array, shape: readonly number[]): WireArray {
  checkSize(data.length, shape);
  const dtype: WireDType = data instanceof Float32Array ? 'f32' : 'f64';
  return { shape: [...shape], dtype, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
}

/** Plain numbers as f64 (exact for any JS number). */
export function toWireF64(values: ArrayLike<number>, shape: readonly number[]): WireArray {
  return toWire(Float64Array.from(values), shape);
}

/** Integers (class labels) as i64. */
export function toWireI64(values: ArrayLike<number>, shape: readonly number[]): WireArray {
  checkSize(values.length, shape);
  const arr = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v)) throw new Error(`toWireI64: ${v} is not an integer`);
    arr[i] = BigInt(v);
  }
  return { shape: [...shape], dtype: 'i64', data: Buffer.from(arr.buffer).toString('base64') };
}

/** Any wire array as float64 values (i64 converted with Number()). */
export function fromWire(a: WireArray): { shape: number[]; data: Float64Array } {
  const raw = Buffer.from(a.data, 'base64');
  const bytes = new Uint8Array(raw.byteLength);
  bytes.set(raw);
  const n = sizeOf(a.shape);
  let data: Float64Array;
  switch (a.dtype) {
    case 'f32':
      data = Float64Array.from(new Float32Array(bytes.buffer, 0, n));
      break;
    case 'f64':
      data = new Float64Array(bytes.buffer, 0, n);
      break;
    case 'i32':
      data = Float64Array.from(new Int32Array(bytes.buffer, 0, n));
      break;
    case 'i64':
      data = Float64Array.from(new BigInt64Array(bytes.buffer, 0, n), (v) => Number(v));
      break;
    default:
      throw new Error(`fromWire: unknown dtype ${String((a as WireArray).dtype)}`);
  }
  return { shape: [...a.shape], data };
}

// ---------------------------------------------------------------------------------------------
// Running the reference
// ---------------------------------------------------------------------------------------------

export class TorchRefError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TorchRefError';
  }
}

function unwrap(parsed: unknown): TorchRefResponse {
  const r = parsed as TorchRefResponse & { error?: string };
  if (typeof r !== 'object' || r === null) throw new TorchRefError('torch_ref: response is not an object');
  if (r.error !== undefined) throw new TorchRefError(`torch_ref: ${r.error}`);
  return r;
}

/** One request in a fresh `torch_ref.py` process (≈1 s of torch import per call). */
export function runTorchRefOnce(request: TorchRefRequest): Promise<TorchRefResponse> {
  return new Promise((resolve, reject) => {
    const child = spawn(TORCH_PYTHON, [TORCH_REF_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => reject(new TorchRefError(`torch_ref: cannot start ${TORCH_PYTHON}: ${e.message}`)));
    child.on('close', (code) => {
      const text = Buffer.concat(out).toString('utf8').trim();
      try {
        resolve(unwrap(JSON.parse(text)));
      } catch (e) {
        if (e instanceof TorchRefError) reject(e);
        else reject(new TorchRefError(`torch_ref exited ${code}: ${Buffer.concat(err).toString('utf8').slice(-2000) || text.slice(0, 500)}`));
      }
    });
    child.stdin.on('error', () => undefined); // reported through 'close'
    child.stdin.end(JSON.stringify(request));
  });
}

interface Pending {
  resolve: (r: TorchRefResponse) => void;
  reject: (e: Error) => void;
}

/** A long-lived `torch_ref.py --serve` process; requests are answered in order. */
export class TorchRefServer {
  private child: ChildProcessWithoutNullStreams | null = null;
  private pending: Pending[] = [];
  private buffered = '';
  private stderrTail = '';

  request(request: TorchRefRequest): Promise<TorchRefResponse> {
    const child = this.ensure();
    return new Promise<TorchRefResponse>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.setRef(true);
      child.stdin.write(JSON.stringify(request) + '\n');
    });
  }

  stop(): void {
    const child = this.child;
    if (!child) return;
    this.child = null;
    child.stdin.end();
    child.kill();
    this.failAll(new TorchRefError('torch_ref server stopped'));
  }

  private ensure(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn(TORCH_PYTHON, [TORCH_REF_SCRIPT, '--serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.buffered = '';
    this.stderrTail = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.onData(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-4000);
    });
    child.stdin.on('error', () => undefined); // reported through 'exit'
    child.on('error', (e) => this.onExit(child, `cannot start ${TORCH_PYTHON}: ${e.message}`));
    child.on('exit', (code, signal) => this.onExit(child, `exited (code ${code}, signal ${signal}) ${this.stderrTail}`));
    this.setRef(false);
    return child;
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      if (!line.trim()) continue;
      const p = this.pending.shift();
      if (!p) continue;
      try {
        p.resolve(unwrap(JSON.parse(line)));
      } catch (e) {
        p.reject(e instanceof Error ? e : new TorchRefError(String(e)));
      }
    }
    if (this.pending.length === 0) this.setRef(false);
  }

  private onExit(child: ChildProcessWithoutNullStreams, why: string): void {
    if (this.child === child) this.child = null;
    this.failAll(new TorchRefError(`torch_ref server ${why}`));
  }

  private failAll(e: Error): void {
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) p.reject(e);
  }

  // An idle server must not keep the test process alive; a busy one must.
  private setRef(on: boolean): void {
    const c = this.child;
    if (!c) return;
    for (const h of [c, c.stdin, c.stdout, c.stderr] as Array<{ ref?: () => void; unref?: () => void }>) {
      if (on) h.ref?.();
      else h.unref?.();
    }
  }
}

const sharedServer = new TorchRefServer();

/** Runs one request on this process's shared `--serve` process (started on first use). */
export function runTorchRef(request: TorchRefRequest): Promise<TorchRefResponse> {
  return sharedServer.request(request);
}

/** Stops the shared server (call from afterAll); a later runTorchRef starts a new one. */
export function stopTorchRef(): void {
  sharedServer.stop();
}
