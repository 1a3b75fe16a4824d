/**
 * The Run tab of the bottom panel: on the left the dataset, the training settings and the
 * document's runs; on the right the run controls with progress and the live charts.
 */
import { SegmentedControl } from '@mantine/core';
import { useEffect } from 'react';
import { useDocumentStore } from '../state/document-store.js';
import { useFileStore } from '../state/file-store.js';
import { ensurePanelSize } from '../state/panels.js';
import { DatasetSection } from './DatasetSection.js';
import { RunCharts } from './RunCharts.js';
import { RunControls } from './RunControls.js';
import { RunList } from './RunList.js';
import { refreshRuns, showRunIfIdle } from './run-list-actions.js';
import { useRunStore, type SidebarTab } from './run-store.js';
import { SettingsSection } from './SettingsSection.js';

/** Room for the form beside two rows of charts. */
const PANEL_HEIGHT = 420;

export function RunPanel() {
  const sidebar = useRunStore((s) => s.sidebar);
  const runCount = useRunStore((s) => s.runs.length);
  const file = useFileStore((s) => s.file?.path ?? null);
  const session = useDocumentStore((s) => s.session);
  // another document (or the same one saved to a file) has its runs elsewhere
  const documentKey = `${session}|${file ?? ''}`;
  useEffect(() => ensurePanelSize('bottom', PANEL_HEIGHT), []);
  useEffect(() => {
    if (useRunStore.getState().documentKey !== documentKey) useRunStore.setState({ documentKey, viewed: null, overlay: null });
    void refreshRuns().then(showNewestRun);
  }, [documentKey]);

  return (
    <div className="snn-run" data-testid="run-panel">
      <aside className="snn-run__side">
        <SegmentedControl
          size="xs"
          fullWidth
          value={sidebar}
          onChange={(v) => useRunStore.setState({ sidebar: v as SidebarTab })}
          data={[
            { value: 'data', label: 'Data' },
            { value: 'settings', label: 'Settings' },
            { value: 'runs', label: runCount > 0 ? `Runs (${runCount})` : 'Runs' },
          ]}
          data-testid="run-sidebar"
        />
        <div className="snn-run__side-body">
          {sidebar === 'data' && <DatasetSection />}
          {sidebar === 'settings' && <SettingsSection />}
          {sidebar === 'runs' && <RunList />}
        </div>
      </aside>
      <section className="snn-run__main">
        <RunControls />
        <RunCharts />
      </section>
    </div>
  );
}

/** With nothing trained in this window (the app reopened, a file opened), the charts show the document's newest run. */
function showNewestRun(): void {
  const { live, viewed, runs } = useRunStore.getState();
  if (!live && !viewed && runs[0]) void showRunIfIdle(runs[0].name);
}
