/** Every block of the catalogue, searchable, with the help card of the one chosen. */
import { NavLink, ScrollArea, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { allBlocks, findBlock } from '../../../engine/core/blocks/catalogue.js';
import { paletteGroups } from '../palette/palette-groups.js';
import { useViewStore } from '../state/view-store.js';
import { BlockHelpCard } from './BlockHelpCard.js';

export function BlockReference() {
  const chosen = useViewStore((s) => s.helpBlock);
  const [query, setQuery] = useState('');
  const groups = useMemo(() => paletteGroups(allBlocks(), {}, query), [query]);
  const first = groups[0]?.items[0]?.id;
  const block = findBlock(chosen ?? first ?? 'lif');
  return (
    <div className="snn-help-reference">
      <div className="snn-help-reference__list">
        <TextInput size="xs" placeholder="Search blocks" leftSection={<IconSearch size={12} />} value={query} onChange={(e) => setQuery(e.currentTarget.value)} aria-label="Search the block reference" mb={6} />
        <ScrollArea h={440} type="auto">
          {groups.map((g) => (
            <div key={g.id}>
              <div className="snn-help-reference__group">{g.label}</div>
              {g.items.map((item) => (
                <NavLink key={item.id} label={item.label} active={item.id === block?.id} onClick={() => useViewStore.setState({ helpBlock: item.id })} py={2} data-testid={`help-block-${item.id}`} />
              ))}
            </div>
          ))}
        </ScrollArea>
      </div>
      <ScrollArea h={480} type="auto" className="snn-help-reference__card">
        {block ? <BlockHelpCard block={block} /> : null}
      </ScrollArea>
    </div>
  );
}
