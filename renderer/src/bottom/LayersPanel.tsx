/**
 * The model as a table, one row per block of the body on screen in execution order: output type,
 * parameters, MACs as built and, where a linear chain on spikes folds, as deployed, and whether its
 * synapses are driven by spikes. It is the summary a researcher
 * reads to compare with a paper's reported size.
 */
import { ScrollArea, Table, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { formatShape } from '../../../engine/core/tensor.js';
import { formatCount, formatPercent } from '../format.js';
import { useScope } from '../state/current-scope.js';
import { useDocumentStore } from '../state/document-store.js';
import { deployedMacs, FOLDED_MACS_HINT, useFoldedChange } from '../state/folded-macs.js';
import { select, useViewStore } from '../state/view-store.js';
import { revealNodes } from '../canvas/canvas-control.js';

export function LayersPanel() {
  const scope = useScope();
  const timeSteps = useDocumentStore((s) => s.doc.timeSteps);
  const selected = useViewStore((s) => s.selectedNodes);
  const change = useFoldedChange();
  const nodes = scope.info?.nodes ?? [];
  const table = useRef<HTMLTableElement>(null);
  // a block selected on the canvas (or revealed from its menu) is shown in the table too
  useEffect(() => {
    const first = [...selected][0];
    if (first !== undefined) table.current?.querySelector(`[data-node-row="${CSS.escape(first)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  if (nodes.length === 0) {
    return (
      <Text size="xs" c="dimmed" p="sm">
        The layers appear here once the graph analyses without errors up to its output.
      </Text>
    );
  }
  return (
    <ScrollArea className="snn-panel__scroll" type="auto" scrollbarSize={8}>
      <Table striped highlightOnHover stickyHeader verticalSpacing={2} horizontalSpacing="xs" className="snn-layers" data-testid="layers-table" ref={table}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Node</Table.Th>
            <Table.Th>Block</Table.Th>
            <Table.Th>Output</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th ta="right">Params</Table.Th>
            <Table.Th ta="right">MACs</Table.Th>
            <Table.Th ta="right" title={`${FOLDED_MACS_HINT} (blank where nothing folds)`} data-testid="layers-folded-header">
              MACs folded
            </Table.Th>
            <Table.Th ta="right">Spike-driven</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {nodes.map((n) => {
            const out = Object.values(n.outputs)[0];
            const folded = deployedMacs(change, scope.frames, n);
            return (
              <Table.Tr
                key={n.id}
                onClick={() => {
                  select([n.id]);
                  revealNodes([n.id]);
                }}
                className="snn-layers__row"
                data-node-row={n.id}
                data-selected={selected.has(n.id) || undefined}
                aria-selected={selected.has(n.id)}
                data-testid={`layers-row-${n.id}`}
              >
                <Table.Td ff="monospace">{n.id}</Table.Td>
                <Table.Td>{n.block.label}</Table.Td>
                <Table.Td ff="monospace">{out ? formatShape(out, timeSteps) : '—'}</Table.Td>
                <Table.Td>{out?.kind ?? ''}</Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {n.paramCount > 0 ? n.paramCount.toLocaleString() : ''}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {n.macs > 0 ? formatCount(n.macs) : ''}
                </Table.Td>
                <Table.Td ta="right" ff="monospace" title={folded === undefined ? undefined : FOLDED_MACS_HINT} data-testid={`layers-folded-${n.id}`}>
                  {folded === undefined ? '' : formatCount(folded)}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {n.macs > 0 ? formatPercent(n.spikeMacs / n.macs) : ''}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
