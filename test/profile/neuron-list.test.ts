/** The neuron indices typed for a membrane trace: parsed, and refused with the reason before a job starts. */
import { describe, expect, it } from 'vitest';
import { parseNeuronList } from '../../renderer/src/profile/neuron-list.js';

describe('parseNeuronList', () => {
  it('reads indices split by commas or spaces, once each, in the order typed; empty lets the host choose', () => {
    expect(parseNeuronList('12, 40 41,,7', 100)).toEqual({ neurons: [12, 40, 41, 7] });
    expect(parseNeuronList('3 3 0', 4)).toEqual({ neurons: [3, 0] });
    expect(parseNeuronList('  ', 4)).toEqual({ neurons: undefined });
  });

  it('refuses what is not an index, an index past the layer and more than 16 neurons', () => {
    expect(parseNeuronList('1, x2', 10)).toEqual({ error: '"x2" is not a neuron index (whole numbers from 0)' });
    expect(parseNeuronList('-1', 10)).toEqual({ error: '"-1" is not a neuron index (whole numbers from 0)' });
    expect(parseNeuronList('1.5', 10)).toEqual({ error: '"1.5" is not a neuron index (whole numbers from 0)' });
    expect(parseNeuronList('9 10', 10)).toEqual({ error: "neuron 10 is past the layer's 10 neurons (0 to 9)" });
    expect(parseNeuronList(Array.from({ length: 17 }, (_, i) => i).join(','), 100)).toEqual({ error: 'at most 16 neurons are traced at once (17 given)' });
  });
});
