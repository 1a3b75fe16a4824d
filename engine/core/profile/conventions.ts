/**
 * How a node's multiply-accumulates become energy: one row per convention (spec §2, NeuroBench).
 * Each row turns one synaptic node — its dense MACs, the kind of value it multiplies and that
 * value's measured activity — into the MACs and ACs that convention charges.
 *
 *  paper       the papers' formula: the first layer that reads the analog, directly encoded input
 *              is charged MACs once (not T times); every later layer SOP = fr · (T·FLOPs) as ACs,
 *              with fr the mean of the spike tensor (or spike counts) it reads; a layer that reads
 *              analog or membrane values is an ANN layer (MACs). BN folded, pools, neurons and
 *              residual adds free. It charges the deployed model: a linear chain on spikes
 *              (RepConv) is its one folded conv at the chain input's rate (profile.ts).
 *  syops       the public energy tool (a syops-counter fork): a layer is AC at its input's firing
 *              rate only if every input value is in {0,1} (binary spikes); any other input — spike
 *              counts, membrane, the image — is MAC at 100 %, the first conv T times.
 *  neurobench  NeuroBench's synaptic operations: effective operations are the dense MACs whose
 *              input is nonzero, ACs where the input is binary spikes, MACs otherwise. Energy is
 *              E_MAC·Eff_MACs + E_AC·Eff_ACs (NeuroBench itself stops at the counts).
 *
 * Attention products (SSA) are charged in every convention by the public tool's term
 * T·h·N·d²·(min(fr_K, fr_V) + fr_Q): the first product at the smaller rate of its two spike
 * operands, the second at the rate of the third. ANN arithmetic outside any synapse (softmax
 * attention) is MACs everywhere.
 */
import type { ValueKind } from '../tensor.js';

export type Convention = 'paper' | 'syops' | 'neurobench';

export const CONVENTIONS: readonly Convention[] = ['paper', 'syops', 'neurobench'];

/** Energy per operation in picojoules (45 nm, Horowitz ISSCC 2014: spec §2). */
export interface EnergyCosts {
  readonly macPj: number;
  readonly acPj: number;
}

export const DEFAULT_COSTS: EnergyCosts = { macPj: 4.6, acPj: 0.9 };

export interface Charge {
  readonly macs: number;
  readonly acs: number;
}

/** What a synaptic node multiplies, as a convention sees it. */
export interface SynapticInput {
  /** Dense MACs per sample over all T (as `info` counts them). */
  readonly macs: number;
  readonly kind: ValueKind;
  /** Mean value over elements and steps (firing rate for spikes); undefined for analog/membrane. */
  readonly rate?: number;
  /** Fraction of nonzero elements; undefined for analog/membrane (taken as dense). */
  readonly nonzero?: number;
  /** Reads the directly encoded input without a synapse before it (the "first conv"). */
  readonly direct: boolean;
  readonly timeSteps: number;
  readonly timed: boolean;
}

/** An attention product pair: the first product's two operands and the second's one. */
export interface AttentionInput {
  readonly macs: number;
  readonly first: readonly [OperandActivity, OperandActivity];
  readonly second: OperandActivity;
}

export interface OperandActivity {
  readonly rate?: number;
  readonly nonzero?: number;
}

interface Rule {
  readonly synapse: (s: SynapticInput) => Charge;
  readonly attention: (a: AttentionInput) => Charge;
}

const dense = (x: OperandActivity | undefined, pick: 'rate' | 'nonzero'): number => x?.[pick] ?? 1;

function attentionAt(a: AttentionInput, pick: 'rate' | 'nonzero'): Charge {
  const half = a.macs / 2;
  return { macs: 0, acs: half * Math.min(dense(a.first[0], pick), dense(a.first[1], pick)) + half * dense(a.second, pick) };
}

export const RULES: Readonly<Record<Convention, Rule>> = {
  paper: {
    synapse: (s) => {
      if (s.kind === 'spikes' || s.kind === 'counts') return { macs: 0, acs: (s.rate ?? 1) * s.macs };
      if (s.direct && s.kind === 'analog') return { macs: s.timed ? s.macs / s.timeSteps : s.macs, acs: 0 };
      return { macs: s.macs, acs: 0 };
    },
    attention: (a) => attentionAt(a, 'rate'),
  },
  syops: {
    synapse: (s) => (s.kind === 'spikes' ? { macs: 0, acs: (s.rate ?? 1) * s.macs } : { macs: s.macs, acs: 0 }),
    attention: (a) => attentionAt(a, 'rate'),
  },
  neurobench: {
    synapse: (s) => {
      const effective = (s.nonzero ?? 1) * s.macs;
      return s.kind === 'spikes' ? { macs: 0, acs: effective } : { macs: effective, acs: 0 };
    },
    attention: (a) => attentionAt(a, 'nonzero'),
  },
};

export function energyPj(c: Charge, costs: EnergyCosts): number {
  return c.macs * costs.macPj + c.acs * costs.acPj;
}

export const CONVENTION_NOTES: Readonly<Record<Convention, string>> = {
  paper: 'papers (spec §2), deployed form (linear chains on spikes folded into one conv each): first analog conv MAC once, later layers AC = fr·T·FLOPs, SSA term, BN/pool/neuron/add free',
  syops: 'energy tool: AC only on binary-spike input at its rate, any other input MAC at 100 % (first conv T times), SSA term',
  neurobench: 'NeuroBench: effective ops on nonzero inputs, AC on binary spikes, MAC otherwise',
};
