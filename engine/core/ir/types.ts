/**
 * The primitive IR: a flat list of nodes over numbered values with concrete shapes. Blocks lower
 * into it; autodiff extends it; the ONNX emitter turns it into a model. Every op names a row of the
 * primitive table (`ir/primitives`), which holds its shape rule, ONNX emission and VJP side by side.
 */
export type DType = 'float32' | 'int64';

export interface IrValue {
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export interface IrNode {
  readonly op: string;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly attrs: Readonly<Record<string, unknown>>;
  /** Dotted path of the document node (and composite insides) this op was lowered from. */
  readonly scope: string;
}

/** PyTorch's default initialisers and the few the papers use, evaluated in `init/initialize.ts`. */
export type InitSpec =
  | { readonly kind: 'uniform'; readonly bound: number }
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'trunc_normal'; readonly std: number }
  | { readonly kind: 'values'; readonly values: readonly number[] };

/**
 * What a parameter is for: optimizers skip weight decay on norms, biases and neuron parameters
 * (as timm does), and buffers are updated by the forward pass instead of by gradients.
 */
export type ParamRole = 'weight' | 'bias' | 'norm' | 'neuron' | 'buffer';

export interface IrParam {
  /** Stable, PyTorch-like name (`sps.conv1.weight`), used in checkpoints and exports. */
  readonly name: string;
  readonly value: number;
  readonly init: InitSpec;
  readonly role: ParamRole;
}

export interface IrConstant {
  readonly value: number;
  readonly data: Float32Array | BigInt64Array;
}

export interface IrGraph {
  readonly values: readonly IrValue[];
  readonly nodes: readonly IrNode[];
  readonly params: readonly IrParam[];
  readonly constants: readonly IrConstant[];
  readonly inputs: readonly { readonly name: string; readonly value: number }[];
  readonly outputs: readonly { readonly name: string; readonly value: number }[];
}
