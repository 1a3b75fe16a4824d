/**
 * The canvas's right-click menu: the items of context-menu.ts at the pointer, with their
 * shortcuts; "Add block here…" turns the menu into a block search, "Rename…" into a name field.
 * Escape, a click elsewhere or a choice closes it; arrow keys move between items.
 */
import { TextInput } from '@mantine/core';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { allBlocks } from '../../../engine/core/blocks/catalogue.js';
import { COMMAND_BY_ID } from '../commands/commands.js';
import { keyLabel } from '../commands/key-labels.js';
import { paletteGroups } from '../palette/palette-groups.js';
import { useScope } from '../state/current-scope.js';
import { useDocumentStore } from '../state/document-store.js';
import { useViewStore } from '../state/view-store.js';
import { addBlockAt, renameBlock, runMenuAction } from './context-actions.js';
import { menuItems, type MenuItem, type MenuTarget } from './context-menu.js';

export interface OpenMenu {
  readonly target: MenuTarget;
  /** Where the pointer was, in client (window) coordinates. */
  readonly x: number;
  readonly y: number;
}

const MAC = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform);
const MAX_RESULTS = 12;

export function ContextMenu({ menu, onClose }: { menu: OpenMenu; onClose: () => void }) {
  const doc = useDocumentStore((s) => s.doc);
  const scope = useScope();
  const selectedNodes = useViewStore((s) => s.selectedNodes);
  const [mode, setMode] = useState<'items' | 'add' | 'rename'>('items');
  const ref = useRef<HTMLDivElement>(null);
  const items = useMemo(() => menuItems(menu.target, { doc, body: scope.body, editable: scope.key !== undefined, selectedNodes }), [menu.target, doc, scope.body, scope.key, selectedNodes]);

  useEffect(() => {
    const away = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('mousedown', away, true);
    return () => window.removeEventListener('mousedown', away, true);
  }, [onClose]);

  useEffect(() => {
    if (mode === 'items') ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [mode]);

  const choose = (item: MenuItem) => {
    if (item.action === 'add-here') return setMode('add');
    if (item.action === 'rename') return setMode('rename');
    onClose();
    runMenuAction(item.action, menu.target);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
      return;
    }
    if (mode !== 'items' || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return;
    e.preventDefault();
    const all = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = all.indexOf(document.activeElement as HTMLElement);
    all[(i + (e.key === 'ArrowDown' ? 1 : all.length - 1)) % all.length]?.focus();
  };

  // kept inside the window: a menu opened near the right or bottom edge opens towards the inside
  const style = { left: Math.min(menu.x, window.innerWidth - 260), top: Math.min(menu.y, window.innerHeight - (mode === 'add' ? 360 : 40 + items.length * 28)) };
  return (
    <div ref={ref} className="snn-context-menu" style={style} role="menu" aria-label="Canvas menu" onKeyDown={onKeyDown} onContextMenu={(e) => e.preventDefault()} data-testid="context-menu">
      {mode === 'items' &&
        items.map((item) => (
          <div key={item.action}>
            {item.divided && <div className="snn-context-menu__divider" role="separator" />}
            <button type="button" role="menuitem" className="snn-context-menu__item" onClick={() => choose(item)} data-testid={`menu-${item.action}`}>
              <span>{item.label}</span>
              {item.command && <span className="snn-context-menu__keys">{shortcut(item.command)}</span>}
            </button>
          </div>
        ))}
      {mode === 'add' && (
        <AddHere
          onAdd={(id) => {
            onClose();
            addBlockAt(id, menu.target);
          }}
          composites={doc.composites ?? {}}
        />
      )}
      {mode === 'rename' && menu.target.kind === 'node' && <RenameField id={menu.target.id} onDone={onClose} />}
    </div>
  );
}

function shortcut(command: string): string {
  const key = COMMAND_BY_ID.get(command)?.keys[0];
  return key ? keyLabel(key, MAC) : '';
}

/** A block search: type, then Enter adds the first match, or click one. */
function AddHere({ onAdd, composites }: { onAdd: (blockId: string) => void; composites: Parameters<typeof paletteGroups>[1] }) {
  const [query, setQuery] = useState('');
  const results = useMemo(() => paletteGroups(allBlocks(), composites, query).flatMap((g) => g.items.map((item) => ({ ...item, group: g.label }))).slice(0, MAX_RESULTS), [query, composites]);
  return (
    <div className="snn-context-menu__search">
      <TextInput size="xs" placeholder="Search blocks" value={query} onChange={(e) => setQuery(e.currentTarget.value)} onKeyDown={(e) => e.key === 'Enter' && results[0] && onAdd(results[0].id)} data-autofocus autoFocus aria-label="Search blocks to add" data-testid="menu-add-search" />
      <div className="snn-context-menu__results">
        {results.length === 0 && <div className="snn-context-menu__empty">No block matches “{query}”.</div>}
        {results.map((r) => (
          <button key={r.id} type="button" role="menuitem" className="snn-context-menu__item" onClick={() => onAdd(r.id)} data-testid={`menu-add-${r.id}`}>
            <span>{r.label}</span>
            <span className="snn-context-menu__keys">{r.group}</span>
          </button>
        ))}
      </div>
    </div>
  );
}

function RenameField({ id, onDone }: { id: string; onDone: () => void }) {
  const [text, setText] = useState(id);
  const [error, setError] = useState<string | undefined>();
  const commit = () => {
    if (text === id) return onDone();
    const r = renameBlock(id, text);
    if (r.ok) onDone();
    else setError(r.message);
  };
  return (
    <div className="snn-context-menu__search">
      <TextInput
        size="xs"
        label="Rename block"
        value={text}
        error={error}
        spellCheck={false}
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => {
          setText(e.currentTarget.value);
          setError(undefined);
        }}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        classNames={{ input: 'snn-mono-input' }}
        data-testid="menu-rename-input"
      />
    </div>
  );
}
