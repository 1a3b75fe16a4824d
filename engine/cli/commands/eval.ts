/**
 * `snn-studio eval <doc> --checkpoint <ckpt> [--data D] [--batch B] [--threads K] [--json]`: test
 * accuracy and per-layer firing rates of a checkpoint's parameters.
 */
import { parseArgs } from 'node:util';
import { BatchLoader } from '../../runtime/data/index.js';
import { checkShapes } from '../../runtime/train/checkpoints.js';
import { Evaluator, freeCores, readRunCheckpoint } from '../../runtime/train/index.js';
import { ort } from '../../runtime/session.js';
import { CliError, out } from '../io.js';
import { int, resolveDocument } from './train.js';

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { checkpoint: { type: 'string', short: 'c' }, data: { type: 'string' }, batch: { type: 'string' }, threads: { type: 'string' }, json: { type: 'boolean' } },
  });
  const target = positionals[0];
  if (!target || !values.checkpoint) throw new CliError('usage: snn-studio eval <doc.snn.json | template[:preset]> --checkpoint <ckpt.json> [--data digits] [--batch B] [--threads K] [--json]', 2);
  const doc = resolveDocument(target);
  const saved = await readRunCheckpoint(values.checkpoint, doc);
  const batch = values.batch === undefined ? (doc.training?.batchSize ?? 64) : int(values.batch, '--batch');
  const threads = values.threads === undefined ? await freeCores() : int(values.threads, '--threads');
  const dataset = values.data ?? doc.training?.dataset ?? 'digits';
  const t0 = performance.now();
  const normalize = doc.input.normalize ? { augment: { normalize: { mean: [...doc.input.normalize.mean], std: [...doc.input.normalize.std] } } } : {};
  const loader = await BatchLoader.open({ dataset, split: 'test', plan: { batchSize: batch, seed: 0, shuffle: false, ...normalize } });
  // a dataset of another shape would reach ONNX Runtime as a failed run; say what does not fit instead
  const want = doc.input.kind === 'events' ? [doc.timeSteps, ...doc.input.shape] : doc.input.shape;
  if (want.join(',') !== loader.info.sampleShape.join(',')) {
    await loader.close();
    throw new CliError(`${dataset}: the dataset's samples are [${loader.info.sampleShape.join(',')}] but ${target}'s input is [${want.join(',')}]`);
  }
  const evaluator = await Evaluator.create(doc, batch, threads);
  try {
    const graph = evaluator.compiled.eval.graph;
    const shapes = new Map(graph.params.map((p) => [p.name, graph.values[p.value]!.shape]));
    checkShapes(saved.path, saved.tensors, new Map(evaluator.parameterNames.map((n) => [n, shapes.get(n) ?? []])));
    const r = await evaluator.evaluate((name) => {
      const t = saved.tensors.get(name)!;
      return new ort.Tensor('float32', t.data, [...t.shape]);
    }, loader.epoch(0));
    const seconds = (performance.now() - t0) / 1000;
    if (values.json) {
      out(JSON.stringify({ event: 'eval', dataset: loader.info.name, samples: r.samples, testAccuracy: r.accuracy, testLoss: r.loss, firingRates: r.firingRates, epoch: saved.place.epoch, seconds }));
    } else {
      out(`${loader.info.name} test set (${r.samples} samples), checkpoint after epoch ${saved.place.epoch}: accuracy ${(100 * r.accuracy).toFixed(2)}%, loss ${r.loss.toFixed(4)} (${seconds.toFixed(1)} s)`);
      for (const [layer, rate] of Object.entries(r.firingRates)) out(`  ${layer.padEnd(24)} firing rate ${(100 * rate).toFixed(2)}%`);
    }
    return 0;
  } finally {
    await Promise.allSettled([loader.close(), evaluator.close()]);
  }
}
