/**
 * Deliberate engine faults for the mutation check (test/mutation/README.md): each is one small,
 * named break that the test suite must catch. Off unless the Node runtime switches one on from
 * SNN_TEST_MUTATION (engine/runtime/test-mutation.ts, the one place that reads it); off, every
 * `mutated(...)` is false and each guarded site takes its normal path.
 */
export const MUTATIONS = {
  /** The `linear` row's VJP returns NaN for every input gradient. */
  'vjp-nan': 'the linear VJP row returns NaN',
  /** The LIF neuron fires at V_th + 1e-3. */
  'lif-threshold': 'the LIF threshold is 1e-3 too high',
  /** The Adam/AdamW row leaves each parameter as it was (its moments still move). */
  'adam-skip': 'the Adam/AdamW step skips its parameter update',
} as const;

export type Mutation = keyof typeof MUTATIONS;

let active: Mutation | null = null;

/** Switches a mutation on (a name), or all off (undefined or ''); an unknown name is an error, not a clean run. */
export function setMutation(name: string | undefined): void {
  if (name === undefined || name === '') {
    active = null;
    return;
  }
  if (!(name in MUTATIONS)) throw new Error(`SNN_TEST_MUTATION: unknown mutation "${name}"; known: ${Object.keys(MUTATIONS).join(', ')}`);
  active = name as Mutation;
}

export function mutated(m: Mutation): boolean {
  return active === m;
}
