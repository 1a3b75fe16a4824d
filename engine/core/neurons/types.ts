/**
 * The neuron op's attributes and the shape of a row of the neuron table (table.ts). A neuron is
 * charge, fire, reset (STYLE.md): a row says how its type charges; fire and reset are shared.
 */
import type { z } from 'zod';
import type { PoolAttrs } from '../ir/primitives/pool.js';
import type { Expr } from './expr.js';

export type SurrogateSpec =
  | { readonly name: 'sigmoid'; readonly alpha: number }
  | { readonly name: 'atan'; readonly alpha: number }
  | { readonly name: 'piecewise_quadratic'; readonly alpha: number }
  | { readonly name: 'rectangle'; readonly alpha: number }
  | { readonly name: 'piecewise_leaky_relu'; readonly w: number; readonly c: number }
  | { readonly name: 'dspike'; readonly b: number; readonly c: number };

export interface NeuronAttrs {
  /** The id of the neuron table's row that charges this neuron (`if`, `lif`, `plif`, `dhs`, ...). */
  readonly charge: string;
  readonly tau: number;
  readonly decayInput: boolean;
  /** null: soft reset (subtract the threshold). */
  readonly vReset: number | null;
  readonly threshold: number;
  /** Fire on H > threshold instead of H ≥ threshold (SpikeDHS). */
  readonly strict: boolean;
  /** Multiplies the membrane after reset (SpikeDHS decay 0.2); 1 elsewhere. */
  readonly postResetDecay: number;
  readonly detachReset: boolean;
  readonly surrogate: SurrogateSpec;
  /** The row's own numbers (a QIF's critical voltage, an ALIF's adaptation β and τ). */
  readonly constants?: Readonly<Record<string, number>>;
  /**
   * Time steps when the input is one step [1, M] that repeats at every step (direct encoding,
   * hoisted by the training passes): the charge input is then computed once.
   */
  readonly steps?: number;
  /** Training form: also output, per step, what the VJP reads (see `savedSteps` in emit.ts). */
  readonly save?: boolean;
  /**
   * Profile form (inference only): also output the membrane charge H [T, M] (after charge, before
   * fire and reset) and, for an adaptive row, its threshold θ + A[t] [T, M] (`membraneOutputs`).
   */
  readonly membrane?: boolean;
  /**
   * Set by optimize/pool-steps.ts: each step's spikes, read as the [N, C, H, W] map `pooled.map`,
   * go through the pool that followed the neuron before the steps are stacked. The output is the
   * stack of pooled steps [T, numel of a pooled map].
   */
  readonly pooled?: StepPool;
}

/** The pool a neuron applies to each step of its spikes (NeuronAttrs.pooled). */
export interface StepPool {
  readonly op: 'maxpool2d' | 'avgpool2d';
  readonly attrs: PoolAttrs;
  /** One step's spikes as the pool reads them, [N, C, H, W]. */
  readonly map: readonly number[];
  /**
   * The neuron also outputs Σ of its spikes (second output, a scalar): the training step's spike
   * count, which no longer has the stacked spikes to sum. The training form (max pooling only)
   * also saves each step's pool indices, after what the neuron saves, for the VJP to unpool.
   */
  readonly count?: boolean;
}

/** Time steps of a neuron on input [T, M], or on one step [1, M] repeated `steps` times. */
export function stepsOf(xShape: readonly number[], a: NeuronAttrs): number {
  return a.steps ?? xShape[0]!;
}

/**
 * The rate κ of the charge H = V + κ·(X + g(V)) (κ·X becomes X without decay_input): none (IF,
 * SpikeDHS: κ = 0), 1/τ from the attributes, or learned as sigmoid(w) with w the neuron op's second
 * input (PLIF, whose w gets its gradient from the shared emitter).
 */
export type ChargeRate = 'none' | 'tau' | 'learned';

/** A threshold that rises by β with every spike and decays back by (1 − 1/τ_a) a step: θ[t] = θ + A[t]. */
export interface Adaptation {
  readonly beta: number;
  /** 1 − 1/τ_a. */
  readonly decay: number;
}

/** A trained parameter of the neuron: the op's second input, initialised to a constant. */
export interface NeuronParam<P> {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: (params: P) => number;
}

/** How the block catalogue offers a row: the document block and its parameters. */
export interface NeuronBlockSpec<P> {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly keywords: readonly string[];
  readonly params: z.ZodType<P>;
  readonly attrs: (params: P) => NeuronAttrs;
  readonly learned?: NeuronParam<P>;
}

export interface ChargeRule<P = any> {
  /** `NeuronAttrs.charge`. */
  readonly id: string;
  readonly rate: ChargeRate;
  /**
   * g(V), an expression over the membrane V (expr.ts). Absent: the leak toward the reset
   * potential, −(V − V_reset), which makes the charge affine and the fast emission apply.
   */
  readonly drive?: (a: NeuronAttrs) => Expr;
  /** A second state: the adaptive threshold. */
  readonly adaptation?: (a: NeuronAttrs) => Adaptation;
  /** Which emission tricks apply (emit.ts says when each is exact). */
  readonly tricks: {
    /** Save the keep mask already multiplied by the decay (hard reset to 0, detached). */
    readonly decayedKeep: boolean;
    /** Inference with a power-of-two τ and decay_input: charge τ·H and fire at τ·θ. */
    readonly rescaledThreshold: boolean;
    /** With a decayed keep mask, save g'(H − θ) in place of H. */
    readonly savedSurrogate: boolean;
    /** The 1/τ input gain may fold into a BatchNorm before the neuron (train/passes/fold-charge-gain.ts). */
    readonly foldsGain: boolean;
  };
  readonly block: NeuronBlockSpec<P>;
}
