/** `snn-studio new <template[:preset][+option…]> [--preset P] -o file.snn.json`: a document from the gallery. */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildTemplate, listTemplates, parseTemplateRef } from '../../../templates/index.js';
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
  const template = listTemplates().find((t) => t.id === id);
  if (!template) throw new CliError(`unknown template "${id}"; templates: ${listTemplates().map((t) => t.id).join(', ')}`, 2);
  if (preset !== undefined && !template.presets.some((p) => p.name === preset)) {
    throw new CliError(`template "${id}" has no preset "${preset}"; presets: ${template.presets.map((p) => p.name).join(', ')}`, 2);
  }
  const offered = (template.options ?? []).map((o) => o.name);
  const unknown = Object.keys(ref.options).find((name) => !offered.includes(name));
  if (unknown !== undefined) {
    throw new CliError(`template "${id}" has no option "${unknown}"; ${offered.length === 0 ? 'it takes no options' : `options: ${offered.join(', ')}`}`, 2);
  }
  const target = resolve(values.out);
  if (existsSync(target) && !values.force) throw new CliError(`${values.out} exists; use --force to overwrite it`);
  const doc = buildTemplate(id, preset, ref.options);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`);
  renameSync(tmp, target);
  const a = analyseDocument(doc);
  out(`${values.out}: ${doc.name} (${doc.nodes.length} nodes, ${a.paramCount.toLocaleString('en-US')} parameters)`);
  return 0;
}
