/**
 * The bottom panel: a tab per tool that reports on the graph. Problems and Layers are the
 * editor's; the training and profiler views add themselves to BOTTOM_TABS.
 */
import { Badge, Tabs } from '@mantine/core';
import { IconAlertTriangle, IconChartLine, IconCircleX, IconGauge, IconListDetails } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { ProblemsPanel, problemCounts } from '../problems/ProblemsPanel.js';
import { useAnalysis } from '../state/analysis.js';
import { useViewStore } from '../state/view-store.js';
import { RunPanel } from '../run/RunPanel.js';
import { LayersPanel } from './LayersPanel.js';
import { ProfileTab } from './ProfileTab.js';

export interface BottomTab {
  readonly id: string;
  readonly label: string;
  readonly icon?: ReactNode;
  readonly Badge?: () => ReactNode;
  readonly Content: () => ReactNode;
}

function ProblemsBadge() {
  const { errors, warnings } = problemCounts(useAnalysis().problems);
  if (errors + warnings === 0) return null;
  return (
    <Badge size="xs" variant="filled" color={errors > 0 ? 'red' : 'yellow'} data-testid="problems-count" leftSection={errors > 0 ? <IconCircleX size={10} /> : <IconAlertTriangle size={10} />}>
      {errors > 0 ? errors : warnings}
    </Badge>
  );
}

export const BOTTOM_TABS: BottomTab[] = [
  { id: 'problems', label: 'Problems', Badge: ProblemsBadge, Content: ProblemsPanel },
  { id: 'layers', label: 'Layers', icon: <IconListDetails size={13} />, Content: LayersPanel },
  { id: 'run', label: 'Run', icon: <IconChartLine size={13} />, Content: RunPanel },
  { id: 'profile', label: 'Profile', icon: <IconGauge size={13} />, Content: ProfileTab },
];

export function BottomPanel() {
  const tab = useViewStore((s) => s.bottomTab);
  return (
    <section className="snn-panel snn-bottom" aria-label="Bottom panel">
      <Tabs value={tab} onChange={(v) => v && useViewStore.setState({ bottomTab: v })} keepMounted={false} className="snn-bottom__tabs">
        <Tabs.List className="snn-bottom__list">
          {BOTTOM_TABS.map((t) => (
            <Tabs.Tab key={t.id} value={t.id} leftSection={t.icon} rightSection={t.Badge ? <t.Badge /> : undefined} data-testid={`tab-${t.id}`}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {BOTTOM_TABS.map((t) => (
          <Tabs.Panel key={t.id} value={t.id} className="snn-bottom__panel">
            <t.Content />
          </Tabs.Panel>
        ))}
      </Tabs>
    </section>
  );
}
