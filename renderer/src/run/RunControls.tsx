/**
 * Start, pause, resume and stop, with where the run stands (epoch, step, ETA, test accuracy) and
 * what went wrong when it failed. When the panel shows a reopened run, this line is about that run.
 */
import { Alert, Badge, Button, Group, Progress, Text } from '@mantine/core';
import { IconFileSpreadsheet, IconPlayerPause, IconPlayerPlay, IconPlayerStop, IconX } from '@tabler/icons-react';
import { useDocument } from '../state/document-store.js';
import { exportMetricsCsv } from './artifact-actions.js';
import { overlayRun, showLiveRun } from './run-list-actions.js';
import { failureText, formatDuration, liveStatus, runProgress, type RunProgress, type RunStatusName } from './run-progress.js';
import { useRunStore } from './run-store.js';
import { pauseTraining, resumeTraining, startTraining, stopTraining } from './train-actions.js';

const STATUS_COLOUR: Record<RunStatusName, string> = {
  idle: 'gray',
  starting: 'blue',
  running: 'blue',
  paused: 'yellow',
  stopping: 'yellow',
  finished: 'green',
  stopped: 'gray',
  failed: 'red',
};

export function RunControls() {
  useRunStore((s) => s.version);
  const live = useRunStore((s) => s.live);
  const starting = useRunStore((s) => s.starting);
  const startError = useRunStore((s) => s.startError);
  const viewed = useRunStore((s) => s.viewed);
  const overlay = useRunStore((s) => s.overlay);
  const doc = useDocument();

  const liveProgress = runProgress(live?.events ?? []);
  const status = liveStatus(live, starting, liveProgress);
  const active = status === 'running' || status === 'paused' || status === 'stopping' || status === 'starting';
  const shown = viewed ? runProgress(viewed.events) : liveProgress;
  const failure = viewed ? (shown.ended?.kind === 'failed' ? failureText(shown.ended) : null) : (live?.error ?? (liveProgress.ended?.kind === 'failed' ? failureText(liveProgress.ended) : null));
  const curves = viewed?.curves ?? live?.curves ?? null;
  const label = viewed?.label ?? live?.runName ?? 'this run';

  return (
    <div className="snn-run__controls">
      <Group gap={6} wrap="nowrap">
        <Button size="compact-sm" leftSection={<IconPlayerPlay size={14} />} onClick={() => void startTraining()} disabled={active} data-testid="run-start">
          Start
        </Button>
        {status === 'paused' ? (
          <Button size="compact-sm" variant="default" leftSection={<IconPlayerPlay size={14} />} onClick={() => void resumeTraining()} data-testid="run-resume">
            Resume
          </Button>
        ) : (
          <Button size="compact-sm" variant="default" leftSection={<IconPlayerPause size={14} />} onClick={() => void pauseTraining()} disabled={status !== 'running'} data-testid="run-pause">
            Pause
          </Button>
        )}
        <Button size="compact-sm" variant="default" leftSection={<IconPlayerStop size={14} />} onClick={() => void stopTraining()} disabled={status !== 'running' && status !== 'paused'} data-testid="run-stop" title="Stop at the next step and write a checkpoint to resume from">
          Stop
        </Button>
        <Badge size="sm" variant="light" color={STATUS_COLOUR[status]} data-testid="run-status" data-status={status}>
          {status}
        </Badge>
        <span className="snn-run__spacer" />
        <Button
          size="compact-xs"
          variant="subtle"
          leftSection={<IconFileSpreadsheet size={13} />}
          disabled={!curves || curves.x.length === 0}
          onClick={() => curves && void exportMetricsCsv(label, curves)}
          data-testid="run-csv"
          title="Save the shown run's metrics as CSV"
        >
          CSV
        </Button>
      </Group>
      <ProgressLine p={shown} />
      {viewed && (
        <Text size="xs" className="snn-run__note" data-testid="run-viewing">
          Showing run <b>{viewed.label}</b>{' '}
          <Button size="compact-xs" variant="subtle" onClick={showLiveRun}>
            {live ? 'back to the current run' : 'close'}
          </Button>
        </Text>
      )}
      {overlay && (viewed || live) && (
        <Text size="xs" className="snn-run__note" data-testid="run-overlay">
          Compared with run <b>{overlay.label}</b> (dashed){' '}
          <Button size="compact-xs" variant="subtle" leftSection={<IconX size={11} />} onClick={() => void overlayRun(null)}>
            stop comparing
          </Button>
        </Text>
      )}
      {!viewed && live && live.phase !== 'ended' && doc !== live.document && (
        <Text size="xs" c="orange" className="snn-run__note" data-testid="run-edited">
          The document was edited since this run started; the run trains the version it started with.
        </Text>
      )}
      {startError && (
        <Alert color="red" variant="light" p={6} data-testid="run-start-error">
          <Text size="xs">Could not start: {startError}</Text>
        </Alert>
      )}
      {failure && (
        <Alert color="red" variant="light" p={6} data-testid="run-error">
          <Text size="xs">Training failed: {failure}</Text>
        </Alert>
      )}
    </div>
  );
}

function ProgressLine({ p }: { p: RunProgress }) {
  if (!p.start) return null;
  const parts = [`epoch ${Math.max(1, p.epoch)}/${p.epochs}`, `step ${p.step}/${p.totalSteps}`];
  if (p.etaSeconds !== null && !p.ended) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  return (
    <span className="snn-run__progress" data-testid="run-progress" data-step={p.step} data-total={p.totalSteps}>
      <Progress size="sm" value={p.fraction * 100} className="snn-run__bar" animated={!p.ended && !p.paused} />
      <Text size="xs" span className="snn-run__progress-text">
        {parts.join(' · ')}
        {p.testAccuracy !== null && (
          <>
            {' · test '}
            <b data-testid="run-test-accuracy" data-value={p.testAccuracy}>
              {(p.testAccuracy * 100).toFixed(1)}%
            </b>
          </>
        )}
      </Text>
    </span>
  );
}
