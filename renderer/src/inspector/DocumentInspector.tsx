/**
 * Nothing selected: the document itself. Its name, time steps and input are edited here (every
 * shape depends on them), and the model's totals are summed up.
 */
import { Stack, Table, Text } from '@mantine/core';
import { documentSchema, inputSpecSchema, type GraphDocument } from '../../../engine/core/document/schema.js';
import { formatShape } from '../../../engine/core/tensor.js';
import { spikeDrivenSummary } from '../../../engine/core/graph/summary.js';
import { issueText } from '../../../engine/core/issue-text.js';
import { formatCount, formatPercent } from '../format.js';
import { useAnalysis } from '../state/analysis.js';
import { editDocument, useDocument } from '../state/document-store.js';
import { BuildSection } from './BuildSection.js';
import { LimitsSection } from './LimitsSection.js';
import { Section } from './Section.js';
import { ValueField } from './ValueField.js';
import type { z } from 'zod';

export function DocumentInspector() {
  const doc = useDocument();
  const analysis = useAnalysis();
  const errors = analysis.problems.filter((p) => p.severity === 'error').length;
  const warnings = analysis.problems.filter((p) => p.severity === 'warning').length;
  const facts = spikeDrivenSummary(analysis);
  const set = (key: string, fn: (d: GraphDocument) => GraphDocument) => editDocument(fn, { coalesceKey: `doc:${key}` });

  return (
    <Stack gap={0} data-testid="document-inspector">
      <div className="snn-inspector-head">
        <Text fw={600} size="sm">
          Graph
        </Text>
        <Text size="xs" c="dimmed" mt={4}>
          Select a block or a wire to inspect it.
        </Text>
      </div>
      <Section title="Document">
        <Stack gap={6}>
          <ValueField label="Name" field={{ kind: 'text' }} required value={doc.name} errors={check(documentSchema.shape.name, doc.name, 'Name')} testId="doc-name" onCommit={(v) => set('name', (d) => ({ ...d, name: String(v ?? '') }))} />
          <ValueField
            label="Description"
            field={{ kind: 'text' }}
            required={false}
            value={doc.description}
            onCommit={(v) =>
              set('description', (d) => {
                const { description: _old, ...rest } = d;
                return typeof v === 'string' && v.trim() !== '' ? { ...rest, description: v } : rest;
              })
            }
          />
          <ValueField
            label="Time steps (T)"
            field={{ kind: 'number', integer: true, nullable: false }}
            required
            value={doc.timeSteps}
            errors={check(documentSchema.shape.timeSteps, doc.timeSteps, 'Time steps')}
            description="simulation steps per sample: the T of [T,B,...]"
            testId="doc-timesteps"
            onCommit={(v) => set('timeSteps', (d) => ({ ...d, timeSteps: v as number }))}
          />
        </Stack>
      </Section>
      <Section title="Input">
        <Stack gap={6}>
          <ValueField
            label="Shape per sample"
            field={{ kind: 'list', integer: true }}
            required
            value={doc.input.shape}
            errors={check(inputSpecSchema.shape.shape, doc.input.shape, 'Shape per sample')}
            description="[C,H,W] for images, [2,H,W] for event frames, [F] for vectors"
            testId="doc-input-shape"
            onCommit={(v) => set('input.shape', (d) => ({ ...d, input: { ...d.input, shape: v as number[] } }))}
          />
          <ValueField
            label="Kind"
            field={{ kind: 'enum', options: ['image', 'events', 'vector'] }}
            required
            value={doc.input.kind}
            onCommit={(v) => set('input.kind', (d) => ({ ...d, input: { ...d.input, kind: v as GraphDocument['input']['kind'] } }))}
          />
          <ValueField
            label="Classes"
            field={{ kind: 'text' }}
            required={false}
            value={doc.input.classes?.join(', ')}
            description="class names, comma separated"
            onCommit={(v) =>
              set('input.classes', (d) => {
                const { classes: _old, ...rest } = d.input;
                const names = typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
                return { ...d, input: names.length > 0 ? { ...rest, classes: names } : rest };
              })
            }
          />
        </Stack>
      </Section>
      <Section title="Model">
        <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={4}>
          <Table.Tbody>
            <Row k="Parameters" v={analysis.paramCount.toLocaleString()} testId="doc-param-count" />
            <Row k="MACs / sample" v={formatCount(analysis.macs)} testId="doc-macs" />
            {analysis.foldedMacs !== analysis.macs && (
              <Row
                k="MACs deployed"
                v={formatCount(analysis.foldedMacs)}
                testId="doc-folded-macs"
                title="MACs per sample once each linear chain on spikes folds into one conv, as the deployed model runs it (compile --fold all); MACs / sample counts the layers as built, as training runs them"
              />
            )}
            {facts && <Row k="Spike-driven" v={formatPercent(facts.spikeDrivenShare)} />}
            {facts && facts.countsLayers + facts.otherLayers > 0 && (
              <Row k="Use MACs" v={[facts.countsLayers > 0 && `${facts.countsLayers} on spike counts`, facts.otherLayers > 0 && `${facts.otherLayers} on analog values`].filter(Boolean).join(', ')} />
            )}
            <Row k="Output" v={analysis.output ? `${formatShape(analysis.output, doc.timeSteps)} ${analysis.output.kind}` : '—'} />
            <Row k="Problems" v={`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`} />
          </Table.Tbody>
        </Table>
      </Section>
      <BuildSection blocked={errors > 0} />
      <LimitsSection />
    </Stack>
  );
}

function Row({ k, v, testId, title }: { k: string; v: string; testId?: string; title?: string }) {
  return (
    <Table.Tr title={title}>
      <Table.Td w={96}>
        <Text size="xs" c="dimmed">
          {k}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="xs" ff="monospace" data-testid={testId}>
          {v}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

function check(schema: z.ZodType, value: unknown, label: string): string[] {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => issueText(i, label));
}
