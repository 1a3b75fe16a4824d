/**
 * A block's help card, from the catalogue: what it computes (its description), its formula, the
 * paper it comes from, its ports and its parameters (from its schema: name, default, meaning).
 */
import { Anchor, Badge, Code, Group, Stack, Table, Text } from '@mantine/core';
import { blockHelp, PARAM_MEANING } from '../../../engine/core/blocks/help.js';
import { CATEGORY_LABELS, portsOf, type BlockDef } from '../../../engine/core/blocks/types.js';
import { fieldsOf, type FieldSpec } from '../inspector/schema-fields.js';
import { formatFieldValue } from '../inspector/parse-field.js';

export function BlockHelpCard({ block }: { block: BlockDef }) {
  const help = blockHelp(block.id);
  const fields = fieldsOf(block.params);
  const defaults = block.params.safeParse({});
  const params = (defaults.success ? defaults.data : {}) as Record<string, unknown>;
  const ports = (list: BlockDef['inputs']) => {
    try {
      return portsOf(list, params).map((p) => p.label ?? p.name);
    } catch {
      return [];
    }
  };
  return (
    <Stack gap="xs" data-testid={`block-help-${block.id}`}>
      <Group gap={8} align="baseline">
        <Text fw={700} size="md">
          {block.label}
        </Text>
        <Badge size="xs" variant="light" color="gray">
          {CATEGORY_LABELS[block.category]}
        </Badge>
        <Text size="xs" c="dimmed" ff="monospace">
          {block.id}
        </Text>
      </Group>
      <Text size="sm">{block.description}</Text>
      {help && (
        <Code block className="snn-help-formula" data-testid="block-help-formula">
          {help.formula}
        </Code>
      )}
      {help?.paper && (
        <Text size="xs" data-testid="block-help-paper">
          From {help.paper.authors}, <i>{help.paper.title}</i>, {help.paper.venue} {help.paper.year}.{' '}
          <Anchor href={help.paper.link} target="_blank" rel="noreferrer" size="xs">
            {help.paper.link}
          </Anchor>
        </Text>
      )}
      <Text size="xs" c="dimmed">
        Inputs: {ports(block.inputs).join(', ') || 'none'} · Outputs: {ports(block.outputs).join(', ') || 'none'}
      </Text>
      {fields.length > 0 ? (
        <Table withRowBorders verticalSpacing={2} horizontalSpacing={6} fz="xs" data-testid="block-help-params">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Parameter</Table.Th>
              <Table.Th>Default</Table.Th>
              <Table.Th>Meaning</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {fields.map((f) => (
              <Table.Tr key={f.key}>
                <Table.Td>
                  {f.label} <Text span size="xs" c="dimmed" ff="monospace">({f.key})</Text>
                </Table.Td>
                <Table.Td ff="monospace">{defaultText(f)}</Table.Td>
                <Table.Td>{f.description ?? PARAM_MEANING[f.key] ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="xs" c="dimmed">
          No parameters.
        </Text>
      )}
    </Stack>
  );
}

function defaultText(f: FieldSpec): string {
  if (f.default === undefined) return f.required ? 'required' : '—';
  if (f.field.kind === 'variant' && typeof f.default === 'object' && f.default !== null) return String((f.default as Record<string, unknown>)[f.field.discriminator] ?? JSON.stringify(f.default));
  return formatFieldValue(f.field, f.default);
}
