/** The first page a newcomer reads: what SNN Studio is for and the five things to try first. */
import { Kbd, List, Stack, Text, Title } from '@mantine/core';

export function GettingStarted() {
  return (
    <Stack gap="sm" maw={720} data-testid="help-getting-started">
      <Text size="sm">
        SNN Studio is for designing spiking neural networks as graphs of blocks, seeing the tensor shape and value kind on every wire while you wire, then training, profiling and
        exporting the model. Every number you see comes from the same analysis the compiler uses.
      </Text>
      <Title order={5}>Five first steps</Title>
      <List type="ordered" size="sm" spacing={6}>
        <List.Item>
          <b>Open a template.</b> The gallery (File › Template gallery, <Kbd size="xs">Ctrl</Kbd>+<Kbd size="xs">Shift</Kbd>+<Kbd size="xs">N</Kbd>) holds published architectures —
          Spikformer, QKFormer, the Spike-driven Transformer and others — each with the presets of its paper and the accuracy it reports.
        </List.Item>
        <List.Item>
          <b>Read the graph.</b> Each wire is labelled with its shape, <Text span ff="monospace" size="sm">[T,B,…]</Text>, and drawn by its value kind: analog, binary spikes, spike
          counts or membrane potentials. Composite blocks (stacked icon) open with a double-click or <Kbd size="xs">Enter</Kbd>; <Kbd size="xs">Esc</Kbd> leaves them.
        </List.Item>
        <List.Item>
          <b>Edit.</b> Drag a block from the palette, or press <Kbd size="xs">Enter</Kbd> on it to add it beside the selection; drag from an output port to an input port to wire.
          Right-click a block, a wire or the canvas for what you can do there. Select blocks and press <Kbd size="xs">Ctrl</Kbd>+<Kbd size="xs">G</Kbd> to wrap them into a block of
          your own.
        </List.Item>
        <List.Item>
          <b>Check.</b> The Problems panel lists errors (the graph cannot run) and warnings (likely mistakes); a click takes you to the culprit. Design facts — which layers multiply
          instead of accumulating spikes — are behind its Info filter and the canvas switch <i>Spike-driven analysis</i>.
        </List.Item>
        <List.Item>
          <b>Run.</b> The Run tab trains the graph on ONNX Runtime with live curves; File › Export ONNX writes the model for any ONNX Runtime.
        </List.Item>
      </List>
      <Text size="sm">
        The Block reference (Help menu) explains every block: what it computes, its formula, the paper it comes from and its parameters. A selected block's card is one click away
        in the inspector.
      </Text>
    </Stack>
  );
}
