/**
 * The optimizer as part of the step graph: for every trainable parameter its update row
 * (`ir/primitives/optim.ts`), fed by the learning rate and step count inputs and by its state
 * inputs, whose next values become outputs. Weight decay skips norms, biases and neuron
 * parameters (the IR param role), as timm does; gradients can be clipped by their global norm.
 */
import type { IrBuilder } from '../ir/builder.js';
import type { ParamRole } from '../ir/types.js';
import { optimizerStateName } from './names.js';

export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'lamb';

export interface OptimizerSpec {
  readonly name: OptimizerName;
  readonly weightDecay: number;
  /** SGD */
  readonly momentum: number;
  readonly nesterov: boolean;
  /** Adam, AdamW, LAMB */
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

/** PyTorch's defaults, except SGD momentum 0.9 and AdamW/LAMB weight decay 0.01 (what training recipes set). */
export function optimizerSpec(name: OptimizerName, o: Partial<Omit<OptimizerSpec, 'name'>> = {}): OptimizerSpec {
  return {
    name,
    weightDecay: o.weightDecay ?? (name === 'adamw' || name === 'lamb' ? 0.01 : 0),
    momentum: o.momentum ?? (name === 'sgd' ? 0.9 : 0),
    nesterov: o.nesterov ?? false,
    beta1: o.beta1 ?? 0.9,
    beta2: o.beta2 ?? 0.999,
    eps: o.eps ?? (name === 'lamb' ? 1e-6 : 1e-8),
  };
}

/** State slots per parameter, named as PyTorch's optimizer state. */
export function optimizerSlots(spec: OptimizerSpec): string[] {
  if (spec.name === 'sgd') return spec.momentum !== 0 ? ['momentum_buffer'] : [];
  return ['exp_avg', 'exp_avg_sq'];
}

export interface TrainableParam {
  readonly name: string;
  readonly value: number;
  readonly role: ParamRole;
}

export interface OptimizerStep {
  /** Next values: parameter or state name → IR value. */
  readonly updates: ReadonlyMap<string, number>;
  /** State inputs, initially zero: name → shape. */
  readonly state: ReadonlyMap<string, readonly number[]>;
  /** The global gradient norm, where clipping computed it. */
  readonly gradNorm?: number;
}

export function applyOptimizer(
  b: IrBuilder,
  params: readonly TrainableParam[],
  grads: ReadonlyMap<number, number>,
  spec: OptimizerSpec,
  scalars: { readonly lr: number; readonly step: number },
  clipNorm?: number,
): OptimizerStep {
  const live = params.filter((p) => grads.has(p.value));
  let scale: number | undefined;
  let gradNorm: number | undefined;
  if (clipNorm !== undefined && live.length > 0) {
    [scale, gradNorm] = b.op('clip_factor', live.map((p) => grads.get(p.value)!), { maxNorm: clipNorm }) as [number, number];
  }
  const adamLike = spec.name !== 'sgd';
  const bc1 = adamLike ? b.op1('bias_correction', [scalars.step], { beta: spec.beta1, sqrt: false }) : -1;
  const bc2 = adamLike ? b.op1('bias_correction', [scalars.step], { beta: spec.beta2, sqrt: spec.name !== 'lamb' }) : -1;
  const updates = new Map<string, number>();
  const state = new Map<string, readonly number[]>();
  const slot = (name: string, p: TrainableParam) => {
    const key = optimizerStateName(name, p.name);
    state.set(key, b.shape(p.value));
    return key;
  };
  for (const p of live) {
    const g = scale === undefined ? grads.get(p.value)! : b.op1('mul', [grads.get(p.value)!, scale]);
    const weightDecay = p.role === 'weight' ? spec.weightDecay : 0;
    b.withScope(p.name, () => {
      if (spec.name === 'sgd') {
        const attrs = { momentum: spec.momentum, nesterov: spec.nesterov, weightDecay };
        if (spec.momentum === 0) {
          updates.set(p.name, b.op1('sgd_update', [p.value, g, scalars.lr], attrs));
          return;
        }
        const key = slot('momentum_buffer', p);
        const [np, nb] = b.op('sgd_update', [p.value, g, scalars.lr, b.input(key, b.shape(p.value))], attrs);
        updates.set(p.name, np!);
        updates.set(key, nb!);
        return;
      }
      const mKey = slot('exp_avg', p);
      const vKey = slot('exp_avg_sq', p);
      const ins = [p.value, g, b.input(mKey, b.shape(p.value)), b.input(vKey, b.shape(p.value)), scalars.lr, bc1, bc2];
      const [np, nm, nv] =
        spec.name === 'lamb'
          ? b.op('lamb_update', ins, { beta1: spec.beta1, beta2: spec.beta2, eps: spec.eps, weightDecay })
          : b.op('adam_update', ins, { beta1: spec.beta1, beta2: spec.beta2, eps: spec.eps, weightDecay, decoupled: spec.name === 'adamw' });
      updates.set(p.name, np!);
      updates.set(mKey, nm!);
      updates.set(vKey, nv!);
    });
  }
  return { updates, state, ...(gradNorm === undefined ? {} : { gradNorm }) };
}
