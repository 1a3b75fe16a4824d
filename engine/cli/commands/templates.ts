/** `snn-studio templates [--json]`: the gallery. */
import { parseArgs } from 'node:util';
import { listTemplates } from '../../../templates/index.js';
import { out, wrapWords } from '../io.js';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } } });
  const templates = listTemplates();
  if (values.json) {
    out(JSON.stringify(templates));
    return 0;
  }
  // one block per template, wrapped to the terminal (80 columns when piped): a table of every
  // preset on one row was over 200 columns wide
  const width = Math.max(60, process.stdout.columns ?? 80);
  for (const t of templates) {
    const paper = t.paper ? `${t.paper.title}${t.paper.venue ? ` (${t.paper.venue}${t.paper.year ? ` ${t.paper.year}` : ''})` : ''}` : 'SNN Studio\'s own';
    out(wrapWords(`${t.id}: ${paper}`, width, '', '    ').join('\n'));
    out(wrapWords(`presets: ${t.presets.map((p) => p.name).join(', ')}`, width, '  ', '    ').join('\n'));
    for (const o of t.options ?? []) out(wrapWords(`option +${o.name}: ${o.description}`, width, '  ', '    ').join('\n'));
  }
  out('\nstart a document: snn-studio new <template>[:preset][+option] -o my.snn.json');
  return 0;
}
