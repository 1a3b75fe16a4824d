/** Where the canvas is: the document, then each opened composite; a click goes back out to that level. */
import { Badge, Button } from '@mantine/core';
import { makeEditableCopy } from '../actions/edit.js';
import { IconChevronRight, IconLock } from '@tabler/icons-react';
import { leaveToDepth } from '../state/view-store.js';

export function Breadcrumbs({ docName, titles, readOnly }: { docName: string; titles: readonly string[]; readOnly: boolean }) {
  if (titles.length === 0) return null;
  const crumbs = [docName, ...titles];
  return (
    <nav className="snn-breadcrumbs" aria-label="Opened blocks" data-testid="breadcrumbs">
      {crumbs.map((title, depth) => {
        const last = depth === crumbs.length - 1;
        return (
          <span key={depth} className="snn-breadcrumbs__item">
            {depth > 0 && <IconChevronRight size={12} className="snn-breadcrumbs__sep" aria-hidden />}
            {last ? (
              <span className="snn-breadcrumbs__current" aria-current="location">
                {title}
              </span>
            ) : (
              <button type="button" className="snn-breadcrumbs__link" onClick={() => leaveToDepth(depth)} data-testid={`breadcrumb-${depth}`}>
                {title}
              </button>
            )}
          </span>
        );
      })}
      {readOnly && (
        <>
          <Badge size="xs" variant="light" color="gray" leftSection={<IconLock size={10} />} ml={6} title="A built-in block's inside is generated from the parameters of the node you opened">
            read-only
          </Badge>
          <Button size="compact-xs" variant="subtle" ml={2} onClick={makeEditableCopy} data-testid="make-editable-copy">
            Make an editable copy
          </Button>
        </>
      )}
    </nav>
  );
}
