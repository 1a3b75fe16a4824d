/**
 * One chart of a run, drawn by uPlot from a ChartView. The chart is rebuilt only when its series
 * change (a firing-rate layer appears, a run is overlaid, the theme flips); new points of a live
 * run go through setData. Hovering near a line names it (a layer's name on the firing-rate chart)
 * with its value at that step.
 */
import { ActionIcon, Tooltip } from '@mantine/core';
import { IconPhoto } from '@tabler/icons-react';
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { resolvedScheme, useThemeStore } from '../state/theme-store.js';
import { hasPoints, legendKeys, type ChartSpec, type ChartView, type ViewSeries } from './chart-model.js';
import { keyColour, seriesColour } from './chart-colours.js';
import { chartPng } from './chart-png.js';

export interface UPlotChartProps {
  readonly spec: ChartSpec;
  readonly view: ChartView;
  /** Changes whenever the view's data grew (a live run's arrays grow in place). */
  readonly version: number;
  readonly onExportPng: (png: string) => void;
}

export function UPlotChart({ spec, view, version, onExportPng }: UPlotChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const hover = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const dark = useThemeStore((s) => resolvedScheme(s) === 'dark');
  const signature = useMemo(() => view.series.map((s) => `${s.run}:${s.style}:${s.label}`).join('|'), [view.series]);
  const empty = !hasPoints(view);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const u = new uPlot(options(spec, view.series, el, hover.current, dark), view.data as uPlot.AlignedData, el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize(size(el)));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // rebuilt on a new set of series; data updates go through the effect below
  }, [signature, dark, spec]);

  useEffect(() => {
    plot.current?.setData(view.data as uPlot.AlignedData);
  }, [view, version]);

  return (
    <figure className="snn-chart" data-testid={`chart-${spec.id}`} data-points={view.data[0].length}>
      <figcaption className="snn-chart__head">
        <span className="snn-chart__title">{spec.title}</span>
        <span className="snn-chart__spacer" />
        <Tooltip label="Save this chart as PNG" openDelay={400}>
          <ActionIcon
            size="xs"
            variant="subtle"
            color="gray"
            aria-label={`save the ${spec.title} chart as PNG`}
            data-testid={`chart-png-${spec.id}`}
            disabled={empty}
            onClick={() => plot.current && onExportPng(chartPng(plot.current, spec.title, legendKeys(view), dark))}
          >
            <IconPhoto size={12} />
          </ActionIcon>
        </Tooltip>
      </figcaption>
      <div className="snn-chart__plot" ref={box}>
        {empty && <span className="snn-chart__empty">no points yet</span>}
        {/* over the plot, not in the narrow head: a layer's full name fits */}
        <span className="snn-chart__hover" ref={hover} data-testid={`chart-hover-${spec.id}`} />
      </div>
      <Legend view={view} />
    </figure>
  );
}

function Legend({ view }: { view: ChartView }) {
  return (
    <div className="snn-chart__legend">
      {legendKeys(view).map((k) => (
        <span key={`${k.index}:${k.label}`} className="snn-chart__key" title={k.label}>
          <i style={{ borderColor: keyColour(k), borderStyle: k.dashed ? 'dashed' : 'solid' }} />
          {k.label}
        </span>
      ))}
    </div>
  );
}

const STEP_INCREMENTS = [1, 2, 5].flatMap((m) => [1, 10, 100, 1000, 10_000, 100_000, 1_000_000].map((p) => m * p)).sort((a, b) => a - b);

function size(el: HTMLElement): { width: number; height: number } {
  return { width: Math.max(80, Math.floor(el.clientWidth)), height: Math.max(60, Math.floor(el.clientHeight)) };
}

function options(spec: ChartSpec, series: readonly ViewSeries[], el: HTMLElement, hover: HTMLElement | null, dark: boolean): uPlot.Options {
  const text = dark ? '#a6a7ab' : '#6a737d';
  const grid = dark ? 'rgba(255,255,255,0.07)' : 'rgba(0,0,0,0.07)';
  const axis: uPlot.Axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: '10px system-ui, sans-serif', gap: 3 };
  const format = (v: number | null) => (v === null ? '–' : `${formatValue(v)}${spec.unit}`);
  return {
    ...size(el),
    scales: { x: { time: false } },
    legend: { show: false },
    cursor: { focus: { prox: 24 }, points: { size: 5 } },
    focus: { alpha: 0.35 },
    axes: [
      // steps are whole numbers: no tick at 2.5
      { ...axis, size: 22, incrs: STEP_INCREMENTS },
      { ...axis, values: (_u, ticks) => ticks.map((t) => `${formatValue(t)}${spec.unit}`), size: 44 },
    ],
    series: [
      { label: 'step' },
      ...series.map((s): uPlot.Series => ({
        label: s.label,
        stroke: seriesColour(s),
        width: s.style === 'epoch' ? 2 : 1.25,
        dash: s.run === 1 ? [5, 4] : undefined,
        spanGaps: s.style === 'epoch',
        points: s.style === 'epoch' ? { show: true, size: 6, width: 1.5 } : { show: false },
        value: (_u, v) => format(v),
      })),
    ],
    hooks: {
      // the focused series (the line nearest the cursor) and its value at the hovered step
      setSeries: [(u, i) => showHover(u, i ?? null, hover, format)],
      setCursor: [(u) => showHover(u, focused(u), hover, format)],
    },
  };
}

function focused(u: uPlot): number | null {
  const i = u.series.findIndex((s, k) => k > 0 && (s as { _focus?: boolean })._focus === true);
  return i > 0 ? i : null;
}

function showHover(u: uPlot, series: number | null, hover: HTMLElement | null, format: (v: number | null) => string): void {
  if (!hover) return;
  const idx = u.cursor.idx;
  if (series === null || idx === null || idx === undefined) {
    hover.textContent = '';
    return;
  }
  const s = u.series[series]!;
  const v = u.data[series]?.[idx] ?? null;
  hover.textContent = `${s.label ?? ''}: ${format(v)} at step ${u.data[0][idx]}`;
}

/** Tick and hover values: 0.00123, 0.25, 87.5, 1.2k. */
export function formatValue(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1000) return `${Number.parseFloat((v / 1000).toPrecision(3))}k`;
  const p = Number.parseFloat(v.toPrecision(3));
  // as many digits as tell neighbouring ticks apart: 4.99e-3 and 5e-3, not 5.0e-3 twice
  return a < 0.01 ? p.toExponential() : String(p);
}
