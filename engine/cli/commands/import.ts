/**
 * `snn-studio import <doc | template[:preset]> --weights FILE -o run/`: published or exported
 * weights (a PyTorch state_dict .pth/.pt — never executed —, or safetensors) mapped onto the
 * document by its template family's released module names, saved as `run/epoch-0000.json` for
 * compile/eval/profile/export --checkpoint and fine-tuning. Mismatches are listed, none skipped.
 */
import { parseArgs } from 'node:util';
import { importWeights } from '../../runtime/export/import-weights.js';
import { CliError, EXIT, out } from '../io.js';
import { resolveDocument } from './train.js';

const USAGE = 'usage: snn-studio import <doc.snn.json | template[:preset]> --weights FILE(.pth|.pt|.safetensors) -o run/ [--verbose]';

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { weights: { type: 'string', short: 'w' }, out: { type: 'string', short: 'o' }, verbose: { type: 'boolean', short: 'v' } },
  });
  const target = positionals[0];
  if (!target || !values.weights || !values.out) throw new CliError(USAGE, EXIT.usage);
  const doc = resolveDocument(target);
  const r = await importWeights(doc, values.weights, values.out);
  const m = r.mapping;
  out(`${r.checkpoint}: ${m.values.size} tensors of "${doc.name}" from ${values.weights} (${r.format}${r.under ? `, state_dict under "${r.under}"` : ''}); ${m.renamed.length} renamed, ${m.reshaped.length} reshaped, ${m.ignored.length} ignored`);
  const ignoredWhy = new Map<string, number>();
  for (const [, why] of m.ignored) ignoredWhy.set(why, (ignoredWhy.get(why) ?? 0) + 1);
  for (const [why, n] of ignoredWhy) out(`  ignored ${n}: ${why}`);
  if (values.verbose) {
    for (const [from, to] of m.renamed) out(`  ${from} → ${to}`);
    for (const [name, shape] of m.reshaped) out(`  ${name}: [${shape.join(',')}] reshaped`);
    for (const [name] of m.ignored) out(`  ignored ${name}`);
  }
  return EXIT.ok;
}
