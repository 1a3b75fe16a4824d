/**
 * File → Import weights…: what can be imported, the file chooser, the host's progress, and the
 * report — tensors mapped (renamed by the template's table, reshaped, ignored by a stated rule) and
 * the run made; or, for a file that does not fit, every shape mismatch, missing and unexpected
 * tensor by name.
 */
import { Alert, Button, Group, Loader, Modal, ScrollArea, Stack, Text } from '@mantine/core';
import { closeImportDialog, ignoredByRule, importWeights, useImportStore, type ImportPhase } from './import-weights.js';

export function ImportDialog() {
  const open = useImportStore((s) => s.dialogOpen);
  const phase = useImportStore((s) => s.phase);
  const running = phase.state === 'running';
  return (
    <Modal opened={open} onClose={closeImportDialog} title="Import weights" size="lg" centered>
      <Stack gap="sm" data-testid="import-dialog" data-state={phase.state}>
        <Text size="sm">
          A published checkpoint — a PyTorch <code>state_dict</code> (<code>.pth</code>, <code>.pt</code>; read as data, never executed) or <code>.safetensors</code> — mapped onto this graph by its
          template&apos;s names for the authors&apos; released code. Every tensor must find its place with the right shape; the result is a new run of this document.
        </Text>
        <PhaseSection phase={phase} />
        <Group justify="flex-end" gap="xs">
          <Button size="xs" variant="default" onClick={closeImportDialog} data-testid="import-close">
            {phase.state === 'done' ? 'Close' : 'Cancel'}
          </Button>
          <Button size="xs" onClick={() => void importWeights()} disabled={running} data-testid="import-choose">
            Choose weights file…
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function PhaseSection({ phase }: { phase: ImportPhase }) {
  switch (phase.state) {
    case 'idle':
      return null;
    case 'running':
      return (
        <Group gap="xs" data-testid="import-progress">
          <Loader size="xs" />
          <Text size="xs">Reading and mapping {phase.file}…</Text>
        </Group>
      );
    case 'failed':
      return (
        <Alert color="red" variant="light" p="xs" title="Not imported" data-testid="import-error">
          <ScrollArea.Autosize mah={220} type="auto">
            <Text size="xs" ff="monospace" style={{ whiteSpace: 'pre-wrap' }}>
              {phase.error}
            </Text>
          </ScrollArea.Autosize>
        </Alert>
      );
    case 'done': {
      const r = phase.report;
      return (
        <Stack gap={4} data-testid="import-report" data-mapped={r.mapped} data-run={r.run.name}>
          <Text size="sm">
            <b>{r.mapped}</b> tensors imported from {r.file.split(/[\\/]/).pop()} ({r.format === 'pytorch' ? 'PyTorch state_dict' : 'safetensors'}
            {r.under ? `, under "${r.under}"` : ''}) as run <b>{r.run.label}</b>; the Run panel lists it, and Profile and Export can use its weights.
          </Text>
          <Text size="xs" c="dimmed">
            {r.renamed.length} renamed by the template&apos;s table, {r.reshaped.length} reshaped (a trailing 1 dropped), {r.ignored.length} ignored.
          </Text>
          {ignoredByRule(r).map((g) => (
            <Text size="xs" key={g.why} data-testid="import-ignored">
              Ignored {g.count} ({g.why}), e.g. <code>{g.example}</code>
            </Text>
          ))}
          {r.renamed.length > 0 && (
            <ScrollArea.Autosize mah={140} type="auto">
              {r.renamed.map(([from, to]) => (
                <Text size="xs" ff="monospace" key={from}>
                  {from} → {to}
                </Text>
              ))}
            </ScrollArea.Autosize>
          )}
        </Stack>
      );
    }
  }
}
