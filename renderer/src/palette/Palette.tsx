/**
 * The left panel: every block, grouped and searchable. A block is added by dragging it onto the
 * canvas, or from the keyboard (Enter on a focused block adds it beside the selection, or at the
 * centre of the view, in free space).
 */
import { CloseButton, ScrollArea, Text, TextInput, Tooltip } from '@mantine/core';
import { IconSearch, IconStack2 } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { allBlocks } from '../../../engine/core/blocks/catalogue.js';
import { addBlockInFreeSpace } from '../actions/edit.js';
import { useDocumentStore } from '../state/document-store.js';
import { BLOCK_MIME } from '../canvas/dnd.js';
import { paletteGroups, type PaletteItem } from './palette-groups.js';

export function Palette() {
  const composites = useDocumentStore((s) => s.doc.composites);
  const [query, setQuery] = useState('');
  const groups = useMemo(() => paletteGroups(allBlocks(), composites ?? {}, query), [composites, query]);

  return (
    <nav className="snn-panel snn-palette" aria-label="Blocks">
      <div className="snn-panel__title">Blocks</div>
      <div className="snn-palette__search">
        <TextInput
          size="xs"
          placeholder="Search blocks  /"
          aria-label="Search blocks"
          leftSection={<IconSearch size={13} />}
          rightSection={query ? <CloseButton size="xs" aria-label="Clear search" onClick={() => setQuery('')} /> : null}
          value={query}
          data-palette-search
          onChange={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setQuery('');
              (e.currentTarget as HTMLInputElement).blur();
            }
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              document.querySelector<HTMLElement>('.snn-palette__item')?.focus();
            }
          }}
        />
      </div>
      <ScrollArea className="snn-panel__scroll" type="auto" scrollbarSize={8}>
        {groups.length === 0 && (
          <Text size="xs" c="dimmed" p="sm">
            No block matches “{query}”.
          </Text>
        )}
        {groups.map((g) => (
          <div key={g.id} className="snn-palette__group" role="group" aria-label={g.label}>
            <div className="snn-palette__group-title">{g.label}</div>
            {g.items.map((item) => (
              <PaletteEntry key={item.id} item={item} />
            ))}
          </div>
        ))}
      </ScrollArea>
    </nav>
  );
}

function PaletteEntry({ item }: { item: PaletteItem }) {
  const add = () => {
    addBlockInFreeSpace(item.id);
  };
  return (
    <Tooltip
      label={
        <>
          <code>{item.id}</code> · {item.description}
        </>
      }
      position="right"
      openDelay={600}
      multiline
      w={300}
      withinPortal
    >
      <div
        className="snn-palette__item"
        role="button"
        tabIndex={0}
        draggable
        data-block={item.id}
        data-testid={`palette-${item.id}`}
        onDragStart={(e) => {
          e.dataTransfer.setData(BLOCK_MIME, item.id);
          e.dataTransfer.effectAllowed = 'copy';
        }}
        onDoubleClick={add}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            add();
          }
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            const all = [...document.querySelectorAll<HTMLElement>('.snn-palette__item')];
            const i = all.indexOf(e.currentTarget);
            all[e.key === 'ArrowDown' ? i + 1 : i - 1]?.focus();
          }
        }}
      >
        {item.composite && <IconStack2 size={12} className="snn-palette__icon" aria-label="composite" />}
        <span className="snn-palette__label">{item.label}</span>
      </div>
    </Tooltip>
  );
}
