/**
 * The dataset the document trains on: a choice of the built-in sets and the folder formats, and
 * what the host read from it (size, classes, sample shape, 16 samples) — or why it could not.
 */
import { Alert, Button, Loader, NativeSelect, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import type { DatasetPreview } from '../../../engine/api/runs.js';
import { sameShape } from '../../../engine/core/tensor.js';
import { formatCount } from '../format.js';
import { useDocument } from '../state/document-store.js';
import { chooseDataset, loadPreview, reloadPreview } from './dataset-actions.js';
import { DATASET_CHOICES, documentDataset, folderName, parseSpec, type DatasetKind } from './dataset-spec.js';
import { PreviewGrid } from './PreviewGrid.js';
import { useRunStore } from './run-store.js';

export function DatasetSection() {
  const doc = useDocument();
  const spec = documentDataset(doc);
  const parsed = parseSpec(spec);
  const preview = useRunStore((s) => s.preview);
  const pickError = useRunStore((s) => s.pickError);
  useEffect(() => void loadPreview(spec), [spec]);

  const choices = DATASET_CHOICES.map((c) => ({ value: c.kind, label: c.label }));
  if (parsed.kind === 'detect') choices.push({ value: 'detect' as DatasetKind, label: 'Folder (format detected)' });

  return (
    <Stack gap={6} data-testid="dataset-section">
      <NativeSelect
        size="xs"
        label="Dataset"
        data={choices}
        value={parsed.kind}
        data-testid="dataset-kind"
        onChange={(e) => {
          const kind = e.currentTarget.value as DatasetKind | 'detect';
          if (kind !== 'detect') void chooseDataset(kind);
        }}
      />
      {parsed.dir && (
        <Text size="xs" c="dimmed" truncate title={parsed.dir} data-testid="dataset-folder">
          {folderName(parsed.dir)} · <span className="snn-run__path">{parsed.dir}</span>
        </Text>
      )}
      {parsed.dir && (
        <Button size="compact-xs" variant="default" onClick={() => parsed.kind !== 'detect' && void chooseDataset(parsed.kind)} disabled={parsed.kind === 'detect'}>
          Choose another folder…
        </Button>
      )}
      {pickError && (
        <Alert color="red" variant="light" p={6} withCloseButton onClose={() => useRunStore.setState({ pickError: null })} data-testid="dataset-pick-error">
          <Text size="xs">
            Not used: <b>{pickError.spec}</b>: {pickError.message}
          </Text>
        </Alert>
      )}
      {preview?.state === 'loading' && (
        <Text size="xs" c="dimmed" truncate title={preview.spec}>
          <Loader size={10} mr={6} />
          Reading {preview.spec}…
        </Text>
      )}
      {preview?.spec === spec && preview.state === 'error' && (
        <Alert color="red" variant="light" p={6} data-testid="dataset-error">
          <Text size="xs">{preview.message}</Text>
          <Button size="compact-xs" variant="subtle" mt={4} onClick={() => void reloadPreview(spec)}>
            Try again
          </Button>
        </Alert>
      )}
      {preview?.spec === spec && preview.state === 'ready' && <Summary preview={preview.preview} inputShape={doc.input.shape} />}
    </Stack>
  );
}

function Summary({ preview, inputShape }: { preview: DatasetPreview; inputShape: readonly number[] }) {
  const sample = preview.sampleShape;
  // event frames carry their own time axis first ([T,2,H,W]); the model's input is one frame's shape
  const frame = sample.length === inputShape.length + 1 ? sample.slice(1) : sample;
  const fits = sameShape(frame, inputShape);
  return (
    <>
      <Text size="xs" data-testid="dataset-summary">
        <b>{preview.name}</b>: {formatCount(preview.trainSamples)} train · {formatCount(preview.testSamples)} test · {preview.classes.length} classes · {formatShape(sample)}
      </Text>
      {!fits && (
        <Text size="xs" c="orange" data-testid="dataset-shape-warning">
          The model reads {formatShape(inputShape)} per sample; this dataset gives {formatShape(frame)}.
        </Text>
      )}
      <PreviewGrid samples={preview.samples} />
    </>
  );
}

const formatShape = (dims: readonly number[]) => `[${dims.join(',')}]`;
