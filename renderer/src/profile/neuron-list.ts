/**
 * The neurons a user types for a membrane trace ("12, 40 41"): indices into the flattened layer,
 * checked against the layer's size before any job starts. Empty: the host picks (the most active).
 */
export const MAX_TRACED_NEURONS = 16;

export type NeuronList = { readonly neurons: number[] | undefined } | { readonly error: string };

export function parseNeuronList(text: string, layerNeurons: number): NeuronList {
  const tokens = text.split(/[\s,]+/).filter((t) => t !== '');
  if (tokens.length === 0) return { neurons: undefined };
  const neurons: number[] = [];
  for (const t of tokens) {
    if (!/^\d+$/.test(t)) return { error: `"${t}" is not a neuron index (whole numbers from 0)` };
    const i = Number(t);
    if (i >= layerNeurons) return { error: `neuron ${i} is past the layer's ${layerNeurons} neurons (0 to ${layerNeurons - 1})` };
    if (!neurons.includes(i)) neurons.push(i);
  }
  if (neurons.length > MAX_TRACED_NEURONS) return { error: `at most ${MAX_TRACED_NEURONS} neurons are traced at once (${neurons.length} given)` };
  return { neurons };
}
