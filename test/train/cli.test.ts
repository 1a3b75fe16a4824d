// `snn-studio train … --json` and `snn-studio eval`, run as a user runs them (bin/snn-studio.mjs):
// one JSON event per line on stdout, `done` with testAccuracy as a fraction, a checkpoint per
// epoch, eval reproducing the test accuracy from that checkpoint, and `compile --checkpoint`
// exporting a model with the trained weights.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchLoader } from '../../engine/runtime/data/index.js';
import { createSession, floatTensor, type ort } from '../../engine/runtime/session.js';
import { lifCnn } from '../../templates/lif-cnn.js';
import { cli } from './helpers/cli.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Test accuracy of a batch-1 ONNX model on the bundled digits' test split, one sample at a time. */
async function accuracyOf(modelPath: string): Promise<number> {
  const session = await createSession(await readFile(modelPath), { threads: 1 });
  const loader = await BatchLoader.open({ dataset: 'digits', split: 'test', plan: { batchSize: 1, seed: 0, shuffle: false }, thread: 'main' });
  try {
    let correct = 0;
    let n = 0;
    for await (const b of loader.epoch(0)) {
      const logits = (await session.run({ input: floatTensor(b.x, [1, 1, 28, 28]) })).logits as ort.Tensor;
      const scores = Array.from(logits.data as Float32Array);
      if (scores.indexOf(Math.max(...scores)) === b.y[0]) correct++;
      n++;
    }
    return correct / n;
  } finally {
    await Promise.allSettled([loader.close(), session.release()]);
  }
}

describe('snn-studio train / eval / compile --checkpoint', () => {
  it('--json prints one event per line; eval reproduces the test accuracy from the checkpoint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snn-cli-'));
    dirs.push(dir);
    const docPath = join(dir, 'small.snn.json');
    await writeFile(docPath, JSON.stringify(lifCnn({ channels: [4, 8], timeSteps: 2 })));
    const out = join(dir, 'run');
    const r = await cli(['train', docPath, '--data', 'digits', '--epochs', '1', '--batch', '32', '--max-steps', '4', '--threads', '1', '--seed', '1', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; [k: string]: unknown });
    expect(events.map((e) => e.type)).toEqual(['start', 'step', 'step', 'step', 'step', 'epoch', 'done']);
    const done = events.at(-1)!;
    expect(typeof done.testAccuracy).toBe('number');
    expect(done.testAccuracy as number).toBeGreaterThanOrEqual(0);
    expect(done.testAccuracy as number).toBeLessThanOrEqual(1);
    expect(done.checkpoint).toBe(join(out, 'epoch-0001.json'));

    const ev = await cli(['eval', docPath, '--checkpoint', join(out, 'epoch-0001.json'), '--batch', '32', '--threads', '1', '--json']);
    expect(ev.code, ev.stderr).toBe(0);
    const result = JSON.parse(ev.stdout.trim()) as { testAccuracy: number; samples: number; firingRates: Record<string, number> };
    expect(result.samples).toBe(1501);
    expect(result.testAccuracy).toBe(done.testAccuracy);
    expect(Object.keys(result.firingRates)).toEqual(['lif1', 'lif2']);

    // the exported model carries the trained weights: on the same test set it scores what eval scored
    const model = join(dir, 'trained.onnx');
    const c = await cli(['compile', docPath, '-o', model, '--checkpoint', join(out, 'epoch-0001.json')]);
    expect(c.code, c.stderr).toBe(0);
    expect(await accuracyOf(model)).toBe(done.testAccuracy);
    const seeded = join(dir, 'seeded.onnx');
    expect((await cli(['compile', docPath, '-o', seeded])).code).toBe(0);
    expect(await readFile(seeded)).not.toEqual(await readFile(model));

    // a checkpoint of another document is refused, with the reason
    const other = join(dir, 'other.snn.json');
    await writeFile(other, JSON.stringify(lifCnn({ channels: [4, 8], timeSteps: 3 })));
    const refused = await cli(['compile', other, '-o', join(dir, 'x.onnx'), '--checkpoint', join(out, 'epoch-0001.json')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/saved for another version of the document/);
    const inferred = await cli(['infer', other, '--input', join(dir, 'x.onnx'), '--checkpoint', join(out, 'epoch-0001.json')]);
    expect(inferred.code).toBe(1);
    expect(inferred.stderr).toMatch(/saved for another version of the document/);
  });

  it('refuses bad flags with exit code 2 and a message', async () => {
    const r = await cli(['train', 'lif-cnn', '--optimizer', 'rmsprop']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--optimizer must be one of sgd, adam, adamw, lamb/);
  });
});
