import { describe, expect, it } from 'vitest';
import { traceTimes, type TracedNode } from '../../engine/runtime/profile/ort-trace.js';

const nodes: TracedNode[] = [
  { name: 'Conv_0', opType: 'Conv', inputs: ['input', 'w'], outputs: ['v1'], scope: 'conv1' },
  { name: 'BatchNormalization_1', opType: 'BatchNormalization', inputs: ['v1'], outputs: ['v2'], scope: 'bn1' },
  { name: 'Greater_2', opType: 'Greater', inputs: ['v2'], outputs: ['v3'], scope: 'lif1' },
  { name: 'ReduceMean_3', opType: 'ReduceMean', inputs: ['v3'], outputs: ['logits'], scope: '' },
];

const kernel = (name: string, ts: number, dur: number, op: string) => ({ cat: 'Node', name: `${name}_kernel_time`, ts, dur, args: { op_name: op } });
const run = (ts: number, dur: number) => ({ cat: 'Session', name: 'model_run', ts, dur });

describe('traceTimes', () => {
  it('maps emitter names, blocked-layout convs fused with their BN, and ORT-inserted reorders', () => {
    const events = [
      run(0, 100),
      kernel('Conv_0', 1, 50, 'Conv'), // the first run is left out
      run(200, 100),
      kernel('ReorderInput', 201, 3, 'ReorderInput'),
      kernel('v2_nchwc', 204, 40, 'Conv'), // ORT fused the BN into the conv, which took the BN's output
      kernel('ReorderOutput_token_7', 244, 5, 'ReorderOutput'),
      kernel('Greater_2', 250, 7, 'Greater'),
      kernel('ReduceMean_3', 257, 2, 'ReduceMean'),
    ];
    const t = traceTimes(events, nodes, 1);
    expect(Object.fromEntries(t.byScope)).toEqual({ conv1: 48, lif1: 7, '': 2 });
    expect(t.insertedUs).toBe(8);
    expect(t.runsUs).toEqual([100]);
    expect(t.runKernelsUs).toEqual([57]);
  });

  it('keeps a single run rather than leaving nothing', () => {
    const t = traceTimes([run(0, 10), kernel('Greater_2', 1, 4, 'Greater')], nodes, 1);
    expect(Object.fromEntries(t.byScope)).toEqual({ lif1: 4 });
  });
});
