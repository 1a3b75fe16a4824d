/**
 * How a value kind looks on a wire: a colour and a dash pattern each, so that the kind stays
 * readable without colour vision and in both themes (the colours are CSS variables of styles.css).
 */
import type { ValueKind } from '../../../engine/core/tensor.js';

export interface KindStyle {
  readonly label: string;
  readonly colorVar: string;
  readonly dash: string | undefined;
  readonly description: string;
}

export const KIND_STYLES: Record<ValueKind, KindStyle> = {
  analog: { label: 'analog', colorVar: 'var(--snn-kind-analog)', dash: undefined, description: 'real values (encoder output, synaptic currents, logits)' },
  spikes: { label: 'spikes', colorVar: 'var(--snn-kind-spikes)', dash: '6 3', description: 'binary spikes, 0 or 1' },
  counts: { label: 'counts', colorVar: 'var(--snn-kind-counts)', dash: '9 3 2 3', description: 'spike counts (sums of spikes: 0, 1, 2, …)' },
  membrane: { label: 'membrane', colorVar: 'var(--snn-kind-membrane)', dash: '2 3', description: 'membrane potentials (real-valued, pre-neuron)' },
};
