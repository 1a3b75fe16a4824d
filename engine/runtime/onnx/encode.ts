/**
 * Serialises the core's plain ONNX model to protobuf bytes (onnx-proto's generated protobufjs
 * code), and reads a model file's metadata back.
 */
import onnxProto from 'onnx-proto';
import type { OnnxAttribute, OnnxDataType, OnnxModel, OnnxTensor, OnnxValueInfo } from '../../core/onnx/model.js';

const { onnx } = onnxProto as unknown as { onnx: typeof import('onnx-proto').onnx };
const AT = onnx.AttributeProto.AttributeType;
const DT = onnx.TensorProto.DataType;

const DATA_TYPES: Record<OnnxDataType, number> = { float32: DT.FLOAT, int64: DT.INT64, bool: DT.BOOL };

/** ONNX IR version 8 pairs with opsets up to 18. */
const IR_VERSION = 8;

export function encodeModel(model: OnnxModel): Uint8Array {
  const proto = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    opsetImport: [{ domain: '', version: model.opsetVersion }],
    metadataProps: Object.entries(model.metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: model.graph.name,
      node: model.graph.nodes.map((n) => ({
        opType: n.opType,
        name: n.name,
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attributes).map(([name, a]) => attribute(name, a)),
      })),
      input: model.graph.inputs.map(valueInfo),
      output: model.graph.outputs.map(valueInfo),
      initializer: model.graph.initializers.map(tensor),
    },
  });
  return onnx.ModelProto.encode(proto).finish();
}

export interface ModelFileInfo {
  readonly metadata: Record<string, string>;
  readonly inputs: { name: string; dims: (number | string)[] }[];
  readonly outputs: { name: string; dims: (number | string)[] }[];
  readonly opset: number;
}

export function readModelInfo(bytes: Uint8Array): ModelFileInfo {
  const m = onnx.ModelProto.decode(bytes);
  const dims = (v: import('onnx-proto').onnx.IValueInfoProto) =>
    (v.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue ?? 0)));
  return {
    metadata: Object.fromEntries((m.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? ''])),
    inputs: (m.graph?.input ?? []).map((v) => ({ name: v.name ?? '', dims: dims(v) })),
    outputs: (m.graph?.output ?? []).map((v) => ({ name: v.name ?? '', dims: dims(v) })),
    opset: Number(m.opsetImport?.[0]?.version ?? 0),
  };
}

function tensor(t: OnnxTensor): import('onnx-proto').onnx.ITensorProto {
  return {
    name: t.name,
    dims: [...t.dims],
    dataType: DATA_TYPES[t.dataType],
    rawData: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
  };
}

function valueInfo(v: OnnxValueInfo): import('onnx-proto').onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: DATA_TYPES[v.dataType],
        shape: { dim: v.dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

function attribute(name: string, a: OnnxAttribute): import('onnx-proto').onnx.IAttributeProto {
  switch (a.type) {
    case 'int':
      return { name, type: AT.INT, i: a.value };
    case 'float':
      return { name, type: AT.FLOAT, f: a.value };
    case 'string':
      return { name, type: AT.STRING, s: new TextEncoder().encode(a.value) };
    case 'ints':
      return { name, type: AT.INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: AT.FLOATS, floats: [...a.value] };
    case 'tensor':
      return { name, type: AT.TENSOR, t: tensor(a.value) };
  }
}
