/**
 * The canvas's note while the export lint is marked on it: which format, how many blocks it
 * cannot hold, and a way to take the marks off (or back to the export dialog).
 */
import { Badge, Button, Group, Paper, Text } from '@mantine/core';
import { FORMAT_LABELS, openExportDialog, useExportStore } from './export-model.js';
import { showExportLint, useShownLint } from './export-lint.js';

export function ExportLintBanner() {
  const lint = useShownLint();
  const dialogOpen = useExportStore((s) => s.dialogOpen);
  if (!lint || dialogOpen) return null;
  const { format, outcome } = lint;
  const blocks = outcome.ok ? new Set(outcome.findings.map((f) => f.nodeId)).size : 0;
  return (
    <Paper withBorder shadow="xs" p={6} className="snn-export-lint-banner" data-testid="export-lint-banner" data-format={format} data-blocks={blocks}>
      <Group gap={6} wrap="nowrap">
        <Badge size="xs" color={blocks > 0 ? 'red' : 'teal'} variant="light">
          {FORMAT_LABELS[format]} lint
        </Badge>
        <Text size="xs">
          {!outcome.ok ? 'the graph has problems' : blocks === 0 ? 'every block can be exported' : `${blocks} block${blocks === 1 ? '' : 's'} cannot be exported (hover a marked block)`}
        </Text>
        <Button size="compact-xs" variant="subtle" onClick={() => void openExportDialog(format)}>
          Export…
        </Button>
        <Button size="compact-xs" variant="subtle" color="gray" onClick={() => showExportLint(null)} data-testid="export-lint-hide">
          Hide
        </Button>
      </Group>
    </Paper>
  );
}
