/** The keyboard shortcuts (`?`), read from the command table, plus the mouse gestures of the canvas. */
import { Kbd, Modal, SimpleGrid, Table, Text } from '@mantine/core';
import { isMac } from '../api.js';
import { COMMANDS, type CommandGroup } from '../commands/commands.js';
import { keyParts } from '../commands/key-labels.js';
import { useViewStore } from '../state/view-store.js';

const GROUPS: readonly CommandGroup[] = ['File', 'Edit', 'Graph', 'View', 'Help'];

const GESTURES: readonly [string, string][] = [
  ['Drag on empty canvas', 'Pan'],
  ['Scroll / pinch', 'Zoom'],
  ['Shift + drag', 'Box select'],
  ['Ctrl/⌘ + click', 'Add to selection'],
  ['Drag a block from the palette', 'Add it where you drop'],
  ['Drag from an output port to an input port', 'Connect'],
  ['Double-click a composite block', 'Open its inside'],
];

export function HelpOverlay() {
  const open = useViewStore((s) => s.helpOpen);
  const mac = isMac();
  return (
    <Modal opened={open} onClose={() => useViewStore.setState({ helpOpen: false })} title="Keyboard shortcuts" size="xl" zIndex={350}>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" data-testid="help-overlay">
        {GROUPS.map((group) => (
          <div key={group}>
            <Text size="xs" fw={700} tt="uppercase" c="dimmed" mb={4}>
              {group}
            </Text>
            <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={4}>
              <Table.Tbody>
                {COMMANDS.filter((c) => c.group === group).map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Text size="xs">{c.label}</Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      {c.keys.map((k, i) => (
                        <span key={k} className="snn-keys">
                          {i > 0 && <Text span size="xs" c="dimmed"> or </Text>}
                          {keyParts(k, mac).map((p) => (
                            <Kbd key={p} size="xs">
                              {p}
                            </Kbd>
                          ))}
                        </span>
                      ))}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        ))}
        <div>
          <Text size="xs" fw={700} tt="uppercase" c="dimmed" mb={4}>
            Mouse
          </Text>
          <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={4}>
            <Table.Tbody>
              {GESTURES.map(([g, what]) => (
                <Table.Tr key={g}>
                  <Table.Td>
                    <Text size="xs">{what}</Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="xs" c="dimmed">
                      {g}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      </SimpleGrid>
    </Modal>
  );
}
