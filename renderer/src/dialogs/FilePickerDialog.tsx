/**
 * Browser mode's file dialog: a browser page cannot show a native dialog that yields a path, so the
 * host lists folders inside the roots it allows (browseFiles) and grants the file the user picks
 * (chooseFile), as a native dialog's answer does on the desktop.
 */
import { Alert, Button, Group, Modal, ScrollArea, Select, Text, TextInput } from '@mantine/core';
import { IconArrowUp, IconFileText, IconFolder } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { DirectoryListing, FilePurpose, FileRef } from '../../../engine/api/studio-api.js';
import { errorMessage, studio } from '../api.js';
import { useDialogStore } from '../state/dialog-store.js';

const TITLES: Record<FilePurpose, string> = {
  open: 'Open a graph',
  save: 'Save the graph as',
  export: 'Export to',
  dataset: 'Choose a dataset',
  metrics: 'Export metrics to',
  image: 'Export chart to',
  pytorch: 'Export the PyTorch project to a new folder',
  nir: 'Export NIR to',
  weights: 'Choose weights to import (.pth, .pt, .safetensors)',
};

export function FilePickerDialog() {
  const asking = useDialogStore((s) => s.file);
  return (
    <Modal opened={asking !== null} onClose={() => asking?.resolve(null)} title={asking ? TITLES[asking.purpose] : ''} size="lg" centered zIndex={400}>
      {asking && <Picker key={`${asking.purpose}:${asking.suggestedName}`} purpose={asking.purpose} suggestedName={asking.suggestedName} onDone={asking.resolve} />}
    </Modal>
  );
}

function Picker({ purpose, suggestedName, onDone }: { purpose: FilePurpose; suggestedName: string; onDone: (f: FileRef | null) => void }) {
  const [listing, setListing] = useState<DirectoryListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState(suggestedName);
  const [selected, setSelected] = useState<string | null>(null);
  // saving and exporting name a file (new or existing); opening picks an existing one
  const writes = purpose !== 'open' && purpose !== 'dataset' && purpose !== 'weights';

  const browse = (dir?: string) => {
    setError(null);
    studio()
      .browseFiles(dir === undefined ? { purpose } : { dir, purpose })
      .then((l) => {
        setListing(l);
        setSelected(null);
      })
      .catch((e) => setError(errorMessage(e)));
  };
  useEffect(() => browse(), []);

  const choose = (path: string) => {
    studio()
      .chooseFile({ path, purpose })
      .then(onDone)
      .catch((e) => setError(errorMessage(e)));
  };
  // Enter (or the button) before the folder has loaded is kept, and carried out once it has
  const [confirmPending, setConfirmPending] = useState(false);
  const confirm = () => {
    if (!listing) {
      setConfirmPending(true);
      return;
    }
    if (writes) {
      if (name.trim() !== '') choose(joinPath(listing.dir, name.trim()));
    } else if (selected) choose(selected);
  };
  useEffect(() => {
    if (!confirmPending || !listing) return;
    setConfirmPending(false);
    confirm();
  }, [confirmPending, listing]);

  return (
    <div data-testid="file-picker" data-loaded={listing !== null}>
      <Group gap={6} mb={6} wrap="nowrap">
        <Button size="compact-xs" variant="default" leftSection={<IconArrowUp size={12} />} disabled={!listing?.parent} onClick={() => listing?.parent && browse(listing.parent)}>
          Up
        </Button>
        <Text size="xs" ff="monospace" truncate style={{ flex: 1 }} title={listing?.dir}>
          {listing?.dir ?? '…'}
        </Text>
        {listing && listing.roots.length > 1 && (
          <Select size="xs" w={160} aria-label="Place" data={listing.roots.map((r) => ({ value: r.path, label: r.name }))} placeholder="Places" onChange={(v) => v && browse(v)} />
        )}
      </Group>
      <ScrollArea h={280} className="snn-picker" type="auto">
        {listing?.entries.length === 0 && (
          <Text size="xs" c="dimmed" p="xs">
            {writes ? 'This folder is empty.' : 'Nothing to open here.'}
          </Text>
        )}
        {listing?.entries.map((entry) => (
          <button
            key={entry.path}
            type="button"
            className="snn-picker__entry"
            data-selected={selected === entry.path || undefined}
            onClick={() => (entry.kind === 'dir' ? browse(entry.path) : writes ? setName(entry.name) : setSelected(entry.path))}
            onDoubleClick={() => entry.kind === 'file' && choose(entry.path)}
          >
            {entry.kind === 'dir' ? <IconFolder size={14} /> : <IconFileText size={14} />}
            <span>{entry.name}</span>
          </button>
        ))}
      </ScrollArea>
      {writes && (
        <TextInput size="xs" mt="xs" label={purpose === 'pytorch' ? 'Folder name' : 'File name'} value={name} onChange={(e) => setName(e.currentTarget.value)} onKeyDown={(e) => e.key === 'Enter' && confirm()} data-autofocus data-testid="picker-name" />
      )}
      {error && (
        <Alert color="red" variant="light" mt="xs" p={6}>
          <Text size="xs">{error}</Text>
        </Alert>
      )}
      <Group justify="flex-end" mt="md" gap="xs">
        <Button size="xs" variant="default" onClick={() => onDone(null)}>
          Cancel
        </Button>
        {purpose === 'dataset' && (
          // a dataset is a folder: the one shown is the choice
          <Button size="xs" onClick={() => listing && choose(listing.dir)} disabled={!listing} data-testid="picker-choose-folder">
            Use this folder
          </Button>
        )}
        {purpose !== 'dataset' && (
          <Button size="xs" onClick={confirm} disabled={writes ? name.trim() === '' : !selected} data-testid="picker-confirm">
            {writes ? (purpose === 'save' ? 'Save' : 'Export') : purpose === 'weights' ? 'Import' : 'Open'}
          </Button>
        )}
      </Group>
    </div>
  );
}

/** The host gives absolute paths; a name is joined with the separator the folder's path uses. */
function joinPath(dir: string, name: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}
