/**
 * The start screen: templates from the papers (with generated thumbnails, presets and the accuracy
 * each paper reports), a blank graph, files, and work to recover after a crash.
 */
import { Alert, Button, Group, Loader, Modal, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconFile, IconFilePlus, IconFolderOpen, IconLifebuoy } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { RecoveredDocument, TemplateSummary } from '../../../engine/api/studio-api.js';
import { errorMessage, studio } from '../api.js';
import { newDocument, openFile, recover, refreshRecent } from '../actions/files.js';
import { formatTime } from '../format.js';
import { getDocument } from '../state/document-store.js';
import { useFileStore } from '../state/file-store.js';
import { useViewStore } from '../state/view-store.js';
import { recoveryDiffers } from './recovery.js';
import { TemplateCard } from './TemplateCard.js';

type Loaded<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; message: string };

export function Gallery() {
  const open = useViewStore((s) => s.galleryOpen);
  const [templates, setTemplates] = useState<Loaded<TemplateSummary[]>>({ state: 'loading' });
  const [recovered, setRecovered] = useState<RecoveredDocument | null>(null);
  const [recoveryChecked, setRecoveryChecked] = useState(false);
  const recent = useFileStore((s) => s.recent);

  useEffect(() => {
    if (!open) return;
    let live = true;
    studio()
      .listTemplates()
      .then((value) => live && setTemplates({ state: 'ready', value }))
      .catch((e) => live && setTemplates({ state: 'failed', message: errorMessage(e) }));
    studio()
      .recoverAutosave()
      .then((r) => live && setRecovered(r && recoveryDiffers(r.document, getDocument()) ? r : null))
      .catch(() => undefined)
      .finally(() => live && setRecoveryChecked(true));
    void refreshRecent();
    return () => {
      live = false;
      setRecoveryChecked(false);
    };
  }, [open]);

  const close = () => useViewStore.setState({ galleryOpen: false });

  return (
    <Modal opened={open} onClose={close} fullScreen withCloseButton={false} transitionProps={{ duration: 0 }} classNames={{ body: 'snn-gallery' }} aria-label="Start">
      <div className="snn-gallery__inner" data-testid="gallery" data-recovery-checked={recoveryChecked || undefined}>
        <Group justify="space-between" align="flex-end" mb="md">
          <div>
            <Title order={2} fz={20}>
              SNN Studio
            </Title>
            <Text size="sm" c="dimmed">
              Start from a published architecture, or from an empty graph.
            </Text>
          </div>
          <Group gap="xs">
            <Button size="xs" variant="default" leftSection={<IconFolderOpen size={14} />} onClick={() => void openFile()}>
              Open file…
            </Button>
            <Button size="xs" variant="subtle" onClick={close} data-testid="gallery-close">
              Close
            </Button>
          </Group>
        </Group>

        {recovered && (
          <Alert color="yellow" variant="light" icon={<IconLifebuoy size={16} />} mb="md" title="Unsaved work from an earlier session" data-testid="recovery">
            <Group justify="space-between">
              <Text size="xs">
                {recovered.path ? `${recovered.path}, ` : 'An unsaved graph, '}autosaved at {formatTime(recovered.savedAt)}.
              </Text>
              <Group gap={6}>
                <Button size="compact-xs" onClick={() => void recover(recovered).then((ok) => ok && setRecovered(null))}>
                  Restore
                </Button>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  color="gray"
                  onClick={() => {
                    setRecovered(null);
                    void studio()
                      .discardAutosave()
                      .catch(() => undefined);
                  }}
                >
                  Discard
                </Button>
              </Group>
            </Group>
          </Alert>
        )}

        {recent.length > 0 && (
          <Stack gap={4} mb="md">
            <Text size="xs" fw={600} tt="uppercase" c="dimmed">
              Recent files
            </Text>
            <Group gap={6}>
              {recent.slice(0, 8).map((f) => (
                <Button key={f.path} size="compact-xs" variant="default" leftSection={<IconFile size={12} />} title={f.path} onClick={() => void openFile(f.path)}>
                  {f.name}
                </Button>
              ))}
            </Group>
          </Stack>
        )}

        <Text size="xs" fw={600} tt="uppercase" c="dimmed" mb={6}>
          Templates
        </Text>
        {templates.state === 'loading' && <Loader size="sm" />}
        {templates.state === 'failed' && (
          <Alert color="red" variant="light" title="The templates could not be listed">
            <Text size="xs">{templates.message}</Text>
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3, xl: 4 }} spacing="md">
          <button type="button" className="snn-card snn-card--blank" onClick={() => void newDocument()} data-testid="template-blank">
            <IconFilePlus size={28} stroke={1.5} />
            <Text fw={600} size="sm">
              Blank graph
            </Text>
            <Text size="xs" c="dimmed">
              An input and an output; drag blocks in between.
            </Text>
          </button>
          {templates.state === 'ready' && templates.value.map((t) => <TemplateCard key={t.id} template={t} />)}
        </SimpleGrid>
      </div>
    </Modal>
  );
}
