/**
 * `snn-studio validate <doc> [--info] [--json]`: errors and warnings, each with its severity, on
 * stderr; the design facts (info) summarised in one line, listed with --info; exit 1 when there is
 * an error.
 */
import { parseArgs } from 'node:util';
import { analyseDocument } from '../../core/graph/infer.js';
import { spikeDrivenSummary } from '../../core/graph/summary.js';
import { countBySeverity, plural, problemLine, wireProblem } from '../findings.js';
import { CliError, err, LIMIT_OPTION, limitsFrom, out } from '../io.js';
import { resolveDocument } from './train.js';
import { commandHelp } from '../help.js';

// --help is answered by main.ts before the arguments are parsed
const USAGE = commandHelp('validate')!;

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { info: { type: 'boolean' }, json: { type: 'boolean' }, ...LIMIT_OPTION },
  });
  const file = positionals[0];
  if (!file) throw new CliError(USAGE, 2);
  const doc = resolveDocument(file);
  const a = analyseDocument(doc, undefined, limitsFrom(values.limit));
  const counts = countBySeverity(a.problems);
  const summary = spikeDrivenSummary(a)?.text ?? null;

  if (values.json) {
    out(
      JSON.stringify({
        file,
        ok: a.ok,
        nodes: doc.nodes.length,
        params: a.paramCount,
        macs: a.macs,
        spikeMacs: a.spikeMacs,
        counts,
        summary,
        problems: a.problems.map(wireProblem),
      }),
    );
    return a.ok ? 0 : 1;
  }

  for (const p of a.problems) if (p.severity !== 'info' || values.info) err(`${file}: ${problemLine(p)}`);
  if (summary !== null) out(`${file}: ${summary}${counts.info > 0 && !values.info ? ` (--info lists the ${counts.info} design fact${counts.info === 1 ? '' : 's'})` : ''}`);
  const tally = `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}`;
  if (!a.ok) {
    err(`${file}: invalid (${tally})`);
    return 1;
  }
  out(`${file}: valid (${plural(doc.nodes.length, 'node')}, ${a.paramCount.toLocaleString('en-US')} parameters; ${tally})`);
  return 0;
}
