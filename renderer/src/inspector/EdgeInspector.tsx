/** The inspector of one wire: its ends, the tensor type it carries, and why it is in error. */
import { Alert, Button, Stack, Table, Text } from '@mantine/core';
import { IconCircleX, IconTrash } from '@tabler/icons-react';
import { DEFAULT_IN_PORT, DEFAULT_OUT_PORT } from '../../../engine/core/document/schema.js';
import { formatShape } from '../../../engine/core/tensor.js';
import { deleteSelection } from '../actions/edit.js';
import { edgeIds } from '../document/ids.js';
import { KIND_STYLES } from '../canvas/value-kinds.js';
import { entryEdge } from '../problems/entry-edge.js';
import { placeProblem } from '../problems/locate.js';
import { useAnalysis } from '../state/analysis.js';
import { useDocument } from '../state/document-store.js';
import type { ResolvedScope } from '../state/scope.js';
import { Section } from './Section.js';

export function EdgeInspector({ scope, edgeId }: { scope: ResolvedScope; edgeId: string }) {
  const doc = useDocument();
  const analysis = useAnalysis();
  const index = edgeIds(scope.body.edges).indexOf(edgeId);
  const edge = scope.body.edges[index];
  if (!edge) return null;
  const type = scope.info?.edges[index]?.type;
  const path = scope.frames.map((f) => f.nodeId);
  const culprits = analysis.problems.filter((p) => {
    if (p.severity !== 'error') return false;
    const at = placeProblem(p, path, scope.body);
    if ((at.at === 'edge' || at.at === 'node') && at.edgeId === edgeId) return true;
    return entryEdge(p, path, scope.body, doc.composites ?? {}) === edgeId;
  });
  // a composite reports one failure per inner block that reads the wire: say it once
  const errors = [...new Set(culprits.map((p) => p.message))];
  const rows: [string, string][] = [
    ['From', `${edge.source} · ${edge.sourcePort ?? DEFAULT_OUT_PORT}`],
    ['To', `${edge.target} · ${edge.targetPort ?? DEFAULT_IN_PORT}`],
    ['Shape', type ? formatShape(type, doc.timeSteps) : '—'],
    ['Kind', type ? `${type.kind}: ${KIND_STYLES[type.kind].description}` : '—'],
  ];
  return (
    <Stack gap={0} data-testid="edge-inspector">
      <div className="snn-inspector-head">
        <Text fw={600} size="sm">
          Wire
        </Text>
      </div>
      {errors.length > 0 && (
        <Stack gap={4} px="sm" pb="xs">
          {errors.map((text) => (
            <Alert key={text} color="red" variant="light" p={6} icon={<IconCircleX size={14} />}>
              <Text size="xs">{text}</Text>
            </Alert>
          ))}
        </Stack>
      )}
      <Section title="Carries">
        <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={4}>
          <Table.Tbody>
            {rows.map(([k, v]) => (
              <Table.Tr key={k}>
                <Table.Td w={52}>
                  <Text size="xs" c="dimmed">
                    {k}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" ff={k === 'Shape' ? 'monospace' : undefined}>
                    {v}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {scope.key !== undefined && (
          <Button size="compact-xs" variant="light" color="red" mt={8} leftSection={<IconTrash size={12} />} onClick={deleteSelection}>
            Delete wire
          </Button>
        )}
      </Section>
    </Stack>
  );
}
