/**
 * `snn-studio export <doc | template[:preset]> --format onnx|pytorch|nir [--checkpoint C] -o OUT`:
 * the trained (or seeded) model for ONNX Runtime, PyTorch (a directory: model.py,
 * weights.safetensors, train.py for torchrun, README.md) or NIR (an HDF5 file). The export lint
 * runs first; a document the format cannot hold is refused with every node and why, and nothing
 * is written. `--check` prints the lint alone.
 */
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, ExportRefused, lintExport, lintText, type ExportFormat } from '../../core/export/lint.js';
import { analyseDocument } from '../../core/graph/infer.js';
import { exportModel } from '../../runtime/export/export-model.js';
import { CliError, EXIT, err, LIMIT_HELP, LIMIT_OPTION, limitsFrom, out, problemsText } from '../io.js';
import { checkpointParams, positiveInt } from './compile.js';
import { resolveDocument } from './train.js';

const USAGE =
  'usage: snn-studio export <doc.snn.json | template[:preset]> --format onnx|pytorch|nir -o OUT [--checkpoint ckpt.json] ' +
  `[--seed S] [--batch N (onnx)] [--dt SECONDS (nir, default 0.001)] [--check] [--limit name=value]\n${LIMIT_HELP}`;

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      checkpoint: { type: 'string', short: 'c' },
      seed: { type: 'string' },
      batch: { type: 'string' },
      dt: { type: 'string' },
      check: { type: 'boolean' },
      ...LIMIT_OPTION,
    },
  });
  const file = positionals[0];
  if (!file || !values.format || (!values.out && !values.check)) throw new CliError(USAGE, EXIT.usage);
  if (!(EXPORT_FORMATS as readonly string[]).includes(values.format)) throw new CliError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got "${values.format}"`, EXIT.usage);
  const format = values.format as ExportFormat;
  const doc = resolveDocument(file);
  const limits = limitsFrom(values.limit);
  const analysis = analyseDocument(doc, undefined, limits);
  if (!analysis.ok) {
    err(problemsText(file, analysis.problems));
    return EXIT.invalid;
  }
  if (values.check) {
    const lint = lintExport(doc, format, analysis);
    out(lint.ok ? `${file}: ${format} can hold every node` : `${file}: ${format} cannot hold ${lint.findings.length} node(s)\n${lintText(lint)}`);
    return lint.ok ? EXIT.ok : EXIT.invalid;
  }
  const dt = values.dt === undefined ? undefined : Number(values.dt);
  if (dt !== undefined && !(dt > 0 && Number.isFinite(dt))) throw new CliError(`--dt must be a positive number of seconds, got "${values.dt}"`, EXIT.usage);
  const params = values.checkpoint === undefined ? undefined : await checkpointParams(values.checkpoint, doc, limits);
  try {
    const result = await exportModel({
      doc,
      format,
      out: values.out!,
      limits,
      ...(params ? { params } : {}),
      ...(values.seed === undefined ? {} : { seed: positiveInt(values.seed, '--seed', true) }),
      ...(values.batch === undefined ? {} : { batch: positiveInt(values.batch, '--batch') }),
      ...(dt === undefined ? {} : { dt }),
    });
    out(`${values.out}: ${format} export of "${doc.name}" (${params ? `weights of ${values.checkpoint}` : 'seeded weights'}): ${result.files.length} file(s)`);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof ExportRefused) throw new CliError(`${file}: not exported, nothing written — ${e.message}`, EXIT.invalid);
    throw e;
  }
}
