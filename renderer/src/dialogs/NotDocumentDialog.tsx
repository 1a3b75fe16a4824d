/** Opening a file that is not a graph document: what the file is not, and why, in a dialog. */
import { Button, Group, List, Modal, Text } from '@mantine/core';
import { IconFileAlert } from '@tabler/icons-react';
import { openFile } from '../actions/files.js';
import { useDialogStore } from '../state/dialog-store.js';

export function NotDocumentDialog() {
  const explanation = useDialogStore((s) => s.notDocument);
  const close = () => useDialogStore.setState({ notDocument: null });
  return (
    <Modal
      opened={explanation !== null}
      onClose={close}
      title={
        <Group gap={6} wrap="nowrap">
          <IconFileAlert size={16} color="var(--snn-error)" />
          <Text fw={600} size="sm">
            {explanation?.title}
          </Text>
        </Group>
      }
      size="md"
      centered
      zIndex={400}
      data-testid="not-document-dialog"
    >
      <Text size="sm" data-testid="not-document-summary">
        {explanation?.summary}
      </Text>
      {explanation && explanation.reasons.length > 0 && (
        <List size="sm" mt="xs" spacing={2} data-testid="not-document-reasons">
          {explanation.reasons.map((r, i) => (
            <List.Item key={i}>
              <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                {r}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
      <Group justify="flex-end" mt="md" gap="xs">
        <Button
          size="xs"
          variant="default"
          onClick={() => {
            close();
            void openFile();
          }}
        >
          Open another file…
        </Button>
        <Button size="xs" onClick={close} data-autofocus data-testid="not-document-ok">
          OK
        </Button>
      </Group>
    </Modal>
  );
}
