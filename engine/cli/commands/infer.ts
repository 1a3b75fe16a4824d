/**
 * `snn-studio infer <model.onnx|doc.snn.json> --input <png|jpg|npy> [--checkpoint ckpt.json] [--json]`:
 * class scores and the predicted class. A document is compiled on the fly (seeded weights, or a
 * training checkpoint's); a model file carries what it needs (input shape, normalisation, class
 * names) in its metadata.
 */
import { parseArgs } from 'node:util';
import { decodeImage } from '../../runtime/data/image-decode.js';
import { resizePlanes, toPlanes } from '../../runtime/data/image-transform.js';
import { npyToFloat64, parseNpy } from '../../runtime/data/npy.js';
import { compileInference, INPUT_NAME, OUTPUT_NAME } from '../../runtime/compile.js';
import { readModelInfo } from '../../runtime/onnx/encode.js';
import { createSession, floatTensor } from '../../runtime/session.js';
import type { Limits } from '../../core/limits/limits.js';
import { CliError, EXIT, err, LIMIT_OPTION, limitsFrom, out, readUserFile } from '../io.js';
import { checkpointParams } from './compile.js';
import { resolveDocument } from './train.js';

/** ONNX's protobuf cannot exceed 2 GiB. */
const MAX_MODEL_BYTES = 2 ** 31;
/** One sample: far above any model's input. */
const MAX_NPY_BYTES = 1024 ** 3;
const MAX_IMAGE_FILE_BYTES = 256 * 1024 ** 2;

interface ModelInput {
  readonly bytes: Uint8Array;
  /** [B, ...] as the model expects it. */
  readonly shape: readonly number[];
  readonly kind: string;
  readonly normalize: { mean: number[]; std: number[] } | null;
  readonly classes: string[] | null;
}

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { input: { type: 'string', short: 'i' }, json: { type: 'boolean' }, threads: { type: 'string' }, checkpoint: { type: 'string', short: 'c' }, ...LIMIT_OPTION },
  });
  const source = positionals[0];
  if (!source || !values.input) throw new CliError('usage: snn-studio infer <model.onnx|doc.snn.json> --input <image.png|x.npy> [--checkpoint ckpt.json] [--json]', 2);
  const model = await loadModel(source, values.checkpoint, limitsFrom(values.limit));
  if (model.shape[0] !== 1) throw new CliError(`${source}: the model was compiled for batch ${model.shape[0]}; infer feeds one sample (compile with --batch 1)`);
  const x = readInput(values.input, model);
  const session = await createSession(model.bytes, values.threads ? { threads: Number(values.threads) } : {});
  const t0 = performance.now();
  const result = await session.run({ [INPUT_NAME]: floatTensor(x, model.shape) });
  const ms = performance.now() - t0;
  const logits = Array.from(result[OUTPUT_NAME]!.data as Float32Array);
  const bad = logits.flatMap((v, i) => (Number.isFinite(v) ? [] : [`${i}: ${v}`]));
  if (bad.length > 0) {
    // no class can be predicted from NaN or infinite scores; say so instead of guessing one
    const message = `${source}: the model's output is not finite for ${bad.length} of ${logits.length} classes (${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''}); no prediction`;
    if (values.json) out(JSON.stringify({ predicted: null, label: null, error: message, scores: logits.map((v) => (Number.isFinite(v) ? v : String(v))), ms }));
    err(message);
    return EXIT.runtime;
  }
  const probs = softmax(logits);
  const best = logits.indexOf(Math.max(...logits));
  const names = model.classes ?? logits.map((_, i) => String(i));
  if (values.json) {
    out(JSON.stringify({ predicted: best, label: names[best] ?? String(best), scores: logits, probabilities: probs, ms }));
  } else {
    out(`predicted class: ${names[best] ?? best} (index ${best}, p = ${probs[best]!.toFixed(3)})`);
    for (let i = 0; i < logits.length; i++) out(`  ${(names[i] ?? String(i)).padEnd(12)} score ${logits[i]!.toFixed(4).padStart(9)}  p ${probs[i]!.toFixed(3)}`);
    out(`(${ms.toFixed(1)} ms)`);
  }
  return 0;
}

async function loadModel(source: string, checkpoint: string | undefined, limits: Limits): Promise<ModelInput> {
  if (source.endsWith('.onnx')) {
    if (checkpoint !== undefined) throw new CliError(`${source}: a model file carries its own weights; --checkpoint goes with a document`, 2);
    const bytes = readUserFile(source, MAX_MODEL_BYTES, 'model');
    let info;
    try {
      info = readModelInfo(bytes);
    } catch (e) {
      throw new CliError(`${source}: not a valid ONNX model (${(e as Error).message.slice(0, 200)})`);
    }
    const inp = info.inputs.find((i) => i.name === INPUT_NAME);
    if (!inp || inp.dims.some((d) => typeof d !== 'number')) throw new CliError(`${source}: no static "${INPUT_NAME}" input; was it compiled by SNN Studio?`);
    return {
      bytes,
      shape: inp.dims as number[],
      kind: info.metadata['snn.input_kind'] ?? 'image',
      normalize: parseJson(info.metadata['snn.normalize']) as ModelInput['normalize'],
      classes: parseJson(info.metadata['snn.classes']) as string[] | null,
    };
  }
  const doc = resolveDocument(source);
  const params = checkpoint === undefined ? undefined : await checkpointParams(checkpoint, doc, limits);
  const compiled = compileInference(doc, { batch: 1, limits, ...(params ? { params } : {}) });
  return { bytes: compiled.bytes, shape: compiled.inputShape, kind: doc.input.kind, normalize: doc.input.normalize ?? null, classes: doc.input.classes ?? null };
}

function readInput(path: string, model: ModelInput): Float32Array {
  const sample = model.shape.slice(1);
  const count = sample.reduce((a, b) => a * b, 1);
  if (path.endsWith('.npy')) {
    const bytes = readUserFile(path, MAX_NPY_BYTES, 'input array');
    const arr = parseNpy(path, bytes);
    const data = npyToFloat64(arr);
    if (data.length !== count) throw new CliError(`${path}: has ${data.length} values (shape [${arr.shape.join(',')}]); the model takes [${sample.join(',')}] = ${count}`);
    return Float32Array.from(data);
  }
  if (model.kind !== 'image' || sample.length !== 3) throw new CliError(`${path}: images feed image models; this model takes [${sample.join(',')}] (${model.kind}): give a .npy`);
  const [c, h, w] = sample as [number, number, number];
  if (c !== 1 && c !== 3) throw new CliError(`images have 1 or 3 channels; the model takes ${c}`);
  const img = decodeImage(path, readUserFile(path, MAX_IMAGE_FILE_BYTES, 'input image'));
  const planes = resizePlanes(toPlanes(img, c), c, img.height, img.width, h, w, 'bilinear');
  const x = new Float32Array(count);
  for (let ch = 0; ch < c; ch++) {
    const mean = model.normalize?.mean[ch] ?? 0;
    const std = model.normalize?.std[ch] ?? 1;
    for (let i = 0; i < h * w; i++) x[ch * h * w + i] = (planes[ch * h * w + i]! / 255 - mean) / std;
  }
  return x;
}

function parseJson(s: string | undefined): unknown {
  if (!s) return null;
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

function softmax(xs: readonly number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
