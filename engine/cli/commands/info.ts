/**
 * `snn-studio info <doc> [--json]`: per-node shapes, value kinds, parameters and MACs (as built),
 * with totals as built and as deployed (linear chains on spikes folded), then the findings: the
 * spike-driven summary and every warning and design fact, each with its severity, as `validate`
 * prints them (info is where a user asks what the model is, so the design facts are listed here
 * without a flag).
 */
import { parseArgs } from 'node:util';
import { analyseDocument, type NodeInfo } from '../../core/graph/infer.js';
import { spikeDrivenSummary } from '../../core/graph/summary.js';
import { formatShape } from '../../core/tensor.js';
import { countBySeverity, plural, problemLine, wireProblem } from '../findings.js';
import { CliError, EXIT, err, grouped, limitsFrom, LIMIT_OPTION, out, problemsText, table } from '../io.js';
import { resolveDocument } from './train.js';
import { commandHelp } from '../help.js';

// --help is answered by main.ts before the arguments are parsed
const USAGE = commandHelp('info')!;

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, ...LIMIT_OPTION },
  });
  const file = positionals[0];
  if (!file) throw new CliError(USAGE, 2);
  const doc = resolveDocument(file);
  const a = analyseDocument(doc, undefined, limitsFrom(values.limit));
  if (!a.ok) {
    err(problemsText(file, a.problems));
    return EXIT.invalid;
  }
  const nodes = a.body.nodes.filter((n) => n.block.id !== 'output');
  const primaryOut = (n: NodeInfo) => n.outputs.out ?? Object.values(n.outputs)[0];
  const warnings = a.problems.filter((p) => p.severity === 'warning');
  const counts = countBySeverity(a.problems);
  const summary = spikeDrivenSummary(a)?.text ?? null;
  if (values.json) {
    out(
      JSON.stringify({
        name: doc.name,
        timeSteps: doc.timeSteps,
        params: a.paramCount,
        macs: a.macs,
        foldedMacs: a.foldedMacs,
        spikeMacs: a.spikeMacs,
        foldedChains: a.foldedChains.map((c) => ({ layers: c.layers.map((l) => l.join('/')), folds: c.text, macs: c.builtMacs, foldedMacs: c.foldedMacs })),
        output: a.output ? { shape: a.output.shape, timed: a.output.timed, kind: a.output.kind } : null,
        nodes: nodes.map((n) => {
          const o = primaryOut(n);
          return {
            id: n.id,
            block: n.block.id,
            outputShape: o ? [...(o.timed ? [doc.timeSteps] : []), 'B', ...o.shape] : null,
            valueKind: o?.kind ?? null,
            params: n.paramCount,
            macs: n.macs,
            ...(n.synapticKind ? { synapticInput: n.synapticKind } : {}),
          };
        }),
        warnings: warnings.map((w) => ({ path: w.path, nodeId: w.nodeId, message: w.message })),
        summary,
        counts,
        findings: a.problems.map(wireProblem),
      }),
    );
    return 0;
  }
  const rows = [['node', 'block', 'output', 'kind', 'params', 'MACs']];
  for (const n of nodes) {
    const o = primaryOut(n);
    rows.push([n.id, n.block.id, o ? formatShape(o, doc.timeSteps) : '', o?.kind ?? '', grouped(n.paramCount), grouped(n.macs)]);
  }
  rows.push(['total', '', '', '', grouped(a.paramCount), grouped(a.macs)]);
  out(`${doc.name} — T=${doc.timeSteps}, input ${JSON.stringify(doc.input.shape)} (${doc.input.kind})`);
  out(table(rows, new Set([4, 5])));
  out(`MACs are per sample over all ${doc.timeSteps} time steps, as built (training).`);
  if (a.foldedChains.length > 0) out(`Deployed, ${a.foldedChains.length} linear chains on spikes fold into one conv each: ${grouped(a.foldedMacs)} MACs.`);
  out(`${grouped(a.spikeMacs)} MACs of the deployed model act on binary spikes (accumulates on neuromorphic hardware).`);
  if (summary !== null) out(summary);
  out(`${plural(counts.warning, 'warning')}, ${plural(counts.info, 'design fact')}${a.problems.length > 0 ? ':' : ''}`);
  for (const p of a.problems) out(`  ${problemLine(p)}`);
  return 0;
}
