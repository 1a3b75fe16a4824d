/**
 * A profile as flat rows (every node at every depth, composites before their insides) and as CSV,
 * for the CLI's `--csv` and the app's export.
 */
import { CONVENTIONS } from './conventions.js';
import type { Profile } from './profile.js';

export function flattenRows<R extends { readonly children?: readonly R[] | undefined }>(rows: readonly R[]): R[] {
  return rows.flatMap((r) => [r, ...flattenRows(r.children ?? [])]);
}

const HEADER = [
  'path',
  'block',
  'depth',
  'params',
  'dense_macs',
  'fr_in',
  'fr_out',
  'fr_out_per_step',
  'eff_macs',
  'eff_acs',
  'membrane_updates',
  'sparsity',
  ...CONVENTIONS.flatMap((c) => [`${c}_macs`, `${c}_acs`, `${c}_pj`]),
  'activation_bytes',
  'time_ms',
];

/** One line per node; rates are the mean over the spike tensors a node reads or writes. */
export function profileCsv(profile: Profile): string {
  const lines = [HEADER.join(',')];
  for (const r of flattenRows(profile.rows)) {
    const cells = [
      quote(r.path),
      r.block,
      r.depth,
      r.params,
      r.macs,
      num(meanRate(r.reads)),
      num(meanRate(r.writes)),
      quote(r.writes.find((w) => w.perStep)?.perStep?.map((x) => num(x)).join(' ') ?? ''),
      num(r.synaptic.effMacs),
      num(r.synaptic.effAcs),
      r.membraneUpdates,
      num(r.sparsity),
      ...CONVENTIONS.flatMap((c) => [num(r.energy[c].macs), num(r.energy[c].acs), num(r.energy[c].pj)]),
      r.activationBytes,
      num(r.timeMs),
    ];
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** The mean rate of the measured tensors among `ts`, or undefined when none is measured. */
export function meanRate(ts: readonly { readonly rate?: number }[]): number | undefined {
  const rates = ts.flatMap((t) => (t.rate === undefined ? [] : [t.rate]));
  return rates.length === 0 ? undefined : rates.reduce((a, b) => a + b, 0) / rates.length;
}

function num(x: number | undefined): string {
  return x === undefined ? '' : String(Number(x.toPrecision(9)));
}

function quote(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
