/** `snn-studio validate <doc>`: located errors and warnings; exit 1 when there is an error. */
import { parseArgs } from 'node:util';
import { analyseDocument } from '../../core/graph/infer.js';
import { CliError, err, out, problemsText, readDocument } from '../io.js';

export async function run(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const file = positionals[0];
  if (!file) throw new CliError('usage: snn-studio validate <doc.snn.json>', 2);
  const doc = readDocument(file);
  const a = analyseDocument(doc);
  if (a.problems.length > 0) err(problemsText(file, a.problems));
  if (!a.ok) return 1;
  out(`${file}: valid (${doc.nodes.length} nodes, ${a.paramCount.toLocaleString('en-US')} parameters)`);
  return 0;
}
