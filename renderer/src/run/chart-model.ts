/**
 * A run's curves as charts read them: every metric a column over one step axis, built from the
 * run's TrainEvents one event at a time (live) or all at once (a run reopened from its
 * metrics.jsonl), so the two draw the same chart. Pure: no DOM, no uPlot; the chart component
 * turns a ChartView into uPlot options.
 */
import type { TrainEvent } from '../../../engine/api/train-events.js';

/** Step-level columns (one value per step event) and epoch-level ones (a value where an epoch ended). */
export type Column = 'epoch' | 'loss' | 'accuracy' | 'lr' | 'imagesPerSecond' | 'msPerStep' | 'trainLoss' | 'testLoss' | 'trainAccuracy' | 'testAccuracy';

export type Value = number | null;

export interface RunCurves {
  /** Steps (1-based, over the whole run): the x of every column. */
  readonly x: number[];
  readonly columns: Record<Column, Value[]>;
  /** Neuron layer → its firing rate at each step, in the order the layers first reported. */
  readonly firing: Map<string, Value[]>;
}

const COLUMNS: readonly Column[] = ['epoch', 'loss', 'accuracy', 'lr', 'imagesPerSecond', 'msPerStep', 'trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy'];

export function emptyCurves(): RunCurves {
  return { x: [], columns: Object.fromEntries(COLUMNS.map((c) => [c, []])) as unknown as Record<Column, Value[]>, firing: new Map() };
}

export function curvesOf(events: readonly TrainEvent[]): RunCurves {
  const c = emptyCurves();
  for (const e of events) addEvent(c, e);
  return c;
}

/**
 * Adds one event in place (a live run's curves grow by one step at a time; copying them per event
 * would be quadratic over a long run). A resumed run's `start` drops the points past where it
 * resumed: those steps are trained again, and the chart shows the run that the checkpoint continues.
 */
export function addEvent(c: RunCurves, e: TrainEvent): void {
  if (e.type === 'start') {
    if (e.resumedAtEpoch !== undefined) truncateAfter(c, e.resumedAtEpoch * e.stepsPerEpoch + (e.resumedAtBatch ?? 0));
  } else if (e.type === 'step') {
    const i = pushStep(c, e.step);
    const col = c.columns;
    col.epoch[i] = e.epoch + 1;
    col.loss[i] = finite(e.loss);
    col.accuracy[i] = e.accuracy * 100;
    col.lr[i] = e.lr;
    col.imagesPerSecond[i] = e.imagesPerSecond;
    col.msPerStep[i] = e.msPerStep;
    for (const [layer, rate] of Object.entries(e.firingRates)) firingColumn(c, layer)[i] = finite(rate * 100);
  } else if (e.type === 'epoch') {
    const i = pushStep(c, e.step);
    const col = c.columns;
    col.trainLoss[i] = finite(e.trainLoss);
    col.testLoss[i] = finite(e.testLoss);
    col.trainAccuracy[i] = e.trainAccuracy * 100;
    col.testAccuracy[i] = e.testAccuracy * 100;
  }
}

/** The index of step `step`: the last point when the event is about the step just added (an epoch's end), else a new point. */
function pushStep(c: RunCurves, step: number): number {
  const last = c.x.length - 1;
  if (last >= 0 && c.x[last] === step) return last;
  c.x.push(step);
  for (const col of COLUMNS) c.columns[col].push(null);
  for (const values of c.firing.values()) values.push(null);
  return c.x.length - 1;
}

function firingColumn(c: RunCurves, layer: string): Value[] {
  let values = c.firing.get(layer);
  if (!values) {
    values = new Array<Value>(c.x.length).fill(null);
    c.firing.set(layer, values);
  }
  return values;
}

function truncateAfter(c: RunCurves, step: number): void {
  let keep = c.x.length;
  while (keep > 0 && c.x[keep - 1]! > step) keep--;
  c.x.length = keep;
  for (const col of COLUMNS) c.columns[col].length = keep;
  for (const values of c.firing.values()) values.length = keep;
}

/** NaN and ±Infinity are not points: the chart leaves a gap where the loss blew up. */
function finite(v: number): Value {
  return Number.isFinite(v) ? v : null;
}

// ---- charts --------------------------------------------------------------------------------

export type ChartId = 'loss' | 'accuracy' | 'lr' | 'throughput' | 'firing';

/** How a series is drawn: a line through every step, or marked points joined across the steps between (once per epoch). */
export type SeriesStyle = 'line' | 'epoch';

export interface ChartSpec {
  readonly id: ChartId;
  readonly title: string;
  /** Unit of the y axis, shown with values ('%' for accuracies and firing rates). */
  readonly unit: string;
  readonly logScale?: boolean;
}

