/**
 * The top bar: the menus (in browser mode; the desktop app has a native menu with the same
 * commands), the document's name and save state, and the most used commands as buttons.
 */
import { ActionIcon, Group, Menu, Menubar, Text, Tooltip } from '@mantine/core';
import { IconArrowBackUp, IconArrowForwardUp, IconFocusCentered, IconHelp, IconLayoutDistributeVertical, IconMoon, IconSun, IconTemplate } from '@tabler/icons-react';
import { isMac } from '../api.js';
import { openFile } from '../actions/files.js';
import { COMMANDS, COMMAND_BY_ID, type Command, type CommandGroup } from '../commands/commands.js';
import { keyLabel } from '../commands/key-labels.js';
import { useHistoryState, useDocumentStore } from '../state/document-store.js';
import { useDirty, useFileStore } from '../state/file-store.js';
import { resolvedScheme, useThemeStore } from '../state/theme-store.js';
import { formatTime } from '../format.js';

const MENUS: readonly CommandGroup[] = ['File', 'Edit', 'Graph', 'View', 'Help'];

export function AppHeader() {
  const name = useDocumentStore((s) => s.doc.name);
  const file = useFileStore((s) => s.file);
  const autosavedAt = useFileStore((s) => s.autosavedAt);
  const dirty = useDirty();
  const { canUndo, canRedo } = useHistoryState();
  const dark = useThemeStore(resolvedScheme) === 'dark';
  const desktopMenu = typeof window !== 'undefined' && window.studio !== undefined;

  return (
    <header className="snn-header">
      <Group gap="xs" wrap="nowrap" className="snn-header__left">
        <span className="snn-logo" aria-hidden>
          <svg viewBox="0 0 20 20" width="18" height="18">
            <circle cx="4" cy="10" r="2.4" fill="currentColor" />
            <circle cx="16" cy="5" r="2.4" fill="currentColor" />
            <circle cx="16" cy="15" r="2.4" fill="currentColor" />
            <path d="M6 10 L14 5 M6 10 L14 15" stroke="currentColor" strokeWidth="1.4" />
          </svg>
        </span>
        {!desktopMenu && <AppMenus />}
      </Group>
      <div className="snn-header__title" data-testid="doc-title">
        <Text size="sm" fw={600} truncate>
          {name}
        </Text>
        <Text size="xs" c="dimmed" truncate title={file?.path}>
          {file ? file.name : 'not saved'}
          {dirty ? ' · edited' : ''}
          {dirty && autosavedAt ? ` · autosaved ${formatTime(autosavedAt)}` : ''}
        </Text>
        {dirty && <span className="snn-dirty-dot" aria-label="unsaved changes" data-testid="dirty" />}
      </div>
      <Group gap={2} wrap="nowrap" className="snn-header__right">
        <ToolButton label="Undo" command="edit.undo" disabled={!canUndo} icon={<IconArrowBackUp size={16} />} />
        <ToolButton label="Redo" command="edit.redo" disabled={!canRedo} icon={<IconArrowForwardUp size={16} />} />
        <ToolButton label="Auto-layout" command="graph.layout" icon={<IconLayoutDistributeVertical size={16} />} />
        <ToolButton label="Fit graph" command="view.fit" icon={<IconFocusCentered size={16} />} />
        <ToolButton label="Templates" command="file.templates" icon={<IconTemplate size={16} />} />
        <ToolButton label={dark ? 'Light theme' : 'Dark theme'} command="view.toggleTheme" icon={dark ? <IconSun size={16} /> : <IconMoon size={16} />} />
        <ToolButton label="Keyboard shortcuts" command="help.shortcuts" icon={<IconHelp size={16} />} />
      </Group>
    </header>
  );
}

function ToolButton({ label, command, icon, disabled }: { label: string; command: string; icon: React.ReactNode; disabled?: boolean }) {
  const c = COMMAND_BY_ID.get(command);
  const key = c?.keys[0];
  return (
    <Tooltip label={key ? `${label} (${keyLabel(key, isMac())})` : label} openDelay={400}>
      <ActionIcon variant="subtle" color="gray" size="md" aria-label={label} disabled={disabled} onClick={() => c?.run()} data-testid={`tool-${command}`}>
        {icon}
      </ActionIcon>
    </Tooltip>
  );
}

function AppMenus() {
  const recent = useFileStore((s) => s.recent);
  const mac = isMac();
  return (
    <Menubar className="snn-menubar" aria-label="Menu">
      {MENUS.map((group) => (
        <Menubar.Menu key={group} shadow="md" width={260}>
          <Menubar.Target data-testid={`menu-${group}`}>{group}</Menubar.Target>
          <Menubar.Dropdown>
            {menuEntries(group).map((entry) =>
              'commands' in entry ? (
                <Menu.Sub key={entry.submenu}>
                  <Menu.Sub.Target>
                    <Menu.Sub.Item data-testid={`submenu-${entry.submenu}`}>{entry.submenu}</Menu.Sub.Item>
                  </Menu.Sub.Target>
                  <Menu.Sub.Dropdown>
                    {entry.commands.map((c) => (
                      <CommandItem key={c.id} command={c} mac={mac} />
                    ))}
                  </Menu.Sub.Dropdown>
                </Menu.Sub>
              ) : (
                <CommandItem key={entry.id} command={entry} mac={mac} />
              ),
            )}
            {group === 'File' && recent.length > 0 && (
              <>
                <Menu.Divider />
                <Menu.Label>Recent files</Menu.Label>
                {recent.slice(0, 8).map((f) => (
                  <Menu.Item key={f.path} onClick={() => void openFile(f.path)} title={f.path}>
                    {f.name}
                  </Menu.Item>
                ))}
              </>
            )}
          </Menubar.Dropdown>
        </Menubar.Menu>
      ))}
    </Menubar>
  );
}

function CommandItem({ command: c, mac }: { command: Command; mac: boolean }) {
  return (
    <Menu.Item onClick={c.run} rightSection={c.keys[0] ? <Text size="xs" c="dimmed">{keyLabel(c.keys[0], mac)}</Text> : null} data-testid={`menuitem-${c.id}`}>
      {c.label}
    </Menu.Item>
  );
}

/** A group's commands in table order, those of one submenu gathered where its first one stands. */
function menuEntries(group: CommandGroup): (Command | { submenu: string; commands: Command[] })[] {
  const entries: (Command | { submenu: string; commands: Command[] })[] = [];
  for (const c of COMMANDS) {
    if (c.group !== group || c.id === 'edit.escape') continue;
    if (c.submenu === undefined) {
      entries.push(c);
      continue;
    }
    const sub = entries.find((e): e is { submenu: string; commands: Command[] } => 'commands' in e && e.submenu === c.submenu);
    if (sub) sub.commands.push(c);
    else entries.push({ submenu: c.submenu, commands: [c] });
  }
  return entries;
}
