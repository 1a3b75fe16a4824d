/**
 * Learning-rate schedules, evaluated in TypeScript per step and fed to the step graph as its `lr`
 * input (so changing the schedule never recompiles the model). Fractional epochs make the
 * schedule smooth within an epoch, as timm's per-update schedulers are.
 */
export interface ScheduleSpec {
  readonly kind: 'constant' | 'cosine' | 'step';
  readonly lr: number;
  /** Floor of the cosine schedule (default 0). */
  readonly minLr?: number;
  /** Linear warmup from warmupLr to lr over this many epochs (default 0). */
  readonly warmupEpochs?: number;
  readonly warmupLr?: number;
  /** Epochs at minLr after the cosine has ended (default 0). */
  readonly cooldownEpochs?: number;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  /** Step schedule: multiply by gamma every decayEpochs (defaults 0.1 and a third of the run). */
  readonly gamma?: number;
  readonly decayEpochs?: number;
}

/** The learning rate of step `step` (0-based, counted over the whole run). */
export function learningRate(s: ScheduleSpec, step: number): number {
  const epoch = step / s.stepsPerEpoch;
  const warmup = s.warmupEpochs ?? 0;
  if (epoch < warmup) {
    const from = s.warmupLr ?? 0;
    return from + (s.lr - from) * (epoch / warmup);
  }
  switch (s.kind) {
    case 'constant':
      return s.lr;
    case 'step': {
      const every = s.decayEpochs ?? Math.max(1, Math.round(s.epochs / 3));
      return s.lr * (s.gamma ?? 0.1) ** Math.floor((epoch - warmup) / every);
    }
    case 'cosine': {
      const min = s.minLr ?? 0;
      const span = s.epochs - warmup - (s.cooldownEpochs ?? 0);
      const t = span <= 0 ? 1 : Math.min(1, (epoch - warmup) / span);
      return min + 0.5 * (s.lr - min) * (1 + Math.cos(Math.PI * t));
    }
  }
}
