/**
 * The once-per-document summary of the design facts: how much of the model's compute is
 * spike-driven, and how many layers read something other than binary spikes. The per-layer facts
 * are info findings; this line says the same thing once, so a model with forty of them reads as
 * one fact about its design rather than forty complaints.
 */
import type { GraphAnalysis } from './infer.js';

export interface SpikeDrivenSummary {
  /** Share of the deployed model's MACs (linear chains folded) whose synaptic input is binary spikes (0..1). */
  readonly spikeDrivenShare: number;
  /** Layers (counted per instance, inside composites too) that read spike counts. */
  readonly countsLayers: number;
  /** Layers that read analog values or membrane potentials (the encoded input aside). */
  readonly otherLayers: number;
  /** `72% of MACs spike-driven; 16 layers read spike counts` */
  readonly text: string;
}

/** Undefined for a model without synaptic layers (nothing multiplies or accumulates). */
export function spikeDrivenSummary(a: GraphAnalysis): SpikeDrivenSummary | undefined {
  if (a.foldedMacs <= 0) return undefined;
  const share = a.spikeMacs / a.foldedMacs;
  const countsLayers = a.problems.filter((p) => p.code === 'macs-on-counts').length;
  const otherLayers = a.problems.filter((p) => p.code === 'not-spike-driven').length;
  const parts = [`${percent(share)} of MACs spike-driven`];
  if (countsLayers > 0) parts.push(`${layers(countsLayers)} spike counts`);
  if (otherLayers > 0) parts.push(`${layers(otherLayers)} analog values`);
  return { spikeDrivenShare: share, countsLayers, otherLayers, text: parts.join('; ') };
}

function layers(n: number): string {
  return n === 1 ? '1 layer reads' : `${n} layers read`;
}

/** Whole percent, except that a share strictly between 0 and 1 % (or 99 and 100 %) never rounds to an absolute. */
function percent(share: number): string {
  const p = share * 100;
  if (p > 0 && p < 1) return '<1%';
  if (p > 99 && p < 100) return '>99%';
  return `${Math.round(p)}%`;
}