export const CHARTS: readonly ChartSpec[] = [
  { id: 'loss', title: 'Loss', unit: '' },
  { id: 'accuracy', title: 'Accuracy', unit: '%' },
  { id: 'firing', title: 'Firing rate per layer', unit: '%' },
  { id: 'lr', title: 'Learning rate', unit: '' },
  { id: 'throughput', title: 'Images/s', unit: '' },
];

interface SeriesSource {
  readonly label: string;
  readonly style: SeriesStyle;
  readonly values: (c: RunCurves) => Value[];
}

function sources(chart: ChartId, c: RunCurves): SeriesSource[] {
  const col = (label: string, column: Column, style: SeriesStyle = 'line'): SeriesSource => ({ label, style, values: (r) => r.columns[column] });
  switch (chart) {
    case 'loss':
      return [col('batch loss', 'loss'), col('train loss', 'trainLoss', 'epoch'), col('test loss', 'testLoss', 'epoch')];
    case 'accuracy':
      return [col('batch accuracy', 'accuracy'), col('train accuracy', 'trainAccuracy', 'epoch'), col('test accuracy', 'testAccuracy', 'epoch')];
    case 'lr':
      return [col('learning rate', 'lr')];
    case 'throughput':
      return [col('images/s', 'imagesPerSecond')];
    case 'firing':
      return [...c.firing.keys()].map((layer) => ({ label: layer, style: 'line', values: (r: RunCurves) => r.firing.get(layer) ?? [] }));
  }
}

/** One run on a chart: its curves, and the name a legend gives it when two runs are compared. */
export interface ChartRun {
  readonly label: string;
  readonly curves: RunCurves;
}

export interface ViewSeries {
  /** The series' name; with two runs, prefixed by its run's. */
  readonly label: string;
  /** What it measures (`test accuracy`, a layer's name), without the run. */
  readonly metric: string;
  readonly style: SeriesStyle;
  /** 0: the run shown; 1: the run compared with it (drawn dashed). */
  readonly run: number;
  /** Which series of its run this is (the colour: a run's loss and the overlaid run's loss share one). */
  readonly index: number;
}

export interface ChartView {
  /** uPlot's aligned data: the steps, then one column per series, null where a series has no point. */
  readonly data: [number[], ...Value[][]];
  readonly series: readonly ViewSeries[];
  /** The runs' labels, the shown run first. */
  readonly runs: readonly string[];
}

/**
 * The data of one chart for one run, or two overlaid: their steps merged into one axis (a run
 * that stopped early, or resumed with another step count, has gaps where the other has points).
 */
export function chartView(chart: ChartId, runs: readonly ChartRun[]): ChartView {
  const overlay = runs.length > 1;
  const series: ViewSeries[] = [];
  const perRun = runs.map((run, r) =>
    sources(chart, run.curves).map((s, index) => {
      series.push({ label: overlay ? `${run.label} · ${s.label}` : s.label, metric: s.label, style: s.style, run: r, index });
      return s.values(run.curves);
    }),
  );
  const labels = runs.map((r) => r.label);
  if (runs.length === 1) return { data: [runs[0]!.curves.x, ...perRun[0]!], series, runs: labels };
  const x = mergedSteps(runs.map((r) => r.curves.x));
  const columns = runs.flatMap((run, r) => perRun[r]!.map((values) => spread(run.curves.x, values, x)));
  return { data: [x, ...columns], series, runs: labels };
}

/** The sorted union of the runs' steps. */
function mergedSteps(xs: readonly (readonly number[])[]): number[] {
  return [...new Set(xs.flat())].sort((a, b) => a - b);
}

/** A run's values placed on the merged axis (both axes are sorted: one linear walk). */
function spread(own: readonly number[], values: readonly Value[], x: readonly number[]): Value[] {
  const out = new Array<Value>(x.length).fill(null);
  let j = 0;
  for (let i = 0; i < own.length; i++) {
    while (x[j]! < own[i]!) j++;
    out[j] = values[i] ?? null;
  }
  return out;
}

/** Whether a chart has anything to draw yet. */
export function hasPoints(view: ChartView): boolean {
  return view.data.slice(1).some((col) => col.some((v) => v !== null));
}

/** One key of a chart's legend: a colour (null: a run key, drawn grey) and solid or dashed. */
export interface LegendKey {
  readonly label: string;
  readonly index: number | null;
  readonly dashed: boolean;
}

/**
 * A chart's legend: a key per metric, and with two runs a key per run (solid, dashed) instead of
 * every metric twice with its run's long name; hovering a line still names both.
 */
export function legendKeys(view: ChartView): LegendKey[] {
  const metrics = view.series.filter((s) => s.run === 0).map((s) => ({ label: s.metric, index: s.index, dashed: false }));
  if (view.runs.length < 2) return metrics;
  return [...metrics, ...view.runs.slice(0, 2).map((label, r) => ({ label, index: null, dashed: r === 1 }))];
}
