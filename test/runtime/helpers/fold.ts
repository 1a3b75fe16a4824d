// Shared by the fold tests: a document's inference graph with BatchNorm statistics that make it fire,
// the same network folded and unfolded, and the comparisons they make.
import { expect } from 'vitest';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import type { IrGraph } from '../../../engine/core/ir/types.js';
import { hoistRepeats } from '../../../engine/core/optimize/hoist-repeats.js';
import { pruneGraph } from '../../../engine/core/optimize/prune.js';
import { Rng } from '../../../engine/core/rng.js';
import { compileInference } from '../../../engine/runtime/compile.js';

/**
 * The graph compile emits from, before the fold, with every BN statistic drawn at random: gains of
 * 1.5–4.5 and shifts of 0–1, so that the seeded model fires (10–80 % of its neurons, where BN's
 * defaults leave Meta-SpikeFormer silent and a fold would be checked on zeros). `norm` names the
 * document's norm layers whose parameters do not contain "bn".
 */
export function prepared(doc: GraphDocument, seed: number, norm = 'n1'): { graph: IrGraph; params: Map<string, Float32Array> } {
  const c = compileInference(doc, { foldLinearChains: false });
  const rng = Rng.fromSeed(seed);
  const params = new Map(c.params);
  const statOf = new RegExp(`(^|\\.)(${norm}|[^.]*bn[^.]*)\\.(weight|bias|running_mean|running_var)$`);
  for (const [name, v] of c.params) {
    const stat = statOf.exec(name)?.[3];
    if (!stat) continue;
    const u = () => rng.uniform();
    const draw = { running_var: () => 0.3 + 1.5 * u(), running_mean: () => u() - 0.5, weight: () => 3 * (0.5 + u()), bias: () => u() }[stat]!;
    params.set(name, Float32Array.from(v, draw));
  }
  return { graph: pruneGraph(hoistRepeats(c.graph)), params };
}

/** max |got − want| over the largest |want| below `rel`. */
export function expectRelClose(got: ArrayLike<number>, want: ArrayLike<number>, rel: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  expect(worst / scale, `${what}: max |diff| ${worst} of scale ${scale}`).toBeLessThan(rel);
}
