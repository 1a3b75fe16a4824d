/**
 * From the dataset's sample layout to the model's input: images pass as [B, C, H, W]; event
 * samples come as [B, T, 2, H, W] and the model takes time-major [T·B, 2, H, W].
 */
import type { GraphDocument } from '../../core/document/schema.js';

export function modelInput(doc: GraphDocument, x: Float32Array, batch: number): Float32Array {
  if (doc.input.kind !== 'events') return x;
  const T = doc.timeSteps;
  const frame = doc.input.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(x.length);
  for (let b = 0; b < batch; b++) for (let t = 0; t < T; t++) out.set(x.subarray((b * T + t) * frame, (b * T + t + 1) * frame), (t * batch + b) * frame);
  return out;
}

/** Floats per dataset sample. */
export function sampleLength(doc: GraphDocument): number {
  return doc.input.shape.reduce((a, b) => a * b, doc.input.kind === 'events' ? doc.timeSteps : 1);
}
