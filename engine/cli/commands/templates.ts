/** `snn-studio templates [--json]`: the gallery. */
import { parseArgs } from 'node:util';
import { listTemplates } from '../../../templates/index.js';
import { out, table } from '../io.js';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } } });
  const templates = listTemplates();
  if (values.json) {
    out(JSON.stringify(templates));
    return 0;
  }
  const rows = [['template', 'presets', 'paper']];
  for (const t of templates) rows.push([t.id, t.presets.map((p) => p.name).join(', '), t.paper ? `${t.paper.title}${t.paper.venue ? ` (${t.paper.venue}${t.paper.year ? ` ${t.paper.year}` : ''})` : ''}` : '']);
  out(table(rows));
  out('\nstart a document: snn-studio new <template> [--preset P] -o my.snn.json');
  return 0;
}
