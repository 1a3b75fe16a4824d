/**
 * The inspector of one node: what block it is, its id and label, its parameters (generated form),
 * the tensor types on its ports, its cost, and its problems.
 */
import { Alert, Badge, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconHelp, IconStack2 } from '@tabler/icons-react';
import { useState } from 'react';
import { blockPorts, CATEGORY_LABELS, type BlockDef } from '../../../engine/core/blocks/types.js';
import { resolveBlock, type NodeInfo } from '../../../engine/core/graph/infer.js';
import { DEFAULT_IN_PORT, type NodeSpec } from '../../../engine/core/document/schema.js';
import { formatShape, type TensorType } from '../../../engine/core/tensor.js';
import type { Severity } from '../../../engine/core/problems.js';
import { editBody, makeEditableCopy, openComposite } from '../actions/edit.js';
import { setLabel, setParam, renameNode } from '../document/ops.js';
import { formatCount, formatPercent } from '../format.js';
import { useAnalysis } from '../state/analysis.js';
import { deployedMacs, FOLDED_MACS_HINT, useFoldedChange } from '../state/folded-macs.js';
import { editDocument, useDocument } from '../state/document-store.js';
import type { ResolvedScope } from '../state/scope.js';
import { select, toggleHelp } from '../state/view-store.js';
import { SeverityIcon } from '../problems/SeverityIcon.js';
import { problemsOfNode } from './node-problems.js';
import { ParamsForm } from './ParamsForm.js';
import { Section } from './Section.js';
import { ValueField } from './ValueField.js';

const ALERT_COLOR: Record<Severity, string> = { error: 'red', warning: 'yellow', info: 'blue' };

export function NodeInspector({ scope, node }: { scope: ResolvedScope; node: NodeSpec }) {
  const doc = useDocument();
  const analysis = useAnalysis();
  const block = resolveBlock(node.block, doc.composites ?? {});
  const info = scope.info?.byId.get(node.id);
  const readOnly = scope.key === undefined;
  const problems = problemsOfNode(analysis.problems, scope.frames.map((f) => f.nodeId), scope.body, node.id);
  const local = doc.composites?.[node.block];
  const coalesce = `${scope.key ?? '<root>'}:${node.id}`;

  return (
    <Stack gap={0} data-testid="node-inspector">
      <div className="snn-inspector-head">
        <Group gap={6} align="center">
          {block?.kind === 'composite' && <IconStack2 size={15} />}
          <Text fw={600} size="sm">
            {block?.label ?? node.block}
          </Text>
          <Badge size="xs" variant="light" color={local ? 'grape' : 'gray'}>
            {local ? 'My block' : block ? CATEGORY_LABELS[block.category] : 'unknown'}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed" mt={4}>
          {local ? (local.description ?? 'A block defined in this document.') : (block?.description ?? `No block "${node.block}" exists in this version of SNN Studio.`)}
        </Text>
        <Group gap={6} mt={8}>
          {block?.kind === 'composite' && (
            <Button size="compact-xs" variant="light" leftSection={<IconStack2 size={12} />} onClick={() => openComposite(node.id)} data-testid="open-composite">
              Open inside
            </Button>
          )}
          {block && !local && (
            <Button size="compact-xs" variant="subtle" color="gray" leftSection={<IconHelp size={12} />} onClick={() => toggleHelp('blocks', block.id)} data-testid="block-help-button">
              Help on this block
            </Button>
          )}
        </Group>
      </div>

      {problems.general.length > 0 && (
        <Stack gap={4} px="sm" pb="xs">
          {problems.general.map((p, i) => (
            <Alert key={i} color={ALERT_COLOR[p.severity]} variant="light" p={6} icon={<SeverityIcon severity={p.severity} size={14} />} data-severity={p.severity} data-testid="node-inspector-problem">
              <Text size="xs">{p.text}</Text>
            </Alert>
          ))}
        </Stack>
      )}

      <Section title="Node">
        <Stack gap={6}>
          <IdField key={node.id} id={node.id} readOnly={readOnly} />
          <ValueField
            label="Label"
            field={{ kind: 'text' }}
            required={false}
            value={node.label}
            readOnly={readOnly}
            description="shown on the canvas instead of the id"
            testId="node-label"
            onCommit={(v) => editBody((b) => setLabel(b, node.id, typeof v === 'string' ? v : ''), `label:${coalesce}`)}
          />
        </Stack>
      </Section>

      {block && (
        <Section title="Parameters">
          <ParamsForm
            nodeId={node.id}
            schema={block.params}
            params={node.params ?? {}}
            problemsByKey={problems.byKey}
            readOnly={readOnly}
            onSet={(key, value) => editBody((b) => setParam(b, node.id, [key], value), `param:${coalesce}:${key}`)}
          />
        </Section>
      )}

      {local && !readOnly && (
        <Section title="Block definition">
          <Stack gap={6}>
            <ValueField
              label="Block name"
              field={{ kind: 'text' }}
              required
              value={local.label}
              defaultValue={node.block}
              description="the name in My blocks"
              onCommit={(v) => editDocument((d) => ({ ...d, composites: { ...d.composites, [node.block]: { ...local, label: typeof v === 'string' && v.trim() !== '' ? v : node.block } } }), { coalesceKey: `def-label:${node.block}` })}
            />
            <ValueField
              label="Description"
              field={{ kind: 'text' }}
              required={false}
              value={local.description}
              onCommit={(v) =>
                editDocument(
                  (d) => {
                    const { description: _old, ...rest } = local;
                    return { ...d, composites: { ...d.composites, [node.block]: typeof v === 'string' && v.trim() !== '' ? { ...rest, description: v } : rest } };
                  },
                  { coalesceKey: `def-description:${node.block}` },
                )
              }
            />
          </Stack>
        </Section>
      )}

      {block && <PortsSection block={block} node={node} info={info} incoming={incomingTypes(scope, node.id)} timeSteps={doc.timeSteps} />}
      {info && <CostSection info={info} frames={scope.frames} />}
      {readOnly && (
        <Section title="Built-in block">
          <Text size="xs" c="dimmed">
            This is the inside of a built-in block, generated from its parameters.
          </Text>
          <Button size="compact-xs" variant="light" mt={6} onClick={makeEditableCopy}>
            Make an editable copy
          </Button>
        </Section>
      )}
    </Stack>
  );
}

