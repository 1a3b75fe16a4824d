/**
 * Feature-map plumbing that architecture-search cells and hierarchical backbones need: joining maps
 * along channels, nearest-neighbour resampling between resolutions, and turning a token set back
 * into the map it came from. None of them has parameters; all run on the T·B-merged batch.
 */
import { z } from 'zod';
import { fail } from '../problems.js';
import { sameShape, type TensorType, type ValueKind } from '../tensor.js';
import { requireRank } from './common.js';
import { tokensToMap } from './layers.js';
import type { PortSpec, PrimitiveBlock } from './types.js';

// ---- concat ---------------------------------------------------------------------------------

const concatParams = z.strictObject({ inputs: z.number().int().min(2).max(8).default(2) });
type ConcatParams = z.infer<typeof concatParams>;

/** Ports in1 … inN, in the order their channels appear in the output. */
const concatPorts = (p: ConcatParams): PortSpec[] => Array.from({ length: p.inputs }, (_, i) => ({ name: `in${i + 1}` }));

export const concat: PrimitiveBlock<ConcatParams> = {
  kind: 'primitive',
  id: 'concat',
  label: 'Concatenate channels',
  category: 'layers',
  description:
    'Joins 2–8 feature maps (or vectors) along the channel axis, in port order: [C1,H,W] … [Cn,H,W] → [C1+…+Cn,H,W], as torch.cat(dim=1). Spikes joined with spikes stay spikes.',
  keywords: ['cat', 'join', 'merge', 'cell'],
  params: concatParams,
  inputs: concatPorts,
  outputs: [{ name: 'out' }],
  infer: (ins, p) => {
    const ports = concatPorts(p).map((port) => port.name);
    const first = ins[ports[0]!]!;
    if (first.shape.length < 1) fail('expects per-sample [C,...] inputs', { port: ports[0]! });
    let channels = 0;
    for (const port of ports) {
      const x = ins[port]!;
      if (x.timed !== first.timed || !sameShape(x.shape.slice(1), first.shape.slice(1))) {
        fail(`must match ${ports[0]} outside the channel axis: ${ports[0]} is [${first.shape.join(',')}], ${port} is [${x.shape.join(',')}]`, { port });
      }
      channels += x.shape[0]!;
    }
    return { outputs: { out: { shape: [channels, ...first.shape.slice(1)], timed: first.timed, kind: joinedKind(ports.map((port) => ins[port]!.kind)) } } };
  },
  lower: (ctx, ins, p) => {
    const parts = concatPorts(p).map((port) => ins[port.name]!);
    // per-sample axis 0 is IR axis 1 behind the merged [T·B] (or [B]) axis
    return { out: ctx.b.op1('concat', parts.map((x) => x.value), { axis: 1 }) };
  },
};

/** A join is as real-valued as its most real-valued part; spikes with spike counts are counts. */
function joinedKind(kinds: readonly ValueKind[]): ValueKind {
  for (const k of ['membrane', 'analog', 'counts'] as const) if (kinds.includes(k)) return k;
  return 'spikes';
}

// ---- nearest_resize -------------------------------------------------------------------------

/** The largest integer factor accepted: enough for any backbone, small enough to keep shapes sane. */
const MAX_FACTOR = 64;

/** scale ≥ 1 → up by that integer; scale < 1 → down by 1/scale, an integer. */
function factorOf(scale: number): { up: boolean; factor: number } {
  const up = scale >= 1;
  const f = up ? scale : 1 / scale;
  return { up, factor: Math.round(f) };
}

const resizeParams = z.strictObject({ scale: z.number().positive().default(2) }).superRefine((p, ctx) => {
  const f = p.scale >= 1 ? p.scale : 1 / p.scale;
  if (Math.abs(f - Math.round(f)) > 1e-9 || Math.round(f) > MAX_FACTOR) {
    ctx.addIssue({ code: 'custom', message: `must be a whole factor up to ${MAX_FACTOR} (2, 4, …) or its inverse (0.5, 0.25, …)`, path: ['scale'] });
  }
});
type ResizeParams = z.infer<typeof resizeParams>;

