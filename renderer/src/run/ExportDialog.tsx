/**
 * File → Export ONNX…: which weights go into the model (a run's latest checkpoint, or the
 * document's seeded, untrained weights), said before the file is chosen.
 */
import { Button, Group, Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { useRunStore } from './run-store.js';
import { closeExportDialog, exportOnnx, useExportStore, VERIFY_SAMPLES } from './export-onnx.js';

const SEEDED = '';

export function ExportDialog() {
  const open = useExportStore((s) => s.dialogOpen);
  const run = useExportStore((s) => s.run);
  const runs = useRunStore((s) => s.runs).filter((r) => r.latestCheckpoint !== null);
  const chosen = runs.find((r) => r.name === run) ?? null;

  return (
    <Modal opened={open} onClose={closeExportDialog} title="Export ONNX" size="md" centered>
      <Stack gap="sm" data-testid="export-dialog">
        <Text size="sm">The inference model: forward pass only, weights as initializers, T and the input encoding in its metadata.</Text>
        {runs.length > 0 ? (
          <NativeSelect
            size="xs"
            label="Weights"
            value={run ?? SEEDED}
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
        <Text size="xs" c="dimmed">
          The written file is reopened in a fresh ONNX Runtime session and its predictions on {VERIFY_SAMPLES} test samples are compared with the training engine&apos;s; the status bar reports the result.
        </Text>
        <Group justify="flex-end" gap="xs">
          <Button size="xs" variant="default" onClick={closeExportDialog}>
            Cancel
          </Button>
          <Button size="xs" onClick={() => void exportOnnx(run)} data-testid="export-confirm">
            Choose file and export…
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
