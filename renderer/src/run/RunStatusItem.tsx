/** The status bar's training item: what the run does while the Run tab is out of sight; a click shows the tab. */
import { useViewStore } from '../state/view-store.js';
import { formatDuration, liveStatus, runProgress } from './run-progress.js';
import { useRunStore } from './run-store.js';

export function RunStatusItem() {
  useRunStore((s) => s.version);
  const live = useRunStore((s) => s.live);
  const starting = useRunStore((s) => s.starting);
  if (!live && !starting) return null;
  const p = runProgress(live?.events ?? []);
  const status = liveStatus(live, starting, p);
  const text =
    status === 'running' || status === 'paused'
      ? `Training ${Math.round(p.fraction * 100)}% · epoch ${Math.max(1, p.epoch)}/${p.epochs}${status === 'paused' ? ' · paused' : p.etaSeconds !== null ? ` · ETA ${formatDuration(p.etaSeconds)}` : ''}`
      : status === 'finished' && p.testAccuracy !== null
        ? `Trained: test ${(p.testAccuracy * 100).toFixed(1)}%`
        : `Training ${status}`;
  return (
    <button type="button" className="snn-status__item" onClick={() => useViewStore.setState({ bottomTab: 'run' })} data-testid="status-run">
      {text}
    </button>
  );
}
