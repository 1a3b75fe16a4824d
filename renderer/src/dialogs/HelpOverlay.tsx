/**
 * The help window: Getting started, the block reference (each block's card from the catalogue),
 * the keyboard shortcuts (`?`, read from the command table, plus the canvas's mouse gestures) and
 * About with versions.
 */
import { Kbd, Modal, SimpleGrid, Table, Tabs, Text } from '@mantine/core';
import { About } from '../help/About.js';
import { BlockReference } from '../help/BlockReference.js';
import { GettingStarted } from '../help/GettingStarted.js';
import { isMac } from '../api.js';
import { COMMANDS, type CommandGroup } from '../commands/commands.js';
import { keyParts } from '../commands/key-labels.js';
import { useViewStore, type HelpPage } from '../state/view-store.js';

const GROUPS: readonly CommandGroup[] = ['File', 'Edit', 'Graph', 'View', 'Help'];

const GESTURES: readonly [string, string][] = [
  ['Drag on empty canvas', 'Pan'],
  ['Scroll / pinch', 'Zoom'],
  ['Shift + drag', 'Box select'],
  ['Ctrl/⌘ + click', 'Add to selection'],
  ['Drag a block from the palette', 'Add it where you drop'],
  ['Drag from an output port to an input port', 'Connect'],
  ['Double-click a composite block', 'Open its inside'],
  ['Right-click a block, a wire or the canvas', 'What you can do there'],
];

export function HelpOverlay() {
  const open = useViewStore((s) => s.helpOpen);
  const page = useViewStore((s) => s.helpPage);
  return (
    <Modal opened={open} onClose={() => useViewStore.setState({ helpOpen: false })} title="Help" size="xl" zIndex={350}>
      <Tabs value={page} onChange={(v) => v && useViewStore.setState({ helpPage: v as HelpPage })} keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="start" data-testid="help-tab-start">
            Getting started
          </Tabs.Tab>
          <Tabs.Tab value="blocks" data-testid="help-tab-blocks">
            Blocks
          </Tabs.Tab>
          <Tabs.Tab value="shortcuts" data-testid="help-tab-shortcuts">
            Keyboard shortcuts
          </Tabs.Tab>
          <Tabs.Tab value="about" data-testid="help-tab-about">
            About
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="start">
          <GettingStarted />
        </Tabs.Panel>
        <Tabs.Panel value="blocks">
          <BlockReference />
        </Tabs.Panel>
        <Tabs.Panel value="shortcuts">
          <ShortcutSheet />
        </Tabs.Panel>
        <Tabs.Panel value="about">
          <About />
        </Tabs.Panel>
      </Tabs>
    </Modal>
  );
}

function ShortcutSheet() {
  const mac = isMac();
  return (
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
                    <Text size="xs">{c.submenu ? `${c.submenu} ${c.label}` : c.label}</Text>
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
  );
}
