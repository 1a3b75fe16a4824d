/**
 * A neuron layer's membrane trace on one sample: each traced neuron's charge H over the time steps
 * (after charge, before fire and reset), the threshold as a dashed line (one per neuron where it
 * adapts), and a dot on each step where the neuron fired. Drawn by uPlot, as the run's charts are,
 * and saved as PNG the same way.
 */
import { ActionIcon, Stack, Text, Tooltip } from '@mantine/core';
import { IconPhoto } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MembraneTraceJson } from '../../../engine/api/studio-api.js';
import { RUN_KEY_COLOUR, seriesColour } from '../run/chart-colours.js';
import type { LegendKey } from '../run/chart-model.js';
import { chartPng } from '../run/chart-png.js';
import { resolvedScheme, useThemeStore } from '../state/theme-store.js';

export const MEMBRANE_CHART = { width: 290, height: 170 } as const;

export function MembraneChart({ trace, sample, onPng }: { trace: MembraneTraceJson; sample: number; onPng: (title: string, png: string) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const dark = useThemeStore((s) => resolvedScheme(s) === 'dark');
  const title = `${trace.node} membrane, sample ${sample}`;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const u = new uPlot(options(trace, dark), data(trace), el);
    plot.current = u;
    return () => {
      u.destroy();
      plot.current = null;
    };
  }, [trace, dark]);

  return (
    <Stack gap={2} data-testid="profile-membrane" data-node={trace.node} data-sample={sample}>
      <Text size="xs" style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
        <span style={{ flex: 1 }}>
          Membrane of {trace.node} on sample {sample}: {trace.shown.length} of {trace.neurons} neurons (• fired)
        </span>
        <Tooltip label="Save this chart as PNG" openDelay={400}>
          <ActionIcon size="xs" variant="subtle" color="gray" aria-label="save the membrane chart as PNG" data-testid="profile-png-membrane" onClick={() => plot.current && onPng(title, chartPng(plot.current, title, legend(trace), dark))}>
            <IconPhoto size={12} />
          </ActionIcon>
        </Tooltip>
      </Text>
      <div ref={box} />
    </Stack>
  );
}

/** x: steps 1..T; a series per neuron; then the threshold (per neuron when it adapts). */
function data(trace: MembraneTraceJson): uPlot.AlignedData {
  const T = trace.membrane.length;
  const steps = Array.from({ length: T }, (_, t) => t + 1);
  const neurons = trace.shown.map((_, k) => trace.membrane.map((row) => row[k]!));
  const thresholds = trace.thresholds ? trace.shown.map((_, k) => trace.thresholds!.map((row) => row[k]!)) : [steps.map(() => trace.threshold)];
  return [steps, ...neurons, ...thresholds];
}

function legend(trace: MembraneTraceJson): LegendKey[] {
  return [...trace.shown.map((i, k) => ({ label: `neuron ${i}`, index: k, dashed: false })), { label: trace.thresholds ? 'threshold θ + A' : `threshold ${trace.threshold}`, index: null, dashed: true }];
}

function options(trace: MembraneTraceJson, dark: boolean): uPlot.Options {
  const text = dark ? '#a6a7ab' : '#6a737d';
  const grid = dark ? 'rgba(255,255,255,0.07)' : 'rgba(0,0,0,0.07)';
  const axis: uPlot.Axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: '10px system-ui, sans-serif', gap: 3 };
  const fired = (k: number) => trace.spikes.flatMap((row, t) => (row[k] ? [t] : []));
  const neuronSeries = trace.shown.map(
    (i, k): uPlot.Series => ({
      label: `neuron ${i}`,
      stroke: seriesColour({ index: k }),
      width: 1.5,
      points: { show: true, size: 7, fill: seriesColour({ index: k }), filter: () => fired(k) },
    }),
  );
  const thresholdSeries = (trace.thresholds ? trace.shown : [null]).map(
    (_, k): uPlot.Series => ({
      label: 'threshold',
      stroke: trace.thresholds ? seriesColour({ index: k }) : RUN_KEY_COLOUR,
      width: 1,
      dash: [4, 3],
      points: { show: false },
    }),
  );
  return {
    ...MEMBRANE_CHART,
    scales: { x: { time: false } },
    legend: { show: false },
    cursor: { points: { size: 5 } },
    axes: [
      { ...axis, size: 22, incrs: [1, 2, 5, 10, 20, 50, 100] },
      { ...axis, size: 40 },
    ],
    series: [{ label: 'step' }, ...neuronSeries, ...thresholdSeries],
  };
}
