// Learning, end to end through the CLI with a fixed seed and thread count (the CI check of the
// training engine): the `lif-cnn` template reaches >= 90% test accuracy on the bundled digits with
// its own training settings (Adam 1e-3, cosine, 3 epochs, batch 64; 96.0% measured at 2 threads),
// and the tiny Spikformer (1 block, D = 32) >= 88% with AdamW at 5e-3 for its 2 epochs (93.5%
// measured) — each one `snn-studio train` run of a few minutes on two idle cores (13 to 20 minutes
// at a load average of 20: the timeouts are nets for a hang, not speed checks).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEARNING_THREADS } from '../helpers/learning.js';
import { cli } from './helpers/cli.js';

async function trainToAccuracy(target: string, flags: string[]): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'snn-learn-'));
  try {
    // a fixed thread count (not the cores left free): ORT's sums, and so the accuracy, follow it
    const r = await cli(['train', target, '--data', 'digits', '--seed', '0', '--threads', String(LEARNING_THREADS), '--out', join(dir, 'run'), '--json', ...flags]);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; testAccuracy?: number; seconds?: number });
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    console.log(`${target}: test accuracy ${(100 * done.testAccuracy!).toFixed(2)}% in ${done.seconds!.toFixed(0)} s`);
    return done.testAccuracy!;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('learning', () => {
  // 96.0% measured: the bar sits 6 points under it, not at the edge (it was 95%)
  it('lif-cnn reaches >= 90% on digits in one CLI run', { timeout: 90 * 60_000 }, async () => {
    expect(await trainToAccuracy('lif-cnn', [])).toBeGreaterThanOrEqual(0.9);
  });

  // 93.5% measured: 5.5 points over the bar (it was 90%)
  it('the tiny Spikformer reaches >= 88% on digits in one CLI run', { timeout: 90 * 60_000 }, async () => {
    expect(await trainToAccuracy('spikformer:tiny', ['--lr', '5e-3'])).toBeGreaterThanOrEqual(0.88);
  });
});
