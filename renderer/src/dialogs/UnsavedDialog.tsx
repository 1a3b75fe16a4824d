/** Asked before a document with unsaved changes is replaced: save it, discard the changes, or stay. */
import { Button, Group, Modal, Text } from '@mantine/core';
import { useDialogStore } from '../state/dialog-store.js';
import { useDocumentStore } from '../state/document-store.js';

export function UnsavedDialog() {
  const asking = useDialogStore((s) => s.unsaved);
  const name = useDocumentStore((s) => s.doc.name);
  return (
    <Modal opened={asking !== null} onClose={() => asking?.resolve('cancel')} title="Unsaved changes" size="sm" centered zIndex={400}>
      <Text size="sm">
        “{name}” has changes that are not saved. Save them before you {asking?.action ?? 'continue'}?
      </Text>
      <Group justify="flex-end" mt="md" gap="xs">
        <Button size="xs" variant="default" onClick={() => asking?.resolve('cancel')}>
          Cancel
        </Button>
        <Button size="xs" variant="light" color="red" onClick={() => asking?.resolve('discard')} data-testid="unsaved-discard">
          Discard changes
        </Button>
        <Button size="xs" onClick={() => asking?.resolve('save')} data-autofocus data-testid="unsaved-save">
          Save
        </Button>
      </Group>
    </Modal>
  );
}
