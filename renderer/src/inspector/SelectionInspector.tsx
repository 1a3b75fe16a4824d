/** Several things selected: what they add up to, and what can be done with them at once. */
import { Button, Group, Stack, Text } from '@mantine/core';
import { IconCopy, IconPackage, IconTrash } from '@tabler/icons-react';
import { deleteSelection, wrapSelection } from '../actions/edit.js';
import { duplicateSelection } from '../actions/clipboard.js';
import { formatCount } from '../format.js';
import type { ResolvedScope } from '../state/scope.js';
import { Section } from './Section.js';

export function SelectionInspector({ scope, nodes, edges }: { scope: ResolvedScope; nodes: ReadonlySet<string>; edges: ReadonlySet<string> }) {
  const params = [...nodes].reduce((sum, id) => sum + (scope.info?.byId.get(id)?.paramCount ?? 0), 0);
  const editable = scope.key !== undefined;
  return (
    <Stack gap={0} data-testid="selection-inspector">
      <div className="snn-inspector-head">
        <Text fw={600} size="sm">
          {nodes.size} block{nodes.size === 1 ? '' : 's'}
          {edges.size > 0 ? `, ${edges.size} wire${edges.size === 1 ? '' : 's'}` : ''} selected
        </Text>
        <Text size="xs" c="dimmed" mt={4}>
          {formatCount(params)} parameters in the selected blocks
        </Text>
      </div>
      {editable && (
        <Section title="Actions">
          <Group gap={6}>
            <Button size="compact-xs" variant="light" leftSection={<IconPackage size={12} />} onClick={() => void wrapSelection()} disabled={nodes.size === 0} data-testid="wrap-selection">
              Wrap into block
            </Button>
            <Button size="compact-xs" variant="light" leftSection={<IconCopy size={12} />} onClick={duplicateSelection} disabled={nodes.size === 0}>
              Duplicate
            </Button>
            <Button size="compact-xs" variant="light" color="red" leftSection={<IconTrash size={12} />} onClick={deleteSelection}>
              Delete
            </Button>
          </Group>
        </Section>
      )}
    </Stack>
  );
}
