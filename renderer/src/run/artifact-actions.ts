/**
 * A run's chart as PNG and its metrics as CSV, written where the user chooses (purpose `image` or
 * `metrics`): the host writes only a path granted by that choice.
 */
import { errorMessage, studio } from '../api.js';
import { notify } from '../state/view-store.js';
import type { RunCurves } from './chart-model.js';
import { choosePath, fileStem } from './choose-path.js';
import { metricsCsv } from './metrics-csv.js';

export async function exportMetricsCsv(runLabel: string, curves: RunCurves): Promise<void> {
  await writeChosen('metrics', `${fileStem(runLabel)}-metrics.csv`, metricsCsv(curves));
}

/** `png` is a canvas's data URL (image/png). */
export async function exportChartPng(runLabel: string, chartTitle: string, png: string): Promise<void> {
  const base64 = png.slice(png.indexOf(',') + 1);
  await writeChosen('image', `${fileStem(runLabel)}-${fileStem(chartTitle.toLowerCase())}.png`, base64);
}

async function writeChosen(kind: 'image' | 'metrics', suggestedName: string, data: string): Promise<void> {
  try {
    const target = await choosePath(kind, suggestedName);
    if (!target) return;
    const written = await studio().writeArtifact({ path: target.path, kind, data });
    notify('info', `Wrote ${written.name}`);
  } catch (e) {
    notify('error', `Could not write the ${kind === 'image' ? 'chart' : 'metrics'}: ${errorMessage(e)}`);
  }
}
