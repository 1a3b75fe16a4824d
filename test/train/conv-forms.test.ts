// The conv weight gradient's forms are rows, and the training step's pass picks one per node by
// the rule next to them (convWeightGradForm): depthwise convs take the grouped-Conv form, columns
// up to IM2COL_CONV_MAX floats the gathered form (ungrouped, 8+ channels; past the limit in chunks
// of samples) or the one-hot-Conv form, larger ones the per-offset form. (That the forms compute the same gradient: vjp-fd.test.ts.)
// A form that does not read the padded input emits no Pad.
import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../../engine/core/ir/builder.js';
import { IM2COL_CONV_MAX } from '../../engine/core/ir/primitives/conv-weight-grad.js';
import { emitOnnx } from '../../engine/core/onnx/emit.js';
import { chooseConvGradForms } from '../../engine/core/train/passes/conv-forms.js';

const conv = (pad: number, groups = 1) => ({ stride: [1, 1], pads: [pad, pad, pad, pad], dilation: [1, 1], groups });

/** A graph holding one conv2d_weight_grad for x and the kernel shape given. */
function weightGrad(xs: number[], ws: number[], attrs: ReturnType<typeof conv> & { columns?: string; columnsMax?: number }) {
  const b = new IrBuilder();
  const x = b.input('x', xs);
  const [, , kh, kw] = ws as [number, number, number, number];
  const ho = xs[2]! + 2 * attrs.pads[0]! - kh + 1;
  const wo = xs[3]! + 2 * attrs.pads[1]! - kw + 1;
  const g = b.input('g', [xs[0]!, ws[0]!, ho, wo]);
  b.output('dw', b.op1('conv2d_weight_grad', [x, g], { ...attrs, weightShape: ws }));
  return b.build();
}

const formOf = (graph: ReturnType<typeof weightGrad>) => chooseConvGradForms(graph, 2).nodes.map((n) => n.op);

describe('conv weight-gradient forms', () => {
  it('the pass picks the depthwise, columns or per-offset row by shape', () => {
    expect(formOf(weightGrad([2, 8, 6, 6], [8, 1, 3, 3], conv(1, 8)))).toEqual(['conv2d_weight_grad_depthwise']);
    expect(formOf(weightGrad([2, 8, 6, 6], [4, 8, 3, 3], conv(1)))).toEqual(['conv2d_weight_grad_gathered']);
    expect(formOf(weightGrad([2, 3, 6, 6], [4, 3, 3, 3], conv(1)))).toEqual(['conv2d_weight_grad_columns']);
    expect(formOf(weightGrad([2, 8, 6, 6], [6, 4, 3, 3], conv(1, 2)))).toEqual(['conv2d_weight_grad_columns']);
    // columns of N·Cin·k²·Ho·Wo floats past the threshold: gathered a sample at a time while one
    // product's samples fit, else per offset (and a narrow or grouped input, per offset)
    const side = Math.ceil(Math.sqrt(IM2COL_CONV_MAX / (2 * 16 * 9))) + 1;
    expect(formOf(weightGrad([2, 16, side, side], [4, 16, 3, 3], conv(1)))).toEqual(['conv2d_weight_grad_gathered']);
    expect(formOf(weightGrad([2, 16, side, side], [4, 16, 3, 3], { ...conv(1), columnsMax: 16 * 9 * side * side - 1 }))).toEqual(['conv2d_weight_grad_offsets']);
    expect(formOf(weightGrad([2, 4, side, side], [4, 4, 3, 3], { ...conv(1), columnsMax: 4 * 9 * side * side }))).toEqual(['conv2d_weight_grad_offsets']);
    expect(formOf(weightGrad([2, 3, 6, 6], [4, 3, 3, 3], { ...conv(1), columns: 'offsets' }))).toEqual(['conv2d_weight_grad_offsets']);
  });

  it('the columns form pads inside its Conv: no Pad node; the gathered and per-offset forms pad once', () => {
    const ops = (graph: ReturnType<typeof weightGrad>) => emitOnnx(chooseConvGradForms(graph, 2), { name: 't' }).graph.nodes.map((n) => n.opType);
    expect(ops(weightGrad([2, 3, 6, 6], [4, 3, 3, 3], conv(1)))).not.toContain('Pad');
    expect(ops(weightGrad([2, 8, 6, 6], [4, 8, 3, 3], conv(1))).filter((o) => o === 'Pad')).toHaveLength(1);
    expect(ops(weightGrad([2, 8, 6, 6], [4, 8, 3, 3], conv(0)))).not.toContain('Pad');
    expect(ops(weightGrad([2, 3, 6, 6], [4, 3, 3, 3], { ...conv(1), columns: 'offsets' })).filter((o) => o === 'Pad')).toHaveLength(1);
  });

  it('past the columns limit the gathered form takes the samples in chunks: one Gather each, the sums added', () => {
    const ops = (graph: ReturnType<typeof weightGrad>) => emitOnnx(chooseConvGradForms(graph, 2), { name: 't' }).graph.nodes.map((n) => n.opType);
    const count = (list: string[], op: string) => list.filter((o) => o === op).length;
    // 6 samples of 32×32 (one sample a product), room for 2 samples' columns: 3 chunks
    const chunked = ops(weightGrad([6, 8, 32, 32], [3, 8, 3, 3], { ...conv(1), columnsMax: 2 * 8 * 9 * 1024 }));
    expect([count(chunked, 'Gather'), count(chunked, 'Split'), count(chunked, 'Sum'), count(chunked, 'Pad')]).toEqual([3, 2, 1, 1]);
    const whole = ops(weightGrad([6, 8, 32, 32], [3, 8, 3, 3], conv(1)));
    expect([count(whole, 'Gather'), count(whole, 'Split'), count(whole, 'Sum')]).toEqual([1, 0, 0]);
  });
});
