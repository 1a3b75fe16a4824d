/**
 * How a catalogue composite is written: a parameter schema and a function that builds its inside
 * with a GraphBuilder. The inside is an ordinary graph body (input/output port nodes plus blocks),
 * so the editor can open it and a user can copy it as their own block.
 */
import type { z } from 'zod';
import { GraphBuilder, type PortRef } from '../../document/builder.js';
import type { BlockCategory, CompositeBlock, PortSpec } from '../types.js';

export interface CompositeSpec<P> {
  readonly id: string;
  readonly label: string;
  readonly category: BlockCategory;
  readonly description: string;
  readonly keywords?: readonly string[];
  readonly params: z.ZodType<P>;
  /** Port names; the inside has an `input`/`output` node of each name. Default: one `in`, one `out`. */
  readonly inputs?: readonly PortSpec[];
  readonly outputs?: readonly PortSpec[];
  /** Builds the inside from the single input port `in` (or the named ports) and returns the `out` source(s). */
  build(g: GraphBuilder, p: P, ins: Readonly<Record<string, PortRef>>): PortRef | Readonly<Record<string, PortRef>>;
}

const IN: readonly PortSpec[] = [{ name: 'in' }];
const OUT: readonly PortSpec[] = [{ name: 'out' }];

export function defineComposite<P>(spec: CompositeSpec<P>): CompositeBlock<P> {
  const inputs = spec.inputs ?? IN;
  const outputs = spec.outputs ?? OUT;
  return {
    kind: 'composite',
    id: spec.id,
    label: spec.label,
    category: spec.category,
    description: spec.description,
    ...(spec.keywords ? { keywords: spec.keywords } : {}),
    params: spec.params,
    inputs,
    outputs,
    expand: (p) => {
      const g = new GraphBuilder();
      const ins = Object.fromEntries(inputs.map((port) => [port.name, g.input(port.name)]));
      const result = spec.build(g, p, ins);
      const byPort = 'node' in result ? { [outputs[0]!.name]: result as PortRef } : (result as Record<string, PortRef>);
      for (const port of outputs) g.output(port.name, byPort[port.name]!);
      return g.body();
    },
  };
}
