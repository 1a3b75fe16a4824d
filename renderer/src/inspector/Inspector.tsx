/** The right panel: inspects whatever is selected (a node, a wire, several things, or the document). */
import { ScrollArea, Stack, Text } from '@mantine/core';
import { edgeIds } from '../document/ids.js';
import { useScope } from '../state/current-scope.js';
import { useViewStore } from '../state/view-store.js';
import { DocumentInspector } from './DocumentInspector.js';
import { EdgeInspector } from './EdgeInspector.js';
import { NodeInspector } from './NodeInspector.js';
import { SelectionInspector } from './SelectionInspector.js';

export function Inspector() {
  const scope = useScope();
  const nodes = useViewStore((s) => s.selectedNodes);
  const edges = useViewStore((s) => s.selectedEdges);
  // the selection may name things an edit (or an undo) has removed since
  const liveNodes = new Set([...nodes].filter((id) => scope.body.nodes.some((n) => n.id === id)));
  const ids = new Set(edgeIds(scope.body.edges));
  const liveEdges = new Set([...edges].filter((id) => ids.has(id)));
  const node = liveNodes.size === 1 && liveEdges.size === 0 ? scope.body.nodes.find((n) => liveNodes.has(n.id)) : undefined;
  const [edgeId] = liveEdges;

  let content;
  if (node) content = <NodeInspector key={`${scope.key ?? ''}:${node.id}`} scope={scope} node={node} />;
  else if (liveNodes.size === 0 && liveEdges.size === 1 && edgeId !== undefined) content = <EdgeInspector scope={scope} edgeId={edgeId} />;
  else if (liveNodes.size + liveEdges.size > 1) content = <SelectionInspector scope={scope} nodes={liveNodes} edges={liveEdges} />;
  else if (scope.frames.length > 0) content = <InsideInspector title={scope.titles[scope.titles.length - 1] ?? ''} readOnly={scope.key === undefined} />;
  else content = <DocumentInspector />;

  return (
    <aside className="snn-panel snn-inspector" aria-label="Inspector">
      <div className="snn-panel__title">Inspector</div>
      <ScrollArea className="snn-panel__scroll" type="auto" scrollbarSize={8}>
        {content}
      </ScrollArea>
    </aside>
  );
}

function InsideInspector({ title, readOnly }: { title: string; readOnly: boolean }) {
  return (
    <Stack gap={4} p="sm">
      <Text fw={600} size="sm">
        Inside {title}
      </Text>
      <Text size="xs" c="dimmed">
        {readOnly
          ? 'A built-in block: its inside is generated from the parameters of the node you opened. Select a block to inspect it.'
          : 'A block of this document: edits here change every node that uses it. Select a block to inspect it.'}
      </Text>
    </Stack>
  );
}
