// The facts passes read off a primitive's row (STYLE.md): whether it is row-wise (hoistRepeats)
// and whether it fires (the spiking layers whose rates training reports). A row added without them
// fails here, not silently in a pass.
import { describe, expect, it } from 'vitest';
import { isRowwise } from '../../engine/core/ir/primitive.js';
import { primitive, primitiveNames } from '../../engine/core/ir/primitives/index.js';

describe('primitive rows carry the facts passes need', () => {
  it.each(primitiveNames().map((n) => [n] as const))('%s says whether it is row-wise and whether it fires', (name) => {
    const row = primitive(name);
    expect(['boolean', 'function'], 'rowwise').toContain(typeof row.rowwise);
    expect(typeof row.fires, 'fires').toBe('boolean');
    if (row.repeatStep !== undefined) expect(typeof row.repeatStep).toBe('function');
  });

  it('the rows that fire are the neuron and the Heaviside', () => {
    expect(primitiveNames().filter((n) => primitive(n).fires).sort()).toEqual(['heaviside', 'neuron']);
  });

  it('row-wise conditions read the attributes and the data input ranks', () => {
    // a softmax over the repeat axis mixes the copies; over the last axis it does not
    expect(isRowwise(primitive('softmax'), { axis: 0 }, [2], [0])).toBe(false);
    expect(isRowwise(primitive('softmax'), { axis: -1 }, [2], [0])).toBe(true);
    // H = W·X with X the data contracts over the repeat axis (the PSN); X·W does not
    expect(isRowwise(primitive('matmul'), {}, [2, 2], [1])).toBe(false);
    expect(isRowwise(primitive('matmul'), {}, [2, 2], [0])).toBe(true);
    expect(isRowwise(primitive('neuron'), {}, [2], [0])).toBe(false);
  });
});
