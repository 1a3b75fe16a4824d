/**
 * The spike-driven analysis, switched on and off on the canvas: when on, every block shows the
 * design fact about it (it reads spike counts or analog values, so it multiplies) and composites
 * count those inside. Its tooltip (and the Problems panel) says the same for the whole document
 * in one line.
 */
import { Switch, Tooltip } from '@mantine/core';
import { useMemo } from 'react';
import { spikeDrivenSummary } from '../../../engine/core/graph/summary.js';
import { useAnalysis } from '../state/analysis.js';
import { toggleAnalysis, useViewStore } from '../state/view-store.js';

export function AnalysisToggle() {
  const analysis = useAnalysis();
  const on = useViewStore((s) => s.showAnalysis);
  const summary = useMemo(() => spikeDrivenSummary(analysis), [analysis]);
  if (!summary) return null;
  return (
    <Tooltip label={`${summary.text}. On: each block says whether it is spike-driven.`} openDelay={400} withArrow multiline w={280}>
      <div className="snn-analysis-toggle">
        <Switch size="xs" checked={on} onChange={toggleAnalysis} label="Spike-driven analysis" data-testid="analysis-toggle" />
      </div>
    </Tooltip>
  );
}
