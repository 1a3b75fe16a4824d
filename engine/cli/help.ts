/**
 * `snn-studio <command> --help`: what each command takes, with one example, wrapped to 80
 * columns. main.ts answers it before the command's argument parser sees `--help` (which would call
 * it an unknown option).
 */
import { DEFAULT_LIMITS, LIMIT_NAMES } from '../core/limits/limits.js';
import { wrapWords } from './io.js';

interface Help {
  readonly usage: string;
  /** What the command prints, where its options do not say. */
  readonly about?: string;
  /** [flags, what they do] */
  readonly options: readonly (readonly [string, string])[];
  readonly example: string;
}

// the names and defaults from the limits table itself, as the usage errors' LIMIT_HELP gives them
const LIMIT: readonly [string, string] = ['--limit name=value', `raise a validation limit, repeatable; the defaults: ${LIMIT_NAMES.map((n) => `${n}=${DEFAULT_LIMITS[n]}`).join(', ')}`];
const WEIGHTS = 'a training checkpoint\'s weights (else seeded weights, and it says so)';

const HELP: Readonly<Record<string, Help>> = {
  validate: {
    usage: 'snn-studio validate <doc.snn.json | template[:preset]> [--info] [--json]',
    options: [
      ['--info', 'list the design facts too (layers that read spike counts or analog values)'],
      ['--json', 'one JSON object: counts by severity, the summary, every finding with its severity'],
      LIMIT,
    ],
    example: 'snn-studio validate my.snn.json --info',
  },
  info: {
    usage: 'snn-studio info <doc.snn.json | template[:preset]> [--json]',
    about:
      "prints each node's output shape, value kind, parameters and MACs, the totals, the spike-driven summary, and every warning and design fact (layers that read spike counts or analog values, linear chains that fold on spikes) with its severity",
    options: [
      ['--json', 'one JSON object: totals, nodes, the summary, counts by severity and every finding'],
      LIMIT,
    ],
    example: 'snn-studio info my.snn.json --json',
  },
  compile: {
    usage: 'snn-studio compile <doc.snn.json | template[:preset]> -o model.onnx [options]',
    options: [
      ['-o, --out FILE', 'the ONNX inference model to write'],
      ['--batch N', 'batch size baked into the model (default 1)'],
      ['--seed S', 'seed of the initial weights when no checkpoint is given'],
      ['--checkpoint FILE', WEIGHTS],
      ['--fold MODE', 'linear chains on spikes: cheaper (default: where MACs fall), all (the deployed form), none'],
      ['--no-fold', 'same as --fold none: the training form op for op'],
      LIMIT,
    ],
    example: 'snn-studio compile spikformer:tiny --checkpoint runs/spikformer-1/epoch-0002.json -o model.onnx',
  },
  infer: {
    usage: 'snn-studio infer <model.onnx | doc.snn.json | template[:preset]> --input FILE [options]',
    options: [
      ['--input FILE', 'one sample: a PNG/JPEG (resized and normalised as the document says) or a .npy'],
      ['--checkpoint FILE', `for a document: ${WEIGHTS}`],
      ['--threads K', 'ONNX Runtime threads (default: the machine\'s cores)'],
      ['--json', 'class scores and the prediction as JSON'],
      LIMIT,
    ],
    example: 'snn-studio infer model.onnx --input digit.png',
  },
  templates: { usage: 'snn-studio templates [--json]', options: [['--json', 'the gallery with every preset as JSON']], example: 'snn-studio templates' },
  new: {
    usage: 'snn-studio new <template> [--preset P] -o my.snn.json [--force]',
    options: [
      ['--preset P', 'one of the template\'s presets (snn-studio templates lists them)'],
      ['-o, --out FILE', 'the document to write'],
      ['--force', 'replace an existing file'],
    ],
    example: 'snn-studio new spikformer --preset tiny -o my-spikformer.snn.json',
  },
  train: {
    usage: 'snn-studio train <doc.snn.json | template[:preset]> [options]',
    options: [
      ['--data D', 'digits (default), fashion-mnist, idx:<dir>, cifar10:<dir>, cifar100:<dir>, folder:<dir> (a sub-folder per class), events:<dir>'],
      ['--epochs N', 'number of epochs (an option left out comes from the document\'s recipe)'],
      ['--batch B', 'batch size'],
      ['--lr X', 'peak learning rate'],
      ['--seed S', 'seed of the initial weights and the data order'],
      ['--optimizer O', 'sgd, adam, adamw or lamb'],
      ['--schedule S', 'constant, cosine or step'],
      ['--warmup E', 'epochs of linear warm-up'],
      ['--weight-decay W', 'decoupled weight decay (adamw, lamb) or L2 (sgd, adam)'],
      ['--loss L', 'ce, tet or mse_rate'],
      ['--label-smoothing X', 'for ce'],
      ['--clip X', 'clip the gradient norm at X'],
      ['--threads K', 'ONNX Runtime threads'],
      ['-o, --out DIR', 'the run folder (default runs/<name>-<n>/ beside the document)'],
      ['--resume', 'continue the latest run (or --out DIR) from its last checkpoint'],
      ['--max-steps N', 'stop each epoch after N steps'],
      ['--json', 'one JSON event per line on stdout'],
      LIMIT,
    ],
    example: 'snn-studio train spikformer:tiny --epochs 2 --lr 5e-3',
  },
  eval: {
    usage: 'snn-studio eval <doc.snn.json | template[:preset]> --checkpoint FILE [options]',
    options: [
      ['--checkpoint FILE', 'the weights to test'],
      ['--data D', 'the dataset, as train takes it (default digits)'],
      ['--batch B', 'batch size'],
      ['--threads K', 'ONNX Runtime threads'],
      ['--json', 'accuracy and firing rates as JSON'],
    ],
    example: 'snn-studio eval lif-cnn --checkpoint runs/lif-cnn-1/epoch-0003.json',
  },
  export: {
    usage: 'snn-studio export <doc.snn.json | template[:preset]> --format F -o OUT [options]',
    options: [
      ['--format F', 'onnx (a model file), pytorch (a folder: model.py, weights.safetensors, train.py for torchrun) or nir (HDF5)'],
      ['-o, --out PATH', 'the file or folder to write'],
      ['--checkpoint FILE', WEIGHTS],
      ['--check', 'print the export lint for the format and write nothing'],
      ['--seed S', 'seed of the weights when no checkpoint is given'],
      ['--batch N', 'batch size of an ONNX model'],
      ['--dt SECONDS', 'the NIR time step'],
      LIMIT,
    ],
    example: 'snn-studio export lif-cnn --format pytorch --checkpoint runs/lif-cnn-1/epoch-0003.json -o lif-cnn-torch/',
  },
  import: {
    usage: 'snn-studio import <doc.snn.json | template[:preset]> --weights FILE -o DIR [--verbose]',
    options: [
      ['--weights FILE', 'a PyTorch state_dict (.pth/.pt, read without executing it) or .safetensors'],
      ['-o, --out DIR', 'the run folder: epoch-0000.json for compile, eval, profile and export --checkpoint'],
      ['--verbose', 'list every tensor mapped'],
    ],
    example: 'snn-studio import spikformer:4-384-cifar100 --weights model_best.pth -o runs/imported/',
  },
  profile: {
    usage: 'snn-studio profile <doc.snn.json | template[:preset]> [options]',
    options: [
      ['--checkpoint FILE', 'trained weights (else seeded weights, and it says so)'],
      ['--data D', 'the dataset, as train takes it'],
      ['--samples N', 'test samples measured (default 256)'],
      ['--batch B', 'batch size'],
      ['--threads K', 'ONNX Runtime threads'],
      ['--convention C', 'paper (default), syops or neurobench: how operations are counted and charged'],
      ['--mac-pj X', 'energy per MAC (default 4.6 pJ)'],
      ['--ac-pj Y', 'energy per AC (default 0.9 pJ)'],
      ['--sample S', 'which profiled sample the rasters and the membrane trace show'],
      ['--membrane NODE', 'that neuron layer\'s membrane trace'],
      ['--neurons I,J', 'the neurons of the trace'],
      ['--json', 'everything as JSON'],
      ['--csv', 'the node table (or the trace) as CSV'],
    ],
    example: 'snn-studio profile spikformer:tiny --convention syops --samples 64',
  },
};

const WIDTH = 80;
const FLAGS = 22;

export function commandHelp(name: string): string | undefined {
  const h = Object.hasOwn(HELP, name) ? HELP[name] : undefined;
  if (!h) return undefined;
  const pad = ' '.repeat(FLAGS + 2);
  const options = h.options.flatMap(([flags, what]) =>
    flags.length <= FLAGS - 1 ? wrapWords(`${flags.padEnd(FLAGS)}${what}`, WIDTH, '  ', pad) : [`  ${flags}`, ...wrapWords(what, WIDTH, pad)],
  );
  const about = h.about === undefined ? [] : ['', ...wrapWords(h.about, WIDTH, '  ')];
  return [...wrapWords(`usage: ${h.usage}`, WIDTH, '', '    '), ...about, '', ...options, '', ...wrapWords(`example: ${h.example}`, WIDTH, '', '    ')].join('\n');
}

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}
