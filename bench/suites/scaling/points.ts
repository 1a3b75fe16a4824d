/**
 * What the scaling suite measures: Spikformer training steps along four sweeps that all pass through
 * the training suite's Spikformer CIFAR row (2 blocks, D = 256, 8 heads, T = 4, batch 32), and the
 * row names that carry each point into bench/results/latest.json. The suite and the plot both read
 * this one list, so a plotted point is found by the name the suite wrote, never by parsing it.
 */

export interface ScalingPoint {
  /** CIFAR: 32×32, SPS pools twice, Q/K/V with bias, (QKᵀ)V; ImageNet: 224×224, four pools, no Q/K/V bias, Q(KᵀV). */
  readonly flavour: 'cifar' | 'imagenet';
  readonly layers: number;
  readonly dim: number;
  readonly heads: number;
  readonly T: number;
  readonly batch: number;
}

export type Sweep = 'T' | 'batch' | 'size' | 'imagenet';

export const SWEEP_ORDER: readonly Sweep[] = ['T', 'batch', 'size', 'imagenet'];

/** The training suite's Spikformer CIFAR row. */
export const BASE_POINT: ScalingPoint = { flavour: 'cifar', layers: 2, dim: 256, heads: 8, T: 4, batch: 32 };

// heads as the presets have them: 8 for D = 256 (12 does not divide it), 12 for D = 384
export const SWEEPS: Readonly<Record<Sweep, readonly ScalingPoint[]>> = {
  T: [1, 2, 4, 8].map((T) => ({ ...BASE_POINT, T })),
  batch: [8, 16, 32, 64].map((batch) => ({ ...BASE_POINT, batch })),
  size: [
    { ...BASE_POINT },
    { ...BASE_POINT, layers: 4 },
    { ...BASE_POINT, layers: 4, dim: 384, heads: 12 },
  ],
  imagenet: [{ flavour: 'imagenet', layers: 8, dim: 384, heads: 12, T: 4, batch: 2 }],
};

/** The point's coordinate along a sweep, as its key in BENCH_SCALING_POINTS and its tick in the plot. */
export function sweepKey(sweep: Sweep, p: ScalingPoint): string {
  switch (sweep) {
    case 'T':
      return `T=${p.T}`;
    case 'batch':
      return `B=${p.batch}`;
    case 'size':
      return `${p.layers}-${p.dim}`;
    case 'imagenet':
      return 'imagenet';
  }
}

export function pointLabel(p: ScalingPoint): string {
  const data = p.flavour === 'cifar' ? 'CIFAR 32×32' : 'ImageNet 224×224';
  return `Spikformer-${p.layers}-${p.dim} ${data} T=${p.T} B=${p.batch}`;
}

export const msRowName = (p: ScalingPoint): string => `${pointLabel(p)}: ms/step`;
export const rssRowName = (p: ScalingPoint): string => `${pointLabel(p)}: peak RSS`;

const samePoint = (a: ScalingPoint, b: ScalingPoint): boolean => pointLabel(a) === pointLabel(b) && a.heads === b.heads;

/**
 * The distinct points to measure, in sweep order (the base point once, though three sweeps hold it).
 * `selection` is BENCH_SCALING_POINTS: a comma list of sweep names (T, batch, size, imagenet) and
 * point keys (T=1, B=64, 4-384, ...); empty or undefined means every point.
 */
export function selectPoints(selection: string | undefined): ScalingPoint[] {
  const all = SWEEP_ORDER.flatMap((s) => SWEEPS[s].map((p) => ({ sweep: s, key: sweepKey(s, p), p })));
  const wanted = (selection ?? '')
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w.length > 0);
  const chosen =
    wanted.length === 0
      ? all
      : wanted.flatMap((w) => {
          const hit = all.filter((a) => a.sweep === w || a.key === w);
          if (hit.length === 0) {
            const keys = [...new Set([...SWEEP_ORDER, ...all.map((a) => a.key)])].join(', ');
            throw new Error(`BENCH_SCALING_POINTS: unknown point "${w}"; known: ${keys}`);
          }
          return hit;
        });
  const out: ScalingPoint[] = [];
  for (const { p } of chosen) if (!out.some((q) => samePoint(q, p))) out.push(p);
  return out;
}
