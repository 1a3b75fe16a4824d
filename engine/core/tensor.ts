/**
 * What flows on an edge of the document graph: a shape and a value kind.
 *
 * Activations are time-major. `shape` holds only the per-sample feature dims; a timed tensor is
 * `[T, B, ...shape]`, an untimed one (after a mean over T, or the raw input before the encoder)
 * is `[B, ...shape]`. The kind is inferred like the shape and decides MAC vs AC in the energy model.
 */
export type ValueKind = 'analog' | 'spikes' | 'counts' | 'membrane';

export interface TensorType {
  readonly shape: readonly number[];
  readonly timed: boolean;
  readonly kind: ValueKind;
}

export const VALUE_KINDS: readonly ValueKind[] = ['analog', 'spikes', 'counts', 'membrane'];

/** `[T,B,64,16,16]`, with T written as a number when known. */
export function formatShape(t: Pick<TensorType, 'shape' | 'timed'>, timeSteps?: number): string {
  const lead = t.timed ? [timeSteps === undefined ? 'T' : String(timeSteps), 'B'] : ['B'];
  return `[${[...lead, ...t.shape.map(String)].join(',')}]`;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Binary spikes or integer spike counts: inputs a synaptic layer can process with additions only. */
export function isSpikeLike(kind: ValueKind): boolean {
  return kind === 'spikes';
}
