/**
 * Parameter counts worked out by hand from ../shared/specs/snn-architectures.md, layer by layer,
 * independent of the template builders: a test that takes its expected count from the builder's
 * own output would pass whatever the builder built.
 */

/** A k×k convolution (or a Linear / 1×1 Conv1d when k = 1): cin·cout·k² weights, plus cout biases. */
export const conv = (cin: number, cout: number, k: number, bias: boolean): number => cin * cout * k * k + (bias ? cout : 0);
/** BatchNorm: a weight and a bias per channel (running statistics are buffers, not parameters). */
export const bn = (c: number): number => 2 * c;
/** Linear(cin → cout) with bias. */
export const linear = (cin: number, cout: number): number => cin * cout + cout;

/**
 * An MLP of 1×1 convs with bias, each followed by BN (spec §3.4, §5.4, §6.2):
 * D → ratio·D → D.
 */
export const mlp = (d: number, ratio: number): number => conv(d, ratio * d, 1, true) + bn(ratio * d) + conv(ratio * d, d, 1, true) + bn(d);

/** Spikformer SSA / SDT SDSA (§3.3, §5.3): Q, K, V 1×1 without bias + BN each, projection with bias + BN. */
export const qkvAttention = (d: number): number => 3 * (conv(d, d, 1, false) + bn(d)) + conv(d, d, 1, true) + bn(d);

/** QKFormer QKTA (§6.1): Q and K 1×1 without bias + BN each (no V), projection with bias + BN. */
export const qkAttention = (d: number): number => 2 * (conv(d, d, 1, false) + bn(d)) + conv(d, d, 1, true) + bn(d);
