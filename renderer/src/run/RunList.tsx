/**
 * The document's runs, newest first: open one's charts, compare it with the shown run, resume it
 * where it stopped, rename or delete it. A run trained on another version of the document is
 * marked (its hash is not the open document's).
 */
import { ActionIcon, Badge, Button, Group, Modal, Text, TextInput, Tooltip } from '@mantine/core';
import { IconChartLine, IconEdit, IconGitCompare, IconPlayerPlay, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { RunStatus, RunSummary } from '../../../engine/api/runs.js';
import { formatTime } from '../format.js';
import { useDocument } from '../state/document-store.js';
import { canHash, documentHash } from './document-hash.js';
import { deleteRun, openRun, overlayRun, renameRun, showLiveRun } from './run-list-actions.js';
import { shownRunName, useRunStore } from './run-store.js';
import { resumeStoredRun } from './train-actions.js';

const STATUS_COLOUR: Record<RunStatus, string> = { running: 'blue', finished: 'green', stopped: 'gray', failed: 'red', interrupted: 'orange' };

export function RunList() {
  const runs = useRunStore((s) => s.runs);
  const runsError = useRunStore((s) => s.runsError);
  const shown = useRunStore(shownRunName);
  const overlay = useRunStore((s) => s.overlay?.name ?? null);
  const busy = useRunStore((s) => s.starting || (s.live !== null && s.live.phase !== 'ended'));
  const liveName = useRunStore((s) => s.live?.runName ?? null);
  const docHash = useDocumentHash();
  const [deleting, setDeleting] = useState<RunSummary | null>(null);

  if (runsError) return <Text size="xs" c="red">Could not list the runs: {runsError}</Text>;
  if (runs.length === 0)
    return (
      <Text size="xs" c="dimmed" data-testid="runs-empty">
        No runs of this document yet. Start one: it is kept in a <code>runs/</code> folder beside the document (the app&apos;s own folder until the document is saved).
      </Text>
    );
  return (
    <>
      <ul className="snn-runs" data-testid="run-list">
        {runs.map((r) => (
          <RunRow
            key={r.name}
            run={r}
            shown={r.name === shown}
            overlaid={r.name === overlay}
            otherDocument={docHash !== null && r.documentHash !== docHash}
            canResume={!busy && r.latestCheckpoint !== null && (r.status === 'stopped' || r.status === 'failed' || r.status === 'interrupted')}
            onOpen={() => (r.name === liveName ? showLiveRun() : void openRun(r.name))}
            onDelete={() => setDeleting(r)}
          />
        ))}
      </ul>
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title="Delete this run?" size="sm" centered>
        {deleting && (
          <>
            <Text size="sm">
              Run <b>{deleting.label}</b> and its folder <code>{deleting.name}</code> (metrics, checkpoints, document snapshot) are removed from disk.
            </Text>
            <Group justify="flex-end" mt="md" gap="xs">
              <Button size="xs" variant="default" onClick={() => setDeleting(null)}>
                Cancel
              </Button>
              <Button
                size="xs"
                color="red"
                data-testid="run-delete-confirm"
                onClick={() => {
                  void deleteRun(deleting.name);
                  setDeleting(null);
                }}
              >
                Delete
              </Button>
            </Group>
          </>
        )}
      </Modal>
    </>
  );
}

interface RowProps {
  readonly run: RunSummary;
  readonly shown: boolean;
  readonly overlaid: boolean;
  readonly otherDocument: boolean;
  readonly canResume: boolean;
  readonly onOpen: () => void;
  readonly onDelete: () => void;
}

function RunRow({ run, shown, overlaid, otherDocument, canResume, onOpen, onDelete }: RowProps) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const accuracy = run.testAccuracy === null ? null : `${(run.testAccuracy * 100).toFixed(1)}%`;
  return (
    <li className="snn-runs__row" data-testid="run-row" data-run={run.name} data-status={run.status} data-checkpoint={run.latestCheckpoint ?? ''} data-shown={shown || undefined}>
      <Group gap={4} wrap="nowrap">
        {renaming !== null ? (
          <TextInput
            size="xs"
            autoFocus
            value={renaming}
            aria-label="Run name"
            data-testid="run-rename-input"
            onChange={(e) => setRenaming(e.currentTarget.value)}
            onBlur={() => setRenaming(null)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && renaming.trim() !== '') {
                void renameRun(run.name, renaming.trim());
                setRenaming(null);
              } else if (e.key === 'Escape') setRenaming(null);
            }}
            style={{ flex: 1 }}
          />
        ) : (
          <button type="button" className="snn-runs__label" onClick={onOpen} title={`Show this run's charts (${run.path})`} data-testid="run-open">
            <IconChartLine size={12} />
            {/* runs of one document share the start of their names: the end (the run's number) stays in sight */}
            <span className="snn-runs__name">
              <bdi>{run.label}</bdi>
            </span>
          </button>
        )}
        <Badge size="xs" variant="light" color={STATUS_COLOUR[run.status]}>
          {run.status}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed" className="snn-runs__meta">
        {formatTime(run.createdAt)} · epoch {run.epochs}/{run.plannedEpochs} · {run.steps} steps{accuracy && ` · test ${accuracy}`}
      </Text>
      {run.error && (
        <Text size="xs" c="red" lineClamp={2} title={run.error}>
          {run.error}
        </Text>
      )}
      {otherDocument && (
        <Text size="xs" c="orange" data-testid="run-other-document">
          trained on another version of this document
        </Text>
      )}
      <Group gap={2} className="snn-runs__actions">
        <Tooltip label={overlaid ? 'Stop comparing' : 'Draw over the shown run (dashed)'} openDelay={300}>
          <ActionIcon size="sm" variant={overlaid ? 'light' : 'subtle'} color="gray" aria-label={`compare run ${run.label}`} disabled={shown} onClick={() => void overlayRun(overlaid ? null : run.name)} data-testid="run-compare">
            <IconGitCompare size={13} />
          </ActionIcon>
        </Tooltip>
        <Tooltip label="Resume from its last checkpoint" openDelay={300}>
          <ActionIcon size="sm" variant="subtle" color="gray" aria-label={`resume run ${run.label}`} disabled={!canResume} onClick={() => void resumeStoredRun(run.name)} data-testid="run-resume-stored">
            <IconPlayerPlay size={13} />
          </ActionIcon>
        </Tooltip>
        <Tooltip label="Rename" openDelay={300}>
          <ActionIcon size="sm" variant="subtle" color="gray" aria-label={`rename run ${run.label}`} onClick={() => setRenaming(run.label)} data-testid="run-rename">
            <IconEdit size={13} />
          </ActionIcon>
        </Tooltip>
        <Tooltip label="Delete" openDelay={300}>
          <ActionIcon size="sm" variant="subtle" color="gray" aria-label={`delete run ${run.label}`} disabled={run.status === 'running'} onClick={onDelete} data-testid="run-delete">
            <IconTrash size={13} />
          </ActionIcon>
        </Tooltip>
      </Group>
    </li>
  );
}

/** The open document's hash as runs record it, once computed (null where WebCrypto is missing). */
function useDocumentHash(): string | null {
  const doc = useDocument();
  const [hash, setHash] = useState<{ doc: object; hash: string } | null>(null);
  useEffect(() => {
    let live = true;
    if (!canHash()) return;
    void documentHash(doc).then((h) => live && setHash({ doc, hash: h }));
    return () => {
      live = false;
    };
  }, [doc]);
  return hash?.doc === doc ? hash.hash : null;
}
