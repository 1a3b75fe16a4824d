/**
 * A run's metrics as a CSV table a spreadsheet or pandas opens: one row per step, the epoch
 * metrics on the row of the step that ended the epoch, a column per neuron layer's firing rate.
 * Fractions stay fractions here (the charts show percent), so the numbers equal metrics.jsonl's.
 */
import type { Column, RunCurves, Value } from './chart-model.js';

const HEADERS: readonly [string, Column, number][] = [
  ['epoch', 'epoch', 1],
  ['loss', 'loss', 1],
  ['accuracy', 'accuracy', 0.01],
  ['lr', 'lr', 1],
  ['images_per_second', 'imagesPerSecond', 1],
  ['ms_per_step', 'msPerStep', 1],
  ['train_loss', 'trainLoss', 1],
  ['test_loss', 'testLoss', 1],
  ['train_accuracy', 'trainAccuracy', 0.01],
  ['test_accuracy', 'testAccuracy', 0.01],
];

export function metricsCsv(c: RunCurves): string {
  const layers = [...c.firing.keys()];
  const header = ['step', ...HEADERS.map(([name]) => name), ...layers.map((l) => `firing_rate:${l}`)];
  const rows = c.x.map((step, i) => [
    String(step),
    ...HEADERS.map(([, column, scale]) => cell(c.columns[column][i], scale)),
    ...layers.map((l) => cell(c.firing.get(l)![i], 0.01)),
  ]);
  return [header, ...rows].map((r) => r.map(quote).join(',')).join('\n') + '\n';
}

function cell(v: Value | undefined, scale: number): string {
  if (v === null || v === undefined) return '';
  // undo the chart's percent without adding float noise (87.5 * 0.01 is 0.8750000000000001)
  return String(scale === 1 ? v : Number.parseFloat((v * scale).toPrecision(12)));
}

/** Layer names are the document's node ids, which may hold a comma or a quote. */
function quote(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
