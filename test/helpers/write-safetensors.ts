/**
 * A safetensors file written by hand from its published layout (an 8-byte little-endian header
 * length, a JSON header of dtype, shape and byte offsets, then the raw little-endian data), so
 * that a test of the importer does not read back what the engine's own encoder wrote.
 */
export function safetensorsBytes(tensors: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>): Uint8Array {
  const header: Record<string, { dtype: 'F32'; shape: number[]; data_offsets: [number, number] }> = {};
  let offset = 0;
  for (const [name, t] of tensors) {
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  // the data starts 8-byte aligned: the header is padded with spaces
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const t of tensors.values()) {
    const view = new DataView(out.buffer, at, t.data.byteLength);
    t.data.forEach((v, i) => view.setFloat32(i * 4, v, true));
    at += t.data.byteLength;
  }
  return out;
}