function resizedSide(side: number, up: boolean, factor: number, param: 'height' | 'width'): number {
  if (up) return side * factor;
  if (side % factor !== 0) fail(`a ${param} of ${side} does not divide by ${factor}; nearest down-sampling here keeps every ${factor}th pixel`, { param: 'scale' });
  return side / factor;
}

export const nearestResize: PrimitiveBlock<ResizeParams> = {
  kind: 'primitive',
  id: 'nearest_resize',
  label: 'Nearest resize',
  category: 'layers',
  description:
    'Nearest-neighbour resampling of [C,H,W] by a whole factor, as F.interpolate(mode="nearest"): scale 2 repeats every pixel 2×2; scale 0.5 keeps pixel (2i, 2j), every other row and column. Spikes stay spikes.',
  keywords: ['upsample', 'downsample', 'interpolate', 'nearest', 'resample'],
  params: resizeParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }, p) => {
    requireRank(x!, 3, '[C,H,W]');
    const [c, h, w] = x!.shape as [number, number, number];
    const { up, factor } = factorOf(p.scale);
    return { outputs: { out: { ...x!, shape: [c, resizedSide(h, up, factor, 'height'), resizedSide(w, up, factor, 'width')] } } };
  },
  lower: (ctx, { in: x }, p) => {
    const [c, h, w] = x!.type.shape as [number, number, number];
    const { up, factor: f } = factorOf(p.scale);
    const m = ctx.b.shape(x!.value)[0]!;
    let y: number;
    if (f === 1) y = x!.value;
    else if (up) {
      // [M,C,H,1,W,1] broadcast to [M,C,H,f,W,f]: every pixel becomes an f×f block
      const split = ctx.b.op1('reshape', [x!.value], { shape: [m, c, h, 1, w, 1] });
      const tiled = ctx.b.op1('expand', [split], { shape: [m, c, h, f, w, f] });
      y = ctx.b.op1('reshape', [tiled], { shape: [m, c, h * f, w * f] });
    } else {
      // PyTorch's nearest source index floor(i·H/H') is i·f here: keep offset 0 of every f×f block
      const split = ctx.b.op1('reshape', [x!.value], { shape: [m, c, h / f, f, w / f, f] });
      const rows = ctx.b.op1('slice', [split], { axis: 3, start: 0, end: 1 });
      const kept = ctx.b.op1('slice', [rows], { axis: 5, start: 0, end: 1 });
      y = ctx.b.op1('reshape', [kept], { shape: [m, c, h / f, w / f] });
    }
    return { out: y };
  },
};

// ---- untokens_like --------------------------------------------------------------------------

export const untokensLike: PrimitiveBlock<Record<string, never>> = {
  kind: 'primitive',
  id: 'untokens_like',
  label: 'To feature map (like)',
  category: 'layers',
  description:
    'Token set back to a feature map with the spatial size of a reference map: [N,C] and like [C\',H,W] → [C,H,W], N = H·W. A block that tokenises its input can return to that map without repeating H and W as parameters.',
  keywords: ['untokens', 'reshape', 'feature map', 'unflatten'],
  params: z.strictObject({}),
  inputs: [{ name: 'in', label: 'tokens' }, { name: 'like', label: 'reference map' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x, like }) => {
    requireRank(x!, 2, 'tokens [N,C]');
    requireRank(like!, 3, 'a reference map [C,H,W]', 'like');
    const [, h, w] = like!.shape as [number, number, number];
    if (x!.shape[0] !== h * w) fail(`${x!.shape[0]} tokens do not form the ${h}×${w} map of "like"`, { port: 'like' });
    return { outputs: { out: { ...x!, shape: [x!.shape[1]!, h, w] } satisfies TensorType } };
  },
  lower: (ctx, { in: x }, _p, { out }) => ({ out: tokensToMap(ctx, x!, out!) }),
};

export const MAP_BLOCKS = [concat, nearestResize, untokensLike];
