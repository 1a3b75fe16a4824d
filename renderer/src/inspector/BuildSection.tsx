/**
 * The document's build check: Compile asks the host to build the inference model (what export
 * writes) and shows its size and build time, or the located problem that refused it; while a
 * large model builds, Cancel stops it.
 */
import { Button, Group, Loader, Stack, Text } from '@mantine/core';
import { IconHammer, IconPlayerStop } from '@tabler/icons-react';
import { formatBytes } from '../format.js';
import { cancelCompileCheck, startCompileCheck, useCompileCheck, type CompileCheck } from '../state/compile-check.js';
import { useDocument } from '../state/document-store.js';
import { Section } from './Section.js';

export function BuildSection({ blocked }: { blocked: boolean }) {
  const check = useCompileCheck();
  const doc = useDocument();
  const stale = check.phase !== 'idle' && check.phase !== 'running' && check.doc !== doc;
  return (
    <Section title="Build">
      <Stack gap={6} data-testid="build-section">
        {check.phase === 'running' ? (
          <Group gap={8}>
            <Loader size="xs" />
            <Text size="xs">Compiling…</Text>
            <Button size="compact-xs" variant="default" leftSection={<IconPlayerStop size={12} />} onClick={() => void cancelCompileCheck()} data-testid="compile-cancel">
              Cancel
            </Button>
          </Group>
        ) : (
          <Group gap={8}>
            <Button size="compact-xs" variant="default" leftSection={<IconHammer size={12} />} disabled={blocked} title={blocked ? 'fix the errors first' : 'build the inference model on the host'} onClick={() => void startCompileCheck()} data-testid="compile-check">
              Compile
            </Button>
          </Group>
        )}
        <Outcome check={check} />
        {stale && (
          <Text size="xs" c="dimmed">
            (for the document before its last edits)
          </Text>
        )}
      </Stack>
    </Section>
  );
}

function Outcome({ check }: { check: CompileCheck }) {
  if (check.phase === 'cancelled') return <Text size="xs" c="dimmed" data-testid="compile-outcome">Compile cancelled.</Text>;
  if (check.phase === 'failed') return <Text size="xs" c="red" data-testid="compile-outcome">Compile failed: {check.error}</Text>;
  if (check.phase !== 'done') return null;
  const r = check.result;
  if (!r.ok) {
    const first = r.problems.find((p) => p.severity === 'error') ?? r.problems[0];
    return (
      <Text size="xs" c="red" data-testid="compile-outcome">
        Refused: {first ? `${first.path}: ${first.message}` : 'the document does not compile'}
      </Text>
    );
  }
  return (
    <Text size="xs" data-testid="compile-outcome">
      ONNX model of {formatBytes(r.bytes)}, built in {Math.round(r.compileMs)} ms; input [{r.inputShape.join(', ')}] → output [{r.outputShape.join(', ')}]
    </Text>
  );
}
