/**
 * The exported train.py under `torchrun --nproc_per_node 2` (python3 -m torch.distributed.run,
 * Debian's torch 1.13) on CPU with gloo: DistributedDataParallel over two processes, each reading
 * its half of every epoch through a DistributedSampler, trains lif-cnn on the bundled digits for
 * one short epoch (2,048 digits, 32 steps of the recipe's global batch 64), and its loss falls.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchLoader } from '../../engine/runtime/data/index.js';
import { exportModel } from '../../engine/runtime/export/export-model.js';
import { buildTemplate } from '../../templates/index.js';
import { skipping } from '../helpers/skip.js';
import { TORCH_PYTHON, torchSkipReason } from '../helpers/torch.js';

const SAMPLES = 2048;
const work = mkdtempSync(join(tmpdir(), 'snn-torchrun-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The first SAMPLES shuffled training digits as train.npz (x float32 [N,1,28,28], y int64). */
async function digitsNpz(path: string): Promise<void> {
  const loader = await BatchLoader.open({ dataset: 'digits', split: 'train', thread: 'main', plan: { batchSize: SAMPLES, seed: 0, shuffle: true } });
  try {
    const first = await loader.epoch(0)[Symbol.asyncIterator]().next();
    if (first.done) throw new Error('digits: the training split is empty');
    writeFileSync(join(work, 'x.bin'), first.value.x);
    writeFileSync(join(work, 'y.bin'), BigInt64Array.from(first.value.y, (v) => BigInt(v)));
  } finally {
    await loader.close();
  }
  const pack = spawnSync(TORCH_PYTHON, ['-c', `import numpy as np; np.savez(${JSON.stringify(path)}, x=np.fromfile(${JSON.stringify(join(work, 'x.bin'))}, dtype=np.float32).reshape(-1, 1, 28, 28), y=np.fromfile(${JSON.stringify(join(work, 'y.bin'))}, dtype=np.int64))`], { encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`numpy could not write ${path}: ${pack.stderr}`);
}

describe.skipIf(skipping('exported train.py under torchrun', torchSkipReason))('exported train.py under torchrun', () => {
  it('lif-cnn: 2 processes, gloo, one short epoch on the digits: the loss falls', async () => {
    const dir = join(work, 'lif-cnn');
    await exportModel({ doc: buildTemplate('lif-cnn', 'digits'), format: 'pytorch', out: dir });
    const data = join(work, 'train.npz');
    await digitsNpz(data);
    const log = join(work, 'steps.jsonl');
    // --redirects/--tee: torch 1.13's default "0" fails under Python 3.11 (the README says why)
    const run = spawnSync(TORCH_PYTHON, ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', '--redirects', '0:1,1:1', '--tee', '0:1,1:1', 'train.py', '--data', data, '--epochs', '1', '--log', log, '--out', join(work, 'trained.pt')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    if (run.status !== 0) throw new Error(`torchrun failed (${run.status}):\n${run.stderr.slice(-3000)}`);
    const steps = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; loss: number; lr: number });
    // 2,048 digits / global batch 64 = 32 steps, each process taking 32 digits of each
    expect(steps.length).toBe(SAMPLES / 64);
    const mean = (xs: readonly { loss: number }[]) => xs.reduce((s, x) => s + x.loss, 0) / xs.length;
    const first = mean(steps.slice(0, 5));
    const last = mean(steps.slice(-5));
    console.log(`torchrun lif-cnn: ${steps.length} steps, loss ${first.toFixed(3)} (first 5) → ${last.toFixed(3)} (last 5), lr ${steps[0]!.lr} → ${steps[steps.length - 1]!.lr.toExponential(2)}`);
    expect(last).toBeLessThan(first * 0.8);
    expect(existsSync(join(work, 'trained.pt'))).toBe(true);
  }, 360_000);
});
