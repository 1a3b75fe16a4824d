/** The bottom line: model totals, problem counts, and the last notice (saved, wrapped, refused). */
import { Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleX, IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useMemo } from 'react';
import { spikeDrivenSummary } from '../../../engine/core/graph/summary.js';
import { formatCount } from '../format.js';
import { problemCounts } from '../problems/ProblemsPanel.js';
import { RunStatusItem } from '../run/RunStatusItem.js';
import { useAnalysis } from '../state/analysis.js';
import { useViewStore } from '../state/view-store.js';

const NOTICE_MS = 7000;

export function StatusBar() {
  const analysis = useAnalysis();
  const notice = useViewStore((s) => s.notice);
  const { errors, warnings } = problemCounts(analysis.problems);
  const spikeDriven = useMemo(() => spikeDrivenSummary(analysis), [analysis]);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => useViewStore.setState((s) => (s.notice === notice ? { notice: null } : s)), NOTICE_MS);
    return () => clearTimeout(t);
  }, [notice]);
  return (
    <footer className="snn-status" aria-label="Status">
      <button type="button" className="snn-status__item" onClick={() => useViewStore.setState({ bottomTab: 'problems' })} data-testid="status-problems">
        <IconCircleX size={12} className={errors > 0 ? 'snn-status__error' : undefined} /> {errors}
        <IconAlertTriangle size={12} className={warnings > 0 ? 'snn-status__warning' : undefined} /> {warnings}
      </button>
      {spikeDriven && (
        <span className="snn-status__item" data-testid="status-spike-driven" title={spikeDriven.text}>
          {Math.round(spikeDriven.spikeDrivenShare * 100)}% spike-driven
        </span>
      )}
      <span className="snn-status__item" data-testid="status-params">
        {formatCount(analysis.paramCount)} params
      </span>
      <span className="snn-status__item">{formatCount(analysis.macs)} MACs</span>
      <RunStatusItem />
      <span className="snn-status__spacer" />
      {notice && (
        <Text size="xs" className={`snn-status__notice snn-status__notice--${notice.kind}`} role="status" data-testid="notice">
          {notice.kind === 'error' ? <IconCircleX size={12} /> : <IconInfoCircle size={12} />} {notice.text}
        </Text>
      )}
    </footer>
  );
}
