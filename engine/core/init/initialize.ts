/**
 * Parameter initialisation in TypeScript, from a seed, with PyTorch's default initialisers
 * (Kaiming-uniform a=√5 ⇒ U(−1/√fan_in, 1/√fan_in) for conv/linear weights and biases, BN 1/0,
 * running stats 0/1) and the trunc-normal the Spikformer family uses.
 *
 * Each parameter draws from its own generator, seeded from (seed, name): adding a node to a graph
 * does not change the initial weights of the others.
 */
import { numelOf } from '../ir/primitive.js';
import type { IrGraph, InitSpec } from '../ir/types.js';
import { Rng } from '../rng.js';

export type ParamValues = Map<string, Float32Array>;

/**
 * Every parameter of `graph`: those in `given` with the right length as they are (not drawn: a
 * trained 8-768 spent most of its compile drawing 66 M weights it then replaced), the others drawn
 * from the seed. A given tensor of the wrong length is drawn instead, for the caller's check to find.
 */
export function initializeParams(graph: IrGraph, seed: number, given?: ReadonlyMap<string, Float32Array>): ParamValues {
  const out: ParamValues = new Map();
  for (const p of graph.params) {
    const n = numelOf(graph.values[p.value]!.shape);
    const g = given?.get(p.name);
    out.set(p.name, g !== undefined && g.length === n ? g : initTensor(p.init, n, Rng.fromSeed(hashSeed(seed, p.name))));
  }
  return out;
}

export function initTensor(init: InitSpec, n: number, rng: Rng): Float32Array {
  const data = new Float32Array(n);
  switch (init.kind) {
    case 'const':
      data.fill(init.value);
      break;
    case 'uniform':
      rng.fillUniform(data, init.bound);
      break;
    case 'trunc_normal':
      // timm's trunc_normal_(std) truncates at ±2 (absolute), which is many σ for std 0.02: resample outside
      rng.fillTruncNormal(data, init.std, 2);
      break;
    case 'values':
      if (init.values.length !== n) throw new Error(`init values have ${init.values.length} entries for ${n} elements`);
      data.set(init.values);
      break;
  }
  return data;
}

/** FNV-1a over the name, mixed with the seed. */
export function hashSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
