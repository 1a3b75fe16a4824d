/**
 * Training speed: images/s, ms per step and peak RSS of one training step (forward over T, BPTT,
 * loss, optimizer) for (a) the spiking CNN of notes/ort-training.md (28×28, T=4, batch 64, Adam)
 * and (b) a Spikformer with CIFAR SPS (D=256, 2 blocks, 8 heads, 32×32, T=4, batch 32, AdamW),
 * each next to PyTorch eager autograd (bench/peers/torch_train.py: SpikingJelly-style LIF loop with
 * a custom spike function) on the same thread count. Each measurement runs in its own process, one
 * after the other, so neither competes for cores and peak RSS is per model.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export interface BenchRow {
  suite: string;
  name: string;
  value: number;
  unit: string;
  peer?: number;
  note?: string;
}

const run$ = promisify(execFile);
const PROBE = fileURLToPath(new URL('./training-probe.ts', import.meta.url));
const PEER = fileURLToPath(new URL('../peers/torch_train.py', import.meta.url));
const PYTHON = process.env.TORCH_REF_PYTHON ?? '/usr/bin/python3';

interface Measured {
  msPerStep: number;
  imagesPerSecond: number;
  peakRssMb: number;
}

export async function run(): Promise<BenchRow[]> {
  const threads = Number(process.env.BENCH_THREADS ?? 2);
  const steps = Number(process.env.BENCH_STEPS ?? 20);
  const rows: BenchRow[] = [];
  for (const [model, label] of [
    ['cnn', 'spiking CNN 28×28 T=4 B=64'],
    ['spikformer', 'Spikformer CIFAR SPS D=256 L=2 h=8 32×32 T=4 B=32'],
  ] as const) {
    const ours = await probe(model, threads, steps);
    const peer = await torchPeer(model, threads, steps);
    const note = `${threads} threads; ${peer.ok ? `PyTorch ${peer.version} eager, OpenBLAS` : peer.why}`;
    const p = peer.ok ? peer.m : undefined;
    rows.push(
      { suite: 'training', name: `${label}: images/s`, value: ours.imagesPerSecond, unit: 'images/s', ...(p ? { peer: p.imagesPerSecond } : {}), note },
      { suite: 'training', name: `${label}: ms/step`, value: ours.msPerStep, unit: 'ms', ...(p ? { peer: p.msPerStep } : {}), note },
      { suite: 'training', name: `${label}: peak RSS`, value: ours.peakRssMb, unit: 'MB', ...(p ? { peer: p.peakRssMb } : {}), note },
    );
  }
  return rows;
}

async function probe(model: string, threads: number, steps: number): Promise<Measured> {
  const { stdout } = await run$(process.execPath, ['--import', 'tsx', PROBE, model, String(threads), String(steps), '5'], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Measured;
}

async function torchPeer(model: string, threads: number, steps: number): Promise<{ ok: true; m: Measured; version: string } | { ok: false; why: string }> {
  try {
    const { stdout } = await run$(PYTHON, [PEER, '--model', model, '--threads', String(threads), '--steps', String(steps), '--warmup', '5'], { maxBuffer: 1 << 20 });
    const r = JSON.parse(stdout.trim()) as { ms_per_step: number; images_per_s: number; peak_rss_mb: number; torch: string };
    return { ok: true, m: { msPerStep: r.ms_per_step, imagesPerSecond: r.images_per_s, peakRssMb: r.peak_rss_mb }, version: r.torch };
  } catch (e) {
    return { ok: false, why: `no PyTorch peer (${PYTHON}: ${(e as Error).message.split('\n')[0]})` };
  }
}