function IdField({ id, readOnly }: { id: string; readOnly: boolean }) {
  const [text, setText] = useState(id);
  const [error, setError] = useState<string | null>(null);
  const commit = () => {
    if (text === id) return setError(null);
    let failure: string | null = null;
    const ok = editBody((b) => {
      const r = renameNode(b, id, text);
      if (!r.ok) failure = r.message;
      return r.ok ? r.body : b;
    });
    setError(failure);
    if (ok && !failure) select([text]);
  };
  return (
    <TextInput
      size="xs"
      label="Id"
      value={text}
      readOnly={readOnly}
      error={error ?? undefined}
      spellCheck={false}
      classNames={{ input: 'snn-mono-input' }}
      data-testid="node-id"
      onChange={(e) => {
        setText(e.currentTarget.value);
        setError(null);
      }}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') {
          setText(id);
          setError(null);
        }
      }}
    />
  );
}

/** What arrives at each input port, from the wires: known even when the node itself fails. */
function incomingTypes(scope: ResolvedScope, nodeId: string): Record<string, TensorType> {
  const out: Record<string, TensorType> = {};
  scope.body.edges.forEach((e, k) => {
    const t = scope.info?.edges[k]?.type;
    if (e.target === nodeId && t) out[e.targetPort ?? DEFAULT_IN_PORT] = t;
  });
  return out;
}

function PortsSection({ block, node, info, incoming, timeSteps }: { block: BlockDef; node: NodeSpec; info: NodeInfo | undefined; incoming: Record<string, TensorType>; timeSteps: number }) {
  const { inputs, outputs } = blockPorts(block, info?.params ?? node.params);
  if (inputs.length === 0 && outputs.length === 0) return null;
  const row = (dir: 'in' | 'out', p: { name: string; label?: string }, t: TensorType | undefined) => (
    <Table.Tr key={`${dir}:${p.name}`}>
      <Table.Td>
        <Text size="xs" c="dimmed" title={dir === 'in' ? 'input port' : 'output port'}>
          {dir === 'in' ? `→ ${p.label ?? p.name}` : `${p.label ?? p.name} →`}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="xs" ff="monospace">
          {t ? formatShape(t, timeSteps) : '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="xs">{t?.kind ?? ''}</Text>
      </Table.Td>
    </Table.Tr>
  );
  return (
    <Section title="Ports">
      <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={4} data-testid="node-ports">
        <Table.Tbody>
          {inputs.map((p) => row('in', p, info?.inputs[p.name] ?? incoming[p.name]))}
          {outputs.map((p) => row('out', p, info?.outputs[p.name]))}
        </Table.Tbody>
      </Table>
    </Section>
  );
}

function CostSection({ info, frames }: { info: NodeInfo; frames: ResolvedScope['frames'] }) {
  const folded = deployedMacs(useFoldedChange(), frames, info);
  return (
    <Section title="Cost">
      <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={4}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Td>
              <Text size="xs" c="dimmed">
                Parameters
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="xs" ff="monospace" data-testid="node-param-count">
                {info.paramCount.toLocaleString()}
              </Text>
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Td>
              <Text size="xs" c="dimmed">
                MACs / sample
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="xs" ff="monospace">
                {formatCount(info.macs)}
              </Text>
            </Table.Td>
          </Table.Tr>
          {folded !== undefined && (
            <Table.Tr title={FOLDED_MACS_HINT}>
              <Table.Td>
                <Text size="xs" c="dimmed">
                  MACs folded (deployed)
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace" data-testid="node-folded-macs">
                  {formatCount(folded)}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {info.macs > 0 && (
            <Table.Tr>
              <Table.Td>
                <Text size="xs" c="dimmed">
                  Spike-driven
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace">
                  {formatPercent(info.spikeMacs / info.macs)}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Section>
  );
}
