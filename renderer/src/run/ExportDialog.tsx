/**
 * File → Export ONNX… / PyTorch (DDP)… / NIR…: first the export lint for that format (a block the
 * format cannot hold blocks the export, and can be marked on the canvas), then which weights go
 * out (a run's latest checkpoint, or the document's seeded, untrained weights), then the
 * destination. A PyTorch or NIR export shows its progress here and ends with the files written.
 */
import { Alert, Button, Group, List, Loader, Modal, NativeSelect, ScrollArea, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import type { ExportFormat } from '../../../engine/core/export/lint.js';
import { formatBytes } from '../format.js';
import { useDocument } from '../state/document-store.js';
import { useRunStore } from './run-store.js';
import { cancelExport, closeExportDialog, exportModel, FORMAT_LABELS, useExportStore, VERIFY_SAMPLES, type ExportPhase } from './export-model.js';
import { lintDocument, showExportLint, type LintOutcome } from './export-lint.js';

const SEEDED = '';

const WHAT: Readonly<Record<ExportFormat, string>> = {
  onnx: 'The inference model: forward pass only, weights as initializers, T and the input encoding in its metadata.',
  pytorch:
    'A folder with model.py (one nn.Module per block kind, time-major [T, B, …], the engine’s neurons and surrogate gradients in plain PyTorch), weights.safetensors, and train.py for torchrun with DistributedDataParallel (CPU gloo or GPU nccl).',
  nir: 'An HDF5 file in the Neuromorphic Intermediate Representation: convolutions, linear layers, pooling and IF/LIF neurons (BatchNorm folded in; LIF constants converted to continuous time with a 1 ms step).',
};

export function ExportDialog() {
  const open = useExportStore((s) => s.dialogOpen);
  const format = useExportStore((s) => s.format);
  const run = useExportStore((s) => s.run);
  const phase = useExportStore((s) => s.phase);
  const runs = useRunStore((s) => s.runs).filter((r) => r.latestCheckpoint !== null);
  const chosen = runs.find((r) => r.name === run) ?? null;
  const doc = useDocument();
  const lint = open ? lintDocument(doc, format) : null;
  const blocked = lint !== null && (!lint.ok || lint.findings.length > 0);
  const running = phase.state === 'running';

  // the canvas marks what this format cannot hold while the dialog is open
  useEffect(() => {
    if (open) showExportLint(format);
  }, [open, format]);
  const close = () => closeExportDialog();

  return (
    <Modal opened={open} onClose={close} title={`Export ${FORMAT_LABELS[format]}`} size="lg" centered>
      <Stack gap="sm" data-testid="export-dialog" data-format={format} data-phase={phase.state}>
        <Text size="sm">{WHAT[format]}</Text>
        {lint && <LintSection format={format} lint={lint} />}
        {runs.length > 0 ? (
          <NativeSelect
            size="xs"
            label="Weights"
            value={run ?? SEEDED}
            disabled={running}
            onChange={(e) => useExportStore.setState({ run: e.currentTarget.value === SEEDED ? null : e.currentTarget.value })}
            data={[...runs.map((r) => ({ value: r.name, label: `${r.label} — ${r.status}, epoch ${r.epochs}/${r.plannedEpochs}${r.testAccuracy === null ? '' : `, test ${(r.testAccuracy * 100).toFixed(1)}%`}` })), { value: SEEDED, label: 'Seeded, untrained weights' }]}
            data-testid="export-weights"
          />
        ) : null}
        <Text size="sm" data-testid="export-weights-note">
          {chosen ? (
            <>
              Exports the latest checkpoint of run <b>{chosen.label}</b>, with the document that run trained.
            </>
          ) : (
            <>
              {runs.length === 0 ? 'No run of this document has a checkpoint: the model' : 'The model'} is exported with <b>seeded, untrained weights</b>.
            </>
          )}
        </Text>
        {format === 'onnx' && (
          <Text size="xs" c="dimmed">
            The written file is reopened in a fresh ONNX Runtime session and its predictions on {VERIFY_SAMPLES} test samples are compared with the training engine&apos;s; the status bar reports the result.
          </Text>
        )}
        {format !== 'onnx' && <PhaseSection phase={phase} />}
        <Group justify="flex-end" gap="xs">
          {running ? (
            <Button size="xs" variant="default" onClick={cancelExport} data-testid="export-cancel-job">
              Stop export
            </Button>
          ) : (
            <Button size="xs" variant="default" onClick={close} data-testid="export-close">
              {phase.state === 'done' ? 'Close' : 'Cancel'}
            </Button>
          )}
          <Button size="xs" onClick={() => void exportModel(format, run)} disabled={blocked || running} data-testid="export-confirm">
            {format === 'pytorch' ? 'Choose folder and export…' : 'Choose file and export…'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function LintSection({ format, lint }: { format: ExportFormat; lint: LintOutcome }) {
  if (!lint.ok)
    return (
      <Alert color="red" variant="light" p="xs" data-testid="export-lint" data-state="problems">
        <Text size="xs">
          The graph has {lint.problems} problem{lint.problems === 1 ? '' : 's'} (see the Problems panel): a graph that does not validate cannot be exported.
        </Text>
      </Alert>
    );
  if (lint.findings.length === 0)
    return (
      <Text size="xs" c="teal" data-testid="export-lint" data-state="ok">
        Export lint: every block of this graph can be expressed in {FORMAT_LABELS[format]}.
      </Text>
    );
  const blocks = new Set(lint.findings.map((f) => f.nodeId)).size;
  return (
    <Alert color="red" variant="light" p="xs" data-testid="export-lint" data-state="refused" title={`${FORMAT_LABELS[format]} cannot hold ${lint.findings.length} node${lint.findings.length === 1 ? '' : 's'} in ${blocks} block${blocks === 1 ? '' : 's'}: the export is refused`}>
      <ScrollArea.Autosize mah={160} type="auto">
        <List size="xs" spacing={2}>
          {lint.findings.map((f) => (
            <List.Item key={f.path} data-testid="export-lint-finding" data-node={f.nodeId}>
              <Text span size="xs" ff="monospace">
                {f.path}
              </Text>{' '}
              ({f.block}): {f.reason}
            </List.Item>
          ))}
        </List>
      </ScrollArea.Autosize>
      <Group justify="flex-end" mt={6}>
        <Button size="compact-xs" variant="light" color="red" onClick={() => closeExportDialog(true)} data-testid="export-lint-mark">
          Mark on canvas
        </Button>
      </Group>
    </Alert>
  );
}

function PhaseSection({ phase }: { phase: ExportPhase }) {
  switch (phase.state) {
    case 'idle':
      return null;
    case 'running':
      return (
        <Group gap="xs" data-testid="export-progress">
          <Loader size="xs" />
          <Text size="xs">
            Writing {phase.target}
            {phase.step ? ` (${phase.step})` : ''}…
          </Text>
        </Group>
      );
    case 'failed':
      return (
        <Alert color="red" variant="light" p="xs" data-testid="export-error">
          <Text size="xs" style={{ whiteSpace: 'pre-wrap' }}>
            {phase.error}
          </Text>
        </Alert>
      );
    case 'done':
      return (
        <Stack gap={4} data-testid="export-result">
          <Text size="xs" fw={600}>
            Written to {phase.result.path} ({phase.result.checkpoint === null ? 'seeded, untrained weights' : 'trained weights'}):
          </Text>
          {phase.result.files.map((f) => (
            <Group key={f.path} justify="space-between" gap="xs" data-testid="export-file" data-path={f.path} data-bytes={f.bytes}>
              <Text size="xs" ff="monospace" truncate title={f.path}>
                {f.path.split(/[\\/]/).pop()}
              </Text>
              <Text size="xs" c="dimmed">
                {formatBytes(f.bytes)}
              </Text>
            </Group>
          ))}
        </Stack>
      );
  }
}
