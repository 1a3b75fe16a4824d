/** `snn-studio new <template[:preset][+option…]> [--preset P] -o file.snn.json`: a document from the gallery. */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildTemplate, parseTemplateRef, UnknownTemplateError } from '../../../templates/index.js';
import { analyseDocument } from '../../core/graph/infer.js';
import { CliError, out } from '../io.js';

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { preset: { type: 'string', short: 'p' }, out: { type: 'string', short: 'o' }, force: { type: 'boolean', short: 'f' } },
  });
  if (!positionals[0] || !values.out) throw new CliError('usage: snn-studio new <template[:preset][+option]> [--preset P] -o my.snn.json', 2);
  const ref = parseTemplateRef(positionals[0]);
  const id = ref.id;
  const preset = values.preset ?? ref.preset;
  // the gallery checks the template, preset and options, and names the valid ones
  let doc;
  try {
    doc = buildTemplate(id, preset, ref.options);
  } catch (e) {
    if (e instanceof UnknownTemplateError) throw new CliError(e.message, 2);
    throw e;
  }
  const target = resolve(values.out);
  if (existsSync(target) && !values.force) throw new CliError(`${values.out} exists; use --force to overwrite it`);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`);
  renameSync(tmp, target);
  const a = analyseDocument(doc);
  out(`${values.out}: ${doc.name} (${doc.nodes.length} nodes, ${a.paramCount.toLocaleString('en-US')} parameters)`);
  return 0;
}
