/**
 * A plain-object ONNX model: what the emitter produces and the runtime serialises to protobuf.
 * Kept free of any protobuf library so that core stays pure TypeScript.
 */
export type OnnxDataType = 'float32' | 'int64' | 'bool';

export type OnnxAttribute =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'tensor'; readonly value: OnnxTensor };

export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dataType: OnnxDataType;
  readonly data: Float32Array | BigInt64Array | Uint8Array;
}

export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, OnnxAttribute>>;
  readonly name: string;
}

export interface OnnxValueInfo {
  readonly name: string;
  readonly dataType: OnnxDataType;
  /** A string is a symbolic dimension (e.g. 'B'). */
  readonly dims: readonly (number | string)[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly initializers: readonly OnnxTensor[];
}

export interface OnnxModel {
  readonly graph: OnnxGraph;
  readonly opsetVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export const OPSET_VERSION = 17;
