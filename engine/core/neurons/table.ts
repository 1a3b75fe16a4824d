/**
 * The neuron table: one row per spiking neuron type that charges, fires and resets step by step.
 * A row says how its type charges — the rate κ of H = V + κ·(X + g(V)), the drive g(V) when the
 * leak is not the plain one toward V_reset, a second state — which emission tricks apply, and how
 * the block catalogue offers it. Fire, reset and BPTT are shared (emit.ts); adding a neuron type
 * is adding a row here. (The parallel spiking neurons have no reset and are blocks of their own.)
 */
import { z } from 'zod';
import { mutated } from '../mutation.js';
import { add, exp, mul, sub, V } from './expr.js';
import { resetParams, surrogateSchema } from './params.js';
import type { ChargeRule, NeuronAttrs } from './types.js';

const NO_TRICKS = { decayedKeep: false, rescaledThreshold: false, savedSurrogate: false, foldsGain: false } as const;

/** The attributes of a SpikingJelly-style node from its reset parameters. */
function nodeAttrs(
  charge: string,
  p: z.infer<z.ZodObject<typeof resetParams>> & { tau?: number; decayInput?: boolean },
  constants?: Record<string, number>,
): NeuronAttrs {
  return {
    charge,
    tau: p.tau ?? 2,
    decayInput: p.decayInput ?? true,
    vReset: p.vReset,
    threshold: p.threshold,
    strict: false,
    postResetDecay: 1,
    detachReset: p.detachReset,
    surrogate: p.surrogate,
    ...(constants ? { constants } : {}),
  };
}

const lifParams = z.strictObject({
  tau: z.number().gt(1, 'tau must be > 1 (1/tau is the leak per step)').default(2),
  decayInput: z.boolean().default(true),
  ...resetParams,
});

const lif: ChargeRule<z.infer<typeof lifParams>> = {
  id: 'lif',
  rate: 'tau',
  tricks: { decayedKeep: true, rescaledThreshold: true, savedSurrogate: true, foldsGain: true },
  block: {
    id: 'lif',
    label: 'LIF neuron',
    description:
      'Leaky integrate-and-fire (SpikingJelly semantics): H = V + (X − (V − V_reset))/τ with decay_input, fire when H ≥ V_th, hard reset to V_reset or soft reset (V_reset = null).',
    keywords: ['leaky', 'integrate', 'fire', 'spiking'],
    params: lifParams,
    attrs: (p) => nodeAttrs('lif', mutated('lif-threshold') ? { ...p, threshold: p.threshold + 1e-3 } : p),
  },
};

const ifParams = z.strictObject({ ...resetParams });

const ifNeuron: ChargeRule<z.infer<typeof ifParams>> = {
  id: 'if',
  rate: 'none',
  tricks: NO_TRICKS,
  block: {
    id: 'if',
    label: 'IF neuron',
    description: 'Integrate-and-fire without leak: H = V + X.',
    keywords: ['integrate', 'fire'],
    params: ifParams,
    attrs: (p) => nodeAttrs('if', p),
  },
};

const plifParams = z.strictObject({
  initTau: z.number().gt(1).default(2),
  decayInput: z.boolean().default(true),
  ...resetParams,
});

const plif: ChargeRule<z.infer<typeof plifParams>> = {
  id: 'plif',
  rate: 'learned',
  tricks: NO_TRICKS,
  block: {
    id: 'plif',
    label: 'PLIF neuron',
    description: 'Parametric LIF: one learnable w per layer with 1/τ = sigmoid(w), initialised from init_tau (w = −ln(init_tau − 1)).',
    keywords: ['parametric', 'learnable', 'tau'],
    params: plifParams,
    attrs: (p) => ({ ...nodeAttrs('plif', p), tau: p.initTau }),
    learned: { name: 'w', shape: [1], init: (p) => -Math.log(p.initTau - 1) },
  },
};

const dhsParams = z.strictObject({
  threshold: z.number().positive().default(0.3),
  decay: z.number().min(0).max(1).default(0.2),
  surrogate: surrogateSchema.default({ name: 'dspike', b: 3, c: 0.3 }),
});

const spikeDhs: ChargeRule<z.infer<typeof dhsParams>> = {
  id: 'dhs',
  rate: 'none',
  tricks: NO_TRICKS,
  block: {
    id: 'spikedhs_neuron',
    label: 'SpikeDHS neuron',
    description: 'SpikeDHS neuron (spec §8.1): m = m + I; fire when m > V_th (strict); m ← m·decay·(1 − s), reset not detached; Dspike surrogate.',
    keywords: ['dhs', 'dspike', 'search'],
    params: dhsParams,
    attrs: (p) => ({
      charge: 'dhs',
      tau: 1,
      decayInput: false,
      vReset: 0,
      threshold: p.threshold,
      strict: true,
      postResetDecay: p.decay,
      detachReset: false,
      surrogate: p.surrogate,
    }),
  },
};

