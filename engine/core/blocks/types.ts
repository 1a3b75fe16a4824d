/**
 * What a block is. A primitive block has a shape rule and a lowering to IR primitives; a composite
 * block is a sub-graph of other blocks (its `input`/`output` nodes are its ports), which a user can
 * open and copy. Both declare a zod schema of their parameters (defaults included), from which the
 * inspector is generated.
 */
import type { z } from 'zod';
import type { GraphBody, InputSpec } from '../document/schema.js';
import type { TensorType } from '../tensor.js';
import type { LowerCtx, IrTensor } from '../lower/context.js';

export type BlockCategory =
  | 'io'
  | 'encoders'
  | 'neurons'
  | 'layers'
  | 'attention'
  | 'stems'
  | 'residuals'
  | 'heads'
  | 'ann';

export const CATEGORY_LABELS: Record<BlockCategory, string> = {
  io: 'Inputs & outputs',
  encoders: 'Encoders',
  neurons: 'Neurons',
  layers: 'Layers',
  attention: 'Attention',
  stems: 'Stems & downsampling',
  residuals: 'Residuals',
  heads: 'Heads',
  ann: 'ANN',
};

export interface PortSpec {
  readonly name: string;
  readonly label?: string;
}

export interface InferCtx {
  readonly timeSteps: number;
  readonly input: InputSpec;
}

export interface InferResult {
  readonly outputs: Readonly<Record<string, TensorType>>;
  /** Learnable parameters (not buffers such as BN running statistics). */
  readonly params?: number;
  /** Multiply-accumulates per sample for one forward pass over all T steps (ANN-equivalent cost). */
  readonly macs?: number;
  /** Synaptic inputs: the port whose value kind decides MAC vs AC for this node's `macs`. */
  readonly synapticInput?: string;
  readonly warnings?: readonly string[];
}

interface BlockBase<P> {
  readonly id: string;
  readonly label: string;
  readonly category: BlockCategory;
  readonly description: string;
  /** A zod object schema with defaults for every optional parameter. */
  readonly params: z.ZodType<P>;
  readonly inputs: readonly PortSpec[] | ((p: P) => readonly PortSpec[]);
  readonly outputs: readonly PortSpec[] | ((p: P) => readonly PortSpec[]);
  /** Searchable extra words for the palette. */
  readonly keywords?: readonly string[];
}

export interface PrimitiveBlock<P = any> extends BlockBase<P> {
  readonly kind: 'primitive';
  /** Shape, kind, parameter count and cost; throws RuleError (via `fail`) on bad input. */
  infer(inputs: Readonly<Record<string, TensorType>>, params: P, ctx: InferCtx): InferResult;
  /**
   * Emits IR for this node and returns its output values by port. Inputs are in the IR layout of
   * `lower/context.ts`; `outputs` are the types `infer` gave this node, which the values carry (the
   * lowering walk checks their IR shapes), so a lowering never works a type out a second time.
   */
  lower(ctx: LowerCtx, inputs: Readonly<Record<string, IrTensor>>, params: P, outputs: Readonly<Record<string, TensorType>>): Record<string, number>;
}

export interface CompositeBlock<P = any> extends BlockBase<P> {
  readonly kind: 'composite';
  /** The inside, built from the parameters: nodes of other blocks plus `input`/`output` port nodes. */
  expand(params: P): GraphBody;
}

export type BlockDef<P = any> = PrimitiveBlock<P> | CompositeBlock<P>;

export function portsOf<P>(ports: BlockBase<P>['inputs'], params: P): readonly PortSpec[] {
  return typeof ports === 'function' ? ports(params) : ports;
}

/**
 * A node's ports, in drawing order, whether or not its parameters are valid: read with the parsed
 * parameters where they parse and with the node's own otherwise. Ports that depend on a parameter
 * that cannot be read are none at all (that parameter's own problem says why).
 */
export function blockPorts(block: BlockDef, params: unknown): { inputs: readonly PortSpec[]; outputs: readonly PortSpec[] } {
  const parsed = block.params.safeParse(params ?? {});
  const p: unknown = parsed.success ? parsed.data : (params ?? {});
  try {
    return { inputs: portsOf(block.inputs, p), outputs: portsOf(block.outputs, p) };
  } catch {
    return { inputs: [], outputs: [] };
  }
}
