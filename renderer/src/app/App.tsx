/**
 * The application shell: connects to the host, installs the document's background services
 * (autosave, clipboard, shortcuts, desktop menu commands, the unsaved-changes guard) and lays out
 * the header, the workspace, the status bar and the dialogs.
 */
import { Alert, Center, Code, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { errorMessage, hostCapabilities, studio } from '../api.js';
import { installAutosave } from '../actions/autosave.js';
import { installClipboardEvents } from '../actions/clipboard.js';
import { openFile, refreshRecent } from '../actions/files.js';
import { MENU_TO_COMMAND, runCommand } from '../commands/commands.js';
import { isTextField, useShortcuts } from '../commands/use-shortcuts.js';
import type { MenuCommandId } from '../../../engine/api/menu-commands.js';
import { FilePickerDialog } from '../dialogs/FilePickerDialog.js';
import { HelpOverlay } from '../dialogs/HelpOverlay.js';
import { NotDocumentDialog } from '../dialogs/NotDocumentDialog.js';
import { UnsavedDialog } from '../dialogs/UnsavedDialog.js';
import { Gallery } from '../gallery/Gallery.js';
import { ExportDialog } from '../run/ExportDialog.js';
import { installExportEvents } from '../run/export-model.js';
import { ImportDialog } from '../run/ImportDialog.js';
import { installImportEvents } from '../run/import-weights.js';
import { installRunEvents } from '../run/run-events.js';
import { getDirty, useFileStore } from '../state/file-store.js';
import { useRunStore } from '../run/run-store.js';
import { AppHeader } from './AppHeader.js';
import { StatusBar } from './StatusBar.js';
import { Workspace } from './Workspace.js';

type Connection = { state: 'connecting' } | { state: 'ready' } | { state: 'failed'; message: string };

export function App() {
  const [connection, setConnection] = useState<Connection>({ state: 'connecting' });
  useShortcuts();

  useEffect(() => {
    let live = true;
    hostCapabilities()
      .then(() => live && setConnection({ state: 'ready' }))
      .catch((e) => live && setConnection({ state: 'failed', message: errorMessage(e) }));
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (connection.state !== 'ready') return;
    const cleanups = [installAutosave(), installClipboardEvents(), listenToHost(), guardUnload(), installRunEvents(), installExportEvents(), installImportEvents()];
    void refreshRecent();
    return () => cleanups.forEach((c) => c());
  }, [connection.state]);

  if (connection.state === 'failed') return <NoHost message={connection.message} />;
  return (
    <div className="snn-app">
      <AppHeader />
      <Workspace />
      <StatusBar />
      {connection.state === 'ready' && <Gallery />}
      <UnsavedDialog />
      <NotDocumentDialog />
      <FilePickerDialog />
      <HelpOverlay />
      <ExportDialog />
      <ImportDialog />
    </div>
  );
}

/** Desktop menu commands, and the recent-files list the host pushes when it changes. */
function listenToHost(): () => void {
  const offEvents = studio().onEvent((e) => {
    if (e.type === 'recent-files') useFileStore.setState({ recent: e.files });
  });
  const offMenu =
    window.studio?.onCommand((c) => {
      if (c.command === 'file.openRecent' && c.path) void openFile(c.path);
      else if (c.command in TEXT_EDITS && isTextField(document.activeElement)) {
        // the menu's Undo, Redo, Select All and Delete mean the text being typed in a field
        document.execCommand(TEXT_EDITS[c.command]!);
      } else {
        const id = c.command === 'file.openRecent' ? undefined : MENU_TO_COMMAND[c.command];
        if (id) runCommand(id);
      }
    }) ?? (() => undefined);
  return () => {
    offEvents();
    offMenu();
  };
}

const TEXT_EDITS: Partial<Record<MenuCommandId, string>> = { 'edit.undo': 'undo', 'edit.redo': 'redo', 'edit.selectAll': 'selectAll', 'edit.delete': 'delete' };

/**
 * Closing the window with unsaved changes, or while a run trains, asks first (the autosave has the
 * work either way; in browser mode the host goes on training after the tab closes, and on the
 * desktop a closed app stops the run at its last checkpoint, from which the run list resumes it).
 */
function guardUnload(): () => void {
  const onBeforeUnload = (e: BeforeUnloadEvent) => {
    if (!getDirty() && useRunStore.getState().live?.phase !== 'running') return;
    e.preventDefault();
    e.returnValue = '';
  };
  window.addEventListener('beforeunload', onBeforeUnload);
  return () => window.removeEventListener('beforeunload', onBeforeUnload);
}

function NoHost({ message }: { message: string }) {
  return (
    <Center h="100vh" p="xl">
      <Stack maw={560} gap="sm">
        <Text fw={600}>SNN Studio cannot reach its host</Text>
        <Alert color="red" variant="light">
          <Text size="sm">{message}</Text>
        </Alert>
        <Text size="sm" c="dimmed">
          In browser mode, start SNN Studio with <Code>npm start -- --browser</Code> and open the URL it prints (it carries a one-time access token).
        </Text>
      </Stack>
    </Center>
  );
}