/** A row's own number from the attributes its block wrote (`constants`). */
function constant(a: NeuronAttrs, name: string): number {
  const v = a.constants?.[name];
  if (v === undefined) throw new Error(`neuron "${a.charge}": attribute constants.${name} is missing`);
  return v;
}

const alifParams = z.strictObject({
  tau: z.number().gt(1, 'tau must be > 1 (1/tau is the leak per step)').default(2),
  decayInput: z.boolean().default(true),
  beta: z.number().min(0).default(0.2),
  tauAdapt: z.number().gt(1, 'tauAdapt must be > 1 (1/tauAdapt is the adaptation decay per step)').default(20),
  ...resetParams,
});

const alif: ChargeRule<z.infer<typeof alifParams>> = {
  id: 'alif',
  rate: 'tau',
  adaptation: (a) => ({ beta: constant(a, 'beta'), decay: 1 - 1 / constant(a, 'tauAdapt') }),
  tricks: NO_TRICKS,
  block: {
    id: 'alif',
    label: 'ALIF neuron (adaptive threshold)',
    description:
      'Adaptive LIF: the LIF charge, with a threshold that rises by β after each spike and decays back with its own τ_a: fire when H ≥ V_th + A, A ← (1 − 1/τ_a)·A + β·S. A detached reset also detaches the spike fed into A.',
    keywords: ['adaptive', 'threshold', 'alif', 'lsnn', 'leaky'],
    params: alifParams,
    attrs: (p) => nodeAttrs('alif', p, { beta: p.beta, tauAdapt: p.tauAdapt }),
  },
};

const qifParams = z.strictObject({
  tau: z.number().gt(1, 'tau must be > 1 (1/tau is the leak per step)').default(2),
  vRest: z.number().default(0),
  vCritical: z.number().default(0.8),
  a0: z.number().positive().default(1),
  ...resetParams,
  vReset: z.number().nullable().default(-0.1),
});

const qif: ChargeRule<z.infer<typeof qifParams>> = {
  id: 'qif',
  rate: 'tau',
  drive: (a) => mul(constant(a, 'a0'), mul(sub(V, constant(a, 'vRest')), sub(V, constant(a, 'vCritical')))),
  tricks: NO_TRICKS,
  block: {
    id: 'qif',
    label: 'QIF neuron (quadratic)',
    description:
      'Quadratic integrate-and-fire (SpikingJelly QIFNode): H = V + (X + a0·(V − V_rest)·(V − V_c))/τ, fire when H ≥ V_th; above V_c the membrane runs away by itself. Defaults V_c 0.8, a0 1, V_reset −0.1.',
    keywords: ['quadratic', 'integrate', 'fire', 'nonlinear'],
    params: qifParams,
    attrs: (p) => nodeAttrs('qif', p, { vRest: p.vRest, vCritical: p.vCritical, a0: p.a0 }),
  },
};

const eifParams = z.strictObject({
  tau: z.number().gt(1, 'tau must be > 1 (1/tau is the leak per step)').default(2),
  vRest: z.number().default(0),
  deltaT: z.number().positive().default(1),
  thetaRh: z.number().default(0.8),
  ...resetParams,
  vReset: z.number().nullable().default(-0.1),
});

const eif: ChargeRule<z.infer<typeof eifParams>> = {
  id: 'eif',
  rate: 'tau',
  drive: (a) => {
    const deltaT = constant(a, 'deltaT');
    return add(sub(constant(a, 'vRest'), V), mul(deltaT, exp(mul(sub(V, constant(a, 'thetaRh')), 1 / deltaT))));
  },
  tricks: NO_TRICKS,
  block: {
    id: 'eif',
    label: 'EIF neuron (exponential)',
    description:
      'Exponential integrate-and-fire (SpikingJelly EIFNode): H = V + (X − (V − V_rest) + Δ_T·exp((V − θ_rh)/Δ_T))/τ, fire when H ≥ V_th. Defaults Δ_T 1, θ_rh 0.8, V_reset −0.1.',
    keywords: ['exponential', 'integrate', 'fire', 'nonlinear'],
    params: eifParams,
    attrs: (p) => nodeAttrs('eif', p, { vRest: p.vRest, deltaT: p.deltaT, thetaRh: p.thetaRh }),
  },
};

export const NEURON_TABLE: readonly ChargeRule[] = [lif, ifNeuron, plif, spikeDhs, alif, qif, eif];

export function chargeRule(id: string): ChargeRule {
  const row = NEURON_TABLE.find((r) => r.id === id);
  if (!row) throw new Error(`neuron: no row "${id}" in the neuron table (rows: ${NEURON_TABLE.map((r) => r.id).join(', ')})`);
  return row;
}
