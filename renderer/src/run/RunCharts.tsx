/**
 * The charts of the shown run (the live one, or one reopened from the list), with a second run
 * drawn dashed over it when the user compares two.
 */
import { useMemo } from 'react';
import { exportChartPng } from './artifact-actions.js';
import { CHARTS, chartView, type ChartRun } from './chart-model.js';
import { useRunStore } from './run-store.js';
import { UPlotChart } from './UPlotChart.js';

export function RunCharts() {
  const version = useRunStore((s) => s.version);
  const live = useRunStore((s) => s.live);
  const viewed = useRunStore((s) => s.viewed);
  const overlay = useRunStore((s) => s.overlay);
  const runs = useMemo((): ChartRun[] => {
    const main: ChartRun | null = viewed ? { label: viewed.label, curves: viewed.curves } : live ? { label: live.runName ?? 'current run', curves: live.curves } : null;
    const list = main ? [main] : [];
    if (main && overlay && overlay.name !== (viewed?.name ?? live?.runName)) list.push({ label: overlay.label, curves: overlay.curves });
    return list;
  }, [viewed, live, overlay]);
  const label = runs[0]?.label ?? 'run';

  return (
    <div className="snn-run__charts" data-testid="run-charts">
      {CHARTS.map((spec) => (
        <Chart key={spec.id} spec={spec} runs={runs} version={version} onPng={(png) => void exportChartPng(label, spec.title, png)} />
      ))}
    </div>
  );
}

function Chart({ spec, runs, version, onPng }: { spec: (typeof CHARTS)[number]; runs: ChartRun[]; version: number; onPng: (png: string) => void }) {
  // a live run's arrays grow in place: the version says when to read them again
  const view = useMemo(() => chartView(spec.id, runs), [spec.id, runs, version]);
  return <UPlotChart spec={spec} view={view} version={version} onExportPng={onPng} />;
}
