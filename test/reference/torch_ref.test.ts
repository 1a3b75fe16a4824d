// Tests of the PyTorch reference itself (test/reference/torch_ref.py) against values computed by
// hand or by naive plain-JS loops written straight from the spec, so that the reference can be
// trusted as ground truth for the engine's tests.

import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import {
  TORCH_PYTHON,
  TORCH_REF_SCRIPT,
  TorchRefError,
  fromWire,
  runTorchRef,
  runTorchRefOnce,
  stopTorchRef,
  toWire,
  toWireF64,
  toWireI64,
  torchSkipReason,
  type SurrogateSpec,
  type TorchRefRequest,
  type TorchRefResponse,
  type WireArray,
} from '../helpers/torch';
import { skipping } from '../helpers/skip.js';
import { expectWithin } from '../helpers/close.js';

describe('wire helpers', () => {
  it('round-trips f32, f64 and i64', () => {
    const f32 = new Float32Array([0.1, -2.5, 3e-8, 7]);
    expect(Array.from(fromWire(toWire(f32, [2, 2])).data)).toEqual(Array.from(f32));
    const f64 = new Float64Array([0.1, -2.5, 1e-300, Math.PI]);
    const back = fromWire(toWire(f64, [4]));
    expect(back.shape).toEqual([4]);
    expect(Array.from(back.data)).toEqual(Array.from(f64));
    expect(Array.from(fromWire(toWireI64([3, -1, 0], [3])).data)).toEqual([3, -1, 0]);
    expect(() => toWire(f64, [3])).toThrow(/needs 3 elements/);
  });
});

describe.skipIf(skipping('torch_ref: torch_ref.py (PyTorch reference)', torchSkipReason))('torch_ref.py (PyTorch reference)', () => {
  afterAll(() => stopTorchRef());

  it('answers a ping with the torch version', async () => {
    const res = await runTorchRef({ op: 'version' });
    expect(res.info?.torch).toMatch(/^1\./);
  });

  describe('LIF / IF / PLIF forward, hand-computed', () => {
    it('3-step LIF, tau 2, hard reset to 0', async () => {
      // H0 = 0 + (1.5 - 0)/2 = 0.75; H1 = 0.75 + (0.8 - 0.75)/2 = 0.775; H2 = 0.775 + (2.4 - 0.775)/2 = 1.5875 -> fires
      const r = await node('lif', { tau: 2 }, [1.5, 0.8, 2.4]);
      expect(r.spikes).toEqual([0, 0, 1]);
      expectClose(r.h, [0.75, 0.775, 1.5875], 1e-15);
      expectClose(r.membrane, [0.75, 0.775, 0], 1e-15);
    });

    it('fires when H equals the threshold exactly (Θ(0) = 1)', async () => {
      const r = await node('lif', { tau: 2 }, [2.0]);
      expect(r.h).toEqual([1]);
      expect(r.spikes).toEqual([1]);
      expect(r.membrane).toEqual([0]);
    });

    it('soft reset subtracts V_th and starts at 0', async () => {
      // H0 = 1.5 -> S, V = 0.5; H1 = 0.5 + (0 - 0.5)/2 = 0.25; H2 = 0.125
      const r = await node('lif', { tau: 2, v_reset: null }, [3, 0, 0]);
      expect(r.spikes).toEqual([1, 0, 0]);
      expectClose(r.membrane, [0.5, 0.25, 0.125], 1e-15);
    });

    it('decay_input false: H = V(1 - 1/τ) + X', async () => {
      // 0.6; 0.3 + 0.6 = 0.9; 0.45 + 0.6 = 1.05 -> fires
      const r = await node('lif', { tau: 2, decay_input: false }, [0.6, 0.6, 0.6]);
      expectClose(r.h, [0.6, 0.9, 1.05], 1e-15);
      expect(r.spikes).toEqual([0, 0, 1]);
    });

    it('hard reset to V_r = -0.5 starts at V_r and leaks toward it', async () => {
      // decay_input: H0 = -0.5 + (2.2 - 0)/2 = 0.6; H1 = 0.6 + (2.2 - 1.1)/2 = 1.15 -> fires, V = -0.5
      const a = await node('lif', { tau: 2, v_reset: -0.5 }, [2.2, 2.2]);
      expectClose(a.h, [0.6, 1.15], 1e-15);
      expect(a.spikes).toEqual([0, 1]);
      expectClose(a.membrane, [0.6, -0.5], 1e-15);
      // no decay_input: H0 = -0.5 - 0 + 1.2 = 0.7; H1 = 0.7 - 1.2/2 + 0.3 = 0.4
      const b = await node('lif', { tau: 2, v_reset: -0.5, decay_input: false }, [1.2, 0.3]);
      expectClose(b.h, [0.7, 0.4], 1e-15);
    });

    it('IF integrates without leak; hard and soft reset', async () => {
      const hard = await node('if', {}, [0.4, 0.4, 0.4]);
      expectClose(hard.h, [0.4, 0.8, 1.2], 1e-15);
      expect(hard.spikes).toEqual([0, 0, 1]);
      expectClose(hard.membrane, [0.4, 0.8, 0], 1e-15);
      const soft = await node('if', { v_reset: null }, [0.4, 0.4, 0.4]);
      expectClose(soft.membrane, [0.4, 0.8, 0.2], 1e-15);
    });

    it('PLIF: 1/τ = sigmoid(w); no weight means init_tau 2 (w = 0)', async () => {
      const w = Math.log(3); // sigmoid = 0.75; H0 = 0.75, H1 = 0.75 + (1 - 0.75)·0.75 = 0.9375
      const r = await node('plif', {}, [1, 1], { w: toWireF64([w], []) });
      expectClose(r.h, [0.75, 0.9375], 1e-15);
      const d = await node('plif', {}, [1.5, 0.8, 2.4]);
      expectClose(d.h, [0.75, 0.775, 1.5875], 1e-15);
    });

    it('float32 requests compute in float32 and answer f32', async () => {
      const xs = [0.1, 0.7, 0.35, 1.9];
      const res = await runTorchRef({ op: 'lif', dtype: 'float32', params: { tau: 3 }, inputs: { x: toWire(new Float32Array(xs), [4]) } });
      expect(res.outputs.h!.dtype).toBe('f32');
      // the same charge in float32 arithmetic, step by step
      const f = Math.fround;
      let v = 0;
      const hs: number[] = [];
      for (const x of xs) {
        const h = f(v + f(f(f(x) - v) / 3));
        hs.push(h);
        v = h >= 1 ? 0 : h;
      }
      expect(Array.from(fromWire(res.outputs.h!).data)).toEqual(hs);
    });
  });

  describe('surrogate derivatives (spec 1.2)', () => {
    const xs = [-2, -1, -0.5, -0.3, -0.25, -1e-3, 0, 1e-3, 0.25, 0.3, 0.5, 0.7, 1, 2];
    const cases: Array<[SurrogateSpec, (x: number) => number]> = [
      [{ name: 'sigmoid', alpha: 4 }, (x) => 4 * sig(4 * x) * (1 - sig(4 * x))],
      [{ name: 'atan', alpha: 2 }, (x) => 1 / (1 + ((Math.PI / 2) * 2 * x) ** 2)],
      [{ name: 'piecewise_quadratic', alpha: 1.5 }, (x) => Math.max(0, 1.5 - 2.25 * Math.abs(x))],
      [{ name: 'rectangle', alpha: 1 }, (x) => (Math.abs(x) < 0.5 ? 1 : 0)],
      [{ name: 'piecewise_leaky_relu', w: 1, c: 0.01 }, (x) => (Math.abs(x) <= 1 ? 0.5 : 0.01)],
      [{ name: 'soft_sign', alpha: 2 }, (x) => 2 / (2 * (1 + Math.abs(2 * x)) ** 2)],
      [{ name: 'piecewise_exp', alpha: 1 }, (x) => 0.5 * Math.exp(-Math.abs(x))],
      [{ name: 'dspike', b: 3, c: 0.3 }, (x) => (x > -0.3 && x < 0.7 ? (3 * (1 - Math.tanh(3 * x) ** 2)) / (2 * Math.tanh(1.5)) : 0)],
    ];
    for (const [spec, deriv] of cases) {
      it(`${spec.name}: forward Θ(x), backward g'(x)`, async () => {
        const res = await runTorchRef({
          op: 'surrogate', dtype: 'float64', params: { surrogate: spec },
          inputs: { x: toWireF64(xs, [xs.length]) }, grad: { y: toWireF64(xs.map(() => 1), [xs.length]) },
        });
        expect(vals(res.outputs.y!)).toEqual(xs.map((x) => (x >= 0 ? 1 : 0)));
        expectClose(vals(res.grads!.inputs.x!), xs.map(deriv), 1e-14);
      });
    }

    it('peaks: sigmoid α/4, atan α/2, triangle α', async () => {
      const peak = async (s: SurrogateSpec) =>
        vals((await runTorchRef({ op: 'surrogate', dtype: 'float64', params: { surrogate: s }, inputs: { x: toWireF64([0], [1]) }, grad: { y: toWireF64([1], [1]) } })).grads!.inputs.x!)[0];
      expect(await peak({ name: 'sigmoid', alpha: 4 })).toBe(1);
      expect(await peak({ name: 'atan', alpha: 3 })).toBe(1.5);
      expect(await peak({ name: 'piecewise_quadratic', alpha: 2 })).toBe(2);
    });
  });

  describe('neuron gradients vs a plain-JS BPTT', () => {
    const configs: Array<{ label: string; op: 'lif' | 'if'; params: Record<string, unknown>; cfg: NodeCfg }> = [];
    for (const decayInput of [true, false])
      for (const vReset of [0, -0.3, null])
        for (const detach of [false, true])
          configs.push({
            label: `lif decay_input=${decayInput} v_reset=${vReset} detach=${detach}`,
            op: 'lif',
            params: { tau: 1.7, decay_input: decayInput, v_reset: vReset, detach_reset: detach, v_threshold: 0.8, surrogate: { name: 'atan', alpha: 2.5 } },
            cfg: { a: 1 / 1.7, leak: true, decayInput, vTh: 0.8, vReset, detach, sg: (x) => 1.25 / (1 + ((Math.PI / 2) * 2.5 * x) ** 2) },
          });
    for (const vReset of [0, null])
      configs.push({
        label: `if v_reset=${vReset}`,
        op: 'if',
        params: { v_reset: vReset, detach_reset: false },
        cfg: { a: 0, leak: false, decayInput: false, vTh: 1, vReset, detach: false, sg: (x) => 4 * sig(4 * x) * (1 - sig(4 * x)) },
      });

    for (const c of configs) {
      it(c.label, async () => {
        const rng = mulberry32(c.label.length * 7919 + 3);
        const T = 6;
        const M = 5;
        const x = randn(rng, T * M, 0.8, 0.9);
        const [gS, gV, gH] = [randn(rng, T * M), randn(rng, T * M), randn(rng, T * M)];
        const res = await runTorchRef({
          op: c.op, dtype: 'float64', params: c.params as never, inputs: { x: toWireF64(x, [T, M]) },
          grad: { spikes: toWireF64(gS, [T, M]), membrane: toWireF64(gV, [T, M]), h: toWireF64(gH, [T, M]) },
        });
        const want = nodeByColumns(c.cfg, x, gS, gV, gH, T, M);
        expect(vals(res.outputs.spikes!)).toEqual(want.s);
        expectClose(vals(res.outputs.membrane!), want.v, 1e-12);
        expectClose(vals(res.grads!.inputs.x!), want.gx, 1e-12);
        expect(want.s.some((s) => s === 1) && want.s.some((s) => s === 0)).toBe(true);
      });
    }

    it('plif: gradient of x and of w', async () => {
      const rng = mulberry32(11);
      const T = 5;
      const M = 4;
      const w = 0.4;
      const k = sig(w);
      const x = randn(rng, T * M, 0.8, 0.9);
      const [gS, gV, gH] = [randn(rng, T * M), randn(rng, T * M), randn(rng, T * M)];
      for (const vReset of [0, -0.2, null]) {
        for (const decayInput of [true, false]) {
          const res = await runTorchRef({
            op: 'plif', dtype: 'float64', params: { v_reset: vReset, decay_input: decayInput, detach_reset: true },
            inputs: { x: toWireF64(x, [T, M]) }, weights: { w: toWireF64([w], [1]) },
            grad: { spikes: toWireF64(gS, [T, M]), membrane: toWireF64(gV, [T, M]), h: toWireF64(gH, [T, M]) },
          });
          const cfg: NodeCfg = { a: k, leak: true, decayInput, vTh: 1, vReset, detach: true, sg: (z) => 4 * sig(4 * z) * (1 - sig(4 * z)) };
          const want = nodeByColumns(cfg, x, gS, gV, gH, T, M);
          expect(vals(res.outputs.spikes!)).toEqual(want.s);
          expectClose(vals(res.grads!.inputs.x!), want.gx, 1e-12);
          expectClose(vals(res.grads!.weights.w!), [want.ga * k * (1 - k)], 1e-12);
        }
      }
    });

    it('spikedhs_neuron: strict threshold, decay 0.2, Dspike backward on the membrane', async () => {
      // I = [0.2, 0.2, 0.5, 0.3]: m 0.2 -> keep 0.04; m 0.24 -> 0.048; m 0.548 > 0.3 fires -> 0; m 0.3 is not > 0.3
      const hand = await runTorchRef({ op: 'spikedhs_neuron', dtype: 'float64', inputs: { x: toWireF64([0.2, 0.2, 0.5, 0.3], [4]) } });
      expect(vals(hand.outputs.spikes!)).toEqual([0, 0, 1, 0]);
      expectClose(vals(hand.outputs.h!), [0.2, 0.24, 0.548, 0.3], 1e-15);
      expectClose(vals(hand.outputs.membrane!), [0.04, 0.048, 0, 0.06], 1e-15);

      const rng = mulberry32(5);
      const T = 6;
      const M = 5;
      const x = randn(rng, T * M, 0.25, 0.3);
      const [gS, gV, gH] = [randn(rng, T * M), randn(rng, T * M), randn(rng, T * M)];
      const b = 4;
      const res = await runTorchRef({
        op: 'spikedhs_neuron', dtype: 'float64', params: { b }, inputs: { x: toWireF64(x, [T, M]) },
        grad: { spikes: toWireF64(gS, [T, M]), membrane: toWireF64(gV, [T, M]), h: toWireF64(gH, [T, M]) },
      });
      const dsp = (m: number) => (m > 0 && m < 1 ? (b * (1 - Math.tanh(b * (m - 0.3)) ** 2)) / (2 * Math.tanh(b / 2)) : 0);
      const gx = new Array<number>(T * M).fill(0);
      const spikes = new Array<number>(T * M).fill(0);
      for (let j = 0; j < M; j++) {
        const ms: number[] = [];
        const ss: number[] = [];
        let mem = 0;
        for (let t = 0; t < T; t++) {
          const m = mem + x[t * M + j]!;
          const s = m > 0.3 ? 1 : 0;
          ms.push(m);
          ss.push(s);
          spikes[t * M + j] = s;
          mem = m * 0.2 * (1 - s);
        }
        let carry = 0;
        for (let t = T - 1; t >= 0; t--) {
          const i = t * M + j;
          const total = gV[i]! + carry;
          const ds = gS[i]! + total * -ms[t]! * 0.2;
          const dm = gH[i]! + total * 0.2 * (1 - ss[t]!) + ds * dsp(ms[t]!);
          gx[i] = dm;
          carry = dm;
        }
      }
      expect(vals(res.outputs.spikes!)).toEqual(spikes);
      expectClose(vals(res.grads!.inputs.x!), gx, 1e-12);
    });
  });

  describe('parallel spiking neurons', () => {
    const T = 4;
    const M = 6;
    const atanD = (x: number) => 1 / (1 + (Math.PI * x) ** 2);

    function psnCheck(res: TorchRefResponse, Wm: number[], b: number[], x: number[], gS: number[]) {
      const h = new Array<number>(T * M).fill(0);
      for (let t = 0; t < T; t++)
        for (let m = 0; m < M; m++) {
          let acc = b[t]!;
          for (let j = 0; j < T; j++) acc += Wm[t * T + j]! * x[j * M + m]!;
          h[t * M + m] = acc;
        }
      expectClose(vals(res.outputs.h!), h, 1e-13);
      expect(vals(res.outputs.spikes!)).toEqual(h.map((v) => (v >= 0 ? 1 : 0)));
      const gH = h.map((v, i) => gS[i]! * atanD(v));
      const gW = new Array<number>(T * T).fill(0);
      const gb = new Array<number>(T).fill(0);
      const gx = new Array<number>(T * M).fill(0);
      for (let t = 0; t < T; t++)
        for (let m = 0; m < M; m++) {
          gb[t]! += gH[t * M + m]!;
          for (let j = 0; j < T; j++) {
            gW[t * T + j]! += gH[t * M + m]! * x[j * M + m]!;
            gx[j * M + m]! += Wm[t * T + j]! * gH[t * M + m]!;
          }
        }
      return { h, gW, gb, gx };
    }

    it('psn: H = W·X + b, atan(2) backward', async () => {
      const rng = mulberry32(21);
      const W = randn(rng, T * T, 0, 0.6);
      const b = randn(rng, T, -0.3, 0.3);
      const x = randn(rng, T * M, 0.5, 1);
      const gS = randn(rng, T * M);
      const res = await runTorchRef({
        op: 'psn', dtype: 'float64', inputs: { x: toWireF64(x, [T, 2, 3]) },
        weights: { W: toWireF64(W, [T, T]), b: toWireF64(b, [T]) }, grad: { spikes: toWireF64(gS, [T, 2, 3]) },
      });
      expect(res.outputs.spikes!.shape).toEqual([T, 2, 3]);
      const want = psnCheck(res, W, b, x, gS);
      expectClose(vals(res.grads!.weights.W!), want.gW, 1e-12);
      expectClose(vals(res.grads!.weights.b!), want.gb, 1e-12);
      expectClose(vals(res.grads!.inputs.x!), want.gx, 1e-12);
    });

    it('masked_psn: W_eff = (λ·M0 + 1 - λ) ⊙ W, M0 a band of width k', async () => {
      const rng = mulberry32(22);
      const W = randn(rng, T * T, 0, 0.6);
      const b = randn(rng, T, -0.3, 0.3);
      const x = randn(rng, T * M, 0.5, 1);
      const gS = randn(rng, T * M);
      for (const lambda of [0, 0.5, 1, 1.5]) {
        const res = await runTorchRef({
          op: 'masked_psn', dtype: 'float64', params: { k: 2, lambda }, inputs: { x: toWireF64(x, [T, M]) },
          weights: { W: toWireF64(W, [T, T]), b: toWireF64(b, [T]) }, grad: { spikes: toWireF64(gS, [T, M]) },
        });
        const lam = Math.min(lambda, 1);
        const mask = (i: number, j: number) => lam * (j <= i && j >= i - 1 ? 1 : 0) + (1 - lam);
        const Weff = W.map((w, idx) => w * mask(Math.floor(idx / T), idx % T));
        expectClose(vals(res.outputs.w_eff!), Weff, 1e-15);
        const want = psnCheck(res, Weff, b, x, gS);
        expectClose(vals(res.grads!.weights.W!), want.gW.map((g, idx) => g * mask(Math.floor(idx / T), idx % T)), 1e-12);
        expectClose(vals(res.grads!.inputs.x!), want.gx, 1e-12);
      }
    });

    it('sliding_psn: H[t] = Σ_i w[i]·X[t-k+1+i] + b with zero left padding', async () => {
      const rng = mulberry32(23);
      const k = 3;
      const w = [0.25, 0.5, 1];
      const b = -0.4;
      const x = randn(rng, T * M, 0.3, 1);
      const gS = randn(rng, T * M);
      const res = await runTorchRef({
        op: 'sliding_psn', dtype: 'float64', inputs: { x: toWireF64(x, [T, M]) },
        weights: { w: toWireF64(w, [k]), b: toWireF64([b], []) }, grad: { spikes: toWireF64(gS, [T, M]) },
      });
      const X = (t: number, m: number) => (t < 0 ? 0 : x[t * M + m]!);
      const h = new Array<number>(T * M).fill(0);
      for (let t = 0; t < T; t++) for (let m = 0; m < M; m++) h[t * M + m] = b + w.reduce((acc, wi, i) => acc + wi * X(t - k + 1 + i, m), 0);
      expectClose(vals(res.outputs.h!), h, 1e-14);
      const gH = h.map((v, i) => gS[i]! * atanD(v));
      const gw = w.map((_, i) => {
        let acc = 0;
        for (let t = 0; t < T; t++) for (let m = 0; m < M; m++) acc += gH[t * M + m]! * X(t - k + 1 + i, m);
        return acc;
      });
      expectClose(vals(res.grads!.weights.w!), gw, 1e-12);
      expectClose(vals(res.grads!.weights.b!), [gH.reduce((a, c) => a + c, 0)], 1e-12);
      const gx = new Array<number>(T * M).fill(0);
      for (let t = 0; t < T; t++) for (let m = 0; m < M; m++) for (let i = 0; i < k; i++) if (t - k + 1 + i >= 0) gx[(t - k + 1 + i) * M + m]! += w[i]! * gH[t * M + m]!;
      expectClose(vals(res.grads!.inputs.x!), gx, 1e-12);
    });
  });

  describe('spiking attention', () => {
    const [T, B, N, D, H] = [3, 2, 4, 6, 2];
    const d = D / H;
    const at = (t: number, b: number, n: number, c: number) => ((t * B + b) * N + n) * D + c;

    function ssaPre(q: number[], k: number[], v: number[], scale: number): number[] {
      const out = new Array<number>(T * B * N * D).fill(0);
      for (let t = 0; t < T; t++)
        for (let b = 0; b < B; b++)
          for (let h = 0; h < H; h++)
            for (let n = 0; n < N; n++)
              for (let j = 0; j < d; j++) {
                let acc = 0;
                for (let m = 0; m < N; m++) {
                  let qk = 0;
                  for (let i = 0; i < d; i++) qk += q[at(t, b, n, h * d + i)]! * k[at(t, b, m, h * d + i)]!;
                  acc += qk * v[at(t, b, m, h * d + j)]!;
                }
                out[at(t, b, n, h * d + j)] = acc * scale;
              }
      return out;
    }

    it('ssa: (QKᵀ)V·s per head and time step, both orders, then LIF(V_th 0.5)', async () => {
      const rng = mulberry32(31);
      const [q, k, v] = [spikes(rng, T * B * N * D, 0.5), spikes(rng, T * B * N * D, 0.5), spikes(rng, T * B * N * D, 0.5)];
      const shape = [T, B, N, D];
      const pre = ssaPre(q, k, v, 0.25);
      const lifOut = lifColumns(pre, T, B * N * D, 0.5);
      for (const order of ['qk_v', 'q_kv'] as const) {
        const g = randn(rng, pre.length);
        const res = await runTorchRef({
          op: 'ssa', dtype: 'float64', params: { heads: H, scale: 0.25, order },
          inputs: { q: toWireF64(q, shape), k: toWireF64(k, shape), v: toWireF64(v, shape) }, grad: { pre: toWireF64(g, shape) },
        });
        expectClose(vals(res.outputs.pre!), pre, 1e-13);
        expect(vals(res.outputs.spikes!)).toEqual(lifOut);
        // pre is linear in each of q, k, v: d<g, pre>/dq_i = <g, pre(q + e_i) - pre(q)>
        for (const [name, which] of [['q', 0], ['k', 1], ['v', 2]] as const) {
          const gWant = q.map((_, i) => {
            const args = [q, k, v].map((a) => a.slice());
            args[which]![i]! += 1;
            const bumped = ssaPre(args[0]!, args[1]!, args[2]!, 0.25);
            return bumped.reduce((acc, p, j) => acc + g[j]! * (p - pre[j]!), 0);
          });
          expectClose(vals(res.grads!.inputs[name]!), gWant, 1e-12);
        }
      }
      expect(lifOut.some((s) => s === 1)).toBe(true);
    });

    it('ssa with layout tbdn is the transposed problem', async () => {
      const rng = mulberry32(32);
      const [q, k, v] = [spikes(rng, T * B * N * D, 0.5), spikes(rng, T * B * N * D, 0.5), spikes(rng, T * B * N * D, 0.5)];
      const tr = (a: number[]) => transposeLast2(a, T * B, N, D);
      const res = await runTorchRef({
        op: 'ssa', dtype: 'float64', params: { heads: H, scale: 0.25, layout: 'tbdn' },
        inputs: { q: toWireF64(tr(q), [T, B, D, N]), k: toWireF64(tr(k), [T, B, D, N]), v: toWireF64(tr(v), [T, B, D, N]) },
      });
      expect(res.outputs.pre!.shape).toEqual([T, B, D, N]);
      expectClose(vals(res.outputs.pre!), tr(ssaPre(q, k, v, 0.25)), 1e-13);
    });

    it('ssa_block: Linear→BN(train)→LIF for q, k, v, attention, proj; running stats', async () => {
      const rng = mulberry32(33);
      const x = spikes(rng, T * B * N * D, 0.6);
      const shape = [T, B, N, D];
      const weights: Record<string, number[]> = {};
      for (const br of ['q', 'k', 'v', 'proj']) {
        weights[`${br}.weight`] = randn(rng, D * D, 0, 0.5);
        weights[`${br}.bias`] = randn(rng, D, 0, 0.2);
        weights[`${br}_bn.weight`] = randn(rng, D, 1.2, 0.2);
        weights[`${br}_bn.bias`] = randn(rng, D, 1.6, 0.3);
      }
      const wires = Object.fromEntries(Object.entries(weights).map(([n, a]) => [n, toWireF64(a, n.endsWith('.weight') && !n.includes('_bn') ? [D, D] : [D])]));
      const g = randn(rng, T * B * N * D);
      const res = await runTorchRef({
        op: 'ssa_block', dtype: 'float64', params: { heads: H, scale: 0.25 }, inputs: { x: toWireF64(x, shape) }, weights: wires,
        grad: { proj_bn: toWireF64(g, shape) },
      });

      const R = T * B * N;
      const branch = (name: string, inp: number[]) => {
        const W = weights[`${name}.weight`]!;
        const bias = weights[`${name}.bias`]!;
        const y = new Array<number>(R * D).fill(0);
        for (let r = 0; r < R; r++)
          for (let o = 0; o < D; o++) {
            let acc = bias[o]!;
            for (let i = 0; i < D; i++) acc += inp[r * D + i]! * W[o * D + i]!;
            y[r * D + o] = acc;
          }
        const bn = batchNormRows(y, R, D, weights[`${name}_bn.weight`]!, weights[`${name}_bn.bias`]!, 1e-5);
        return { bn: bn.y, mean: bn.mean, varB: bn.varB, s: lifColumns(bn.y, T, B * N * D, 1) };
      };
      const bq = branch('q', x);
      const bk = branch('k', x);
      const bv = branch('v', x);
      const pre = ssaPre(bq.s, bk.s, bv.s, 0.25);
      const attn = lifColumns(pre, T, B * N * D, 0.5);
      const bp = branch('proj', attn);

      expectClose(vals(res.outputs.q_bn!), bq.bn, 1e-12);
      expect(vals(res.outputs.q!)).toEqual(bq.s);
      expect(vals(res.outputs.k!)).toEqual(bk.s);
      expect(vals(res.outputs.v!)).toEqual(bv.s);
      expectClose(vals(res.outputs.pre!), pre, 1e-12);
      expect(vals(res.outputs.attn!)).toEqual(attn);
      expectClose(vals(res.outputs.proj_bn!), bp.bn, 1e-12);
      expect(vals(res.outputs.spikes!)).toEqual(bp.s);
      // the data must exercise every stage: some but not all spikes at each LIF
      for (const sp of [bq.s, bk.s, bv.s, attn, bp.s]) expect(sp.some((s) => s === 1) && sp.some((s) => s === 0)).toBe(true);
      for (const [name, b] of [['q', bq], ['proj', bp]] as const) {
        expectClose(vals(res.outputs[`${name}_bn.running_mean`]!), b.mean.map((m) => 0.1 * m), 1e-14);
        expectClose(vals(res.outputs[`${name}_bn.running_var`]!), b.varB.map((v) => 0.9 + (0.1 * v * R) / (R - 1)), 1e-14);
      }
      // cotangent on the proj BN output only: d/dβ = Σ g, d/dγ = Σ g·x̂
      const gBeta = new Array<number>(D).fill(0);
      const gGamma = new Array<number>(D).fill(0);
      const gamma = weights['proj_bn.weight']!;
      const beta = weights['proj_bn.bias']!;
      for (let r = 0; r < R; r++)
        for (let c = 0; c < D; c++) {
          gBeta[c]! += g[r * D + c]!;
          gGamma[c]! += (g[r * D + c]! * (bp.bn[r * D + c]! - beta[c]!)) / gamma[c]!;
        }
      expectClose(vals(res.grads!.weights['proj_bn.bias']!), gBeta, 1e-12);
      expectClose(vals(res.grads!.weights['proj_bn.weight']!), gGamma, 1e-12);
      expect(Object.keys(res.grads!.weights).sort()).toEqual(Object.keys(weights).sort());
    });

    it('ssa_block in eval mode normalises with the given running stats and leaves them unchanged', async () => {
      const rng = mulberry32(34);
      const x = spikes(rng, T * B * N * D, 0.6);
      const wires: Record<string, WireArray> = {};
      const buffers: Record<string, WireArray> = {};
      const rmQ = randn(rng, D, 0.5, 0.3);
      const rvQ = randn(rng, D, 1.5, 0.2);
      for (const br of ['q', 'k', 'v', 'proj']) {
        wires[`${br}.weight`] = toWireF64(randn(rng, D * D, 0, 0.5), [D, D]);
        wires[`${br}_bn.weight`] = toWireF64(new Array(D).fill(1), [D]);
        wires[`${br}_bn.bias`] = toWireF64(new Array(D).fill(0), [D]);
        buffers[`${br}_bn.running_mean`] = toWireF64(rmQ, [D]);
        buffers[`${br}_bn.running_var`] = toWireF64(rvQ, [D]);
      }
      const res = await runTorchRef({ op: 'ssa_block', dtype: 'float64', params: { heads: H, training: false }, inputs: { x: toWireF64(x, [T, B, N, D]) }, weights: wires, buffers });
      const Wq = vals(wires['q.weight']!);
      const want: number[] = [];
      for (let r = 0; r < T * B * N; r++)
        for (let o = 0; o < D; o++) {
          let acc = 0;
          for (let i = 0; i < D; i++) acc += x[r * D + i]! * Wq[o * D + i]!;
          want.push((acc - rmQ[o]!) / Math.sqrt(rvQ[o]! + 1e-5));
        }
      expectClose(vals(res.outputs.q_bn!), want, 1e-12);
      expectClose(vals(res.outputs['q_bn.running_mean']!), rmQ, 0);
      expectClose(vals(res.outputs['q_bn.running_var']!), rvQ, 0);
    });

    it('sdsa: code form Q ⊙ LIF(Σ_N K⊙V), paper form LIF(Σ_N Q⊙K) ⊙ V', async () => {
      const rng = mulberry32(35);
      const shape = [T, B, N, D];
      const [q, k, v] = [spikes(rng, T * B * N * D, 0.5), spikes(rng, T * B * N * D, 0.6), spikes(rng, T * B * N * D, 0.6)];
      for (const form of ['code', 'paper'] as const) {
        const g = randn(rng, T * B * N * D);
        const res = await runTorchRef({
          op: 'sdsa', dtype: 'float64', params: { heads: H, form },
          inputs: { q: toWireF64(q, shape), k: toWireF64(k, shape), v: toWireF64(v, shape) }, grad: { out: toWireF64(g, shape) },
        });
        const [a, bb, masked] = form === 'code' ? [k, v, q] : [q, k, v];
        const pre = new Array<number>(T * B * D).fill(0);
        for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let n = 0; n < N; n++) for (let c = 0; c < D; c++) pre[(t * B + b) * D + c]! += a[at(t, b, n, c)]! * bb[at(t, b, n, c)]!;
        const mask = lifColumns(pre, T, B * D, 0.5);
        const out = masked.map((val, i) => val * mask[Math.floor(i / (N * D)) * D + (i % D)]!);
        expect(res.outputs.pre!.shape).toEqual([T, B, 1, D]);
        expectClose(vals(res.outputs.pre!), pre, 0);
        expect(vals(res.outputs.mask!)).toEqual(mask);
        expect(vals(res.outputs.out!)).toEqual(out);
        // the masked operand's gradient is g·mask
        const gMasked = g.map((gi, i) => gi * mask[Math.floor(i / (N * D)) * D + (i % D)]!);
        expectClose(vals(res.grads!.inputs[form === 'code' ? 'q' : 'v']!), gMasked, 1e-14);
        expect(mask.some((s) => s === 1) && mask.some((s) => s === 0)).toBe(true);
      }
    });

    it('qkta: per-token, per-head mask LIF(Σ_{c in head} Q), gradient through the mask LIF', async () => {
      const rng = mulberry32(36);
      const shape = [T, B, N, D];
      const [q, k] = [spikes(rng, T * B * N * D, 0.25), spikes(rng, T * B * N * D, 0.5)];
      const g = randn(rng, T * B * N * D);
      const res = await runTorchRef({ op: 'qkta', dtype: 'float64', params: { heads: H }, inputs: { q: toWireF64(q, shape), k: toWireF64(k, shape) }, grad: { out: toWireF64(g, shape) } });
      const cols = B * N * H;
      const pre = new Array<number>(T * cols).fill(0);
      for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let n = 0; n < N; n++) for (let c = 0; c < D; c++) pre[((t * B + b) * N + n) * H + Math.floor(c / d)]! += q[at(t, b, n, c)]!;
      const mask = lifColumns(pre, T, cols, 0.5);
      const maskOf = (i: number) => mask[Math.floor(i / D) * H + Math.floor((i % D) / d)]!;
      expect(res.outputs.pre!.shape).toEqual([T, B, N, H]);
      expectClose(vals(res.outputs.pre!), pre, 0);
      expect(vals(res.outputs.mask!)).toEqual(mask);
      expect(vals(res.outputs.out!)).toEqual(k.map((kv, i) => kv * maskOf(i)));
      expectClose(vals(res.grads!.inputs.k!), g.map((gi, i) => gi * maskOf(i)), 1e-14);
      const gMask = new Array<number>(T * cols).fill(0);
      g.forEach((gi, i) => (gMask[Math.floor(i / D) * H + Math.floor((i % D) / d)]! += gi * k[i]!));
      const gPre = lifColumnsGrad(pre, gMask, T, cols, 0.5);
      expectClose(vals(res.grads!.inputs.q!), q.map((_, i) => gPre[Math.floor(i / D) * H + Math.floor((i % D) / d)]!), 1e-12);
      expect(mask.some((s) => s === 1) && mask.some((s) => s === 0)).toBe(true);
    });

    it('qkca: per-channel mask LIF(Σ_N Q), gradient through the mask LIF', async () => {
      const rng = mulberry32(37);
      const shape = [T, B, N, D];
      const [q, k] = [spikes(rng, T * B * N * D, 0.2), spikes(rng, T * B * N * D, 0.5)];
      const g = randn(rng, T * B * N * D);
      const res = await runTorchRef({ op: 'qkca', dtype: 'float64', params: { heads: H }, inputs: { q: toWireF64(q, shape), k: toWireF64(k, shape) }, grad: { out: toWireF64(g, shape) } });
      const cols = B * D;
      const idx = (i: number) => Math.floor(i / (N * D)) * D + (i % D);
      const pre = new Array<number>(T * cols).fill(0);
      q.forEach((qv, i) => (pre[idx(i)]! += qv));
      const mask = lifColumns(pre, T, cols, 0.5);
      expectClose(vals(res.outputs.pre!), pre, 0);
      expect(vals(res.outputs.mask!)).toEqual(mask);
      expect(vals(res.outputs.out!)).toEqual(k.map((kv, i) => kv * mask[idx(i)]!));
      const gMask = new Array<number>(T * cols).fill(0);
      g.forEach((gi, i) => (gMask[idx(i)]! += gi * k[i]!));
      const gPre = lifColumnsGrad(pre, gMask, T, cols, 0.5);
      expectClose(vals(res.grads!.inputs.q!), q.map((_, i) => gPre[idx(i)]!), 1e-12);
      expect(mask.some((s) => s === 1) && mask.some((s) => s === 0)).toBe(true);
    });
  });

  describe('stateless layers', () => {
    it('batchnorm train [M,C,H,W]: batch stats, biased normalisation, unbiased running update, gradients', async () => {
      const rng = mulberry32(41);
      const [M, C, S] = [3, 2, 4];
      const x = randn(rng, M * C * S, 0.5, 2);
      const gamma = [1.5, 0.7];
      const beta = [0.1, -0.2];
      const rm0 = [0.2, -0.1];
      const rv0 = [1.3, 0.8];
      const g = randn(rng, x.length);
      const res = await runTorchRef({
        op: 'batchnorm', dtype: 'float64', params: { momentum: 0.2, eps: 1e-3 }, inputs: { x: toWireF64(x, [M, C, 2, 2]) },
        weights: { weight: toWireF64(gamma, [C]), bias: toWireF64(beta, [C]) },
        buffers: { running_mean: toWireF64(rm0, [C]), running_var: toWireF64(rv0, [C]) }, grad: { y: toWireF64(g, [M, C, 2, 2]) },
      });
      const n = M * S;
      const at = (m: number, c: number, s: number) => (m * C + c) * S + s;
      const y = new Array<number>(x.length).fill(0);
      const gx = new Array<number>(x.length).fill(0);
      for (let c = 0; c < C; c++) {
        let mean = 0;
        for (let m = 0; m < M; m++) for (let s = 0; s < S; s++) mean += x[at(m, c, s)]! / n;
        let varB = 0;
        for (let m = 0; m < M; m++) for (let s = 0; s < S; s++) varB += (x[at(m, c, s)]! - mean) ** 2 / n;
        const inv = 1 / Math.sqrt(varB + 1e-3);
        let gMean = 0;
        let gxhMean = 0;
        for (let m = 0; m < M; m++)
          for (let s = 0; s < S; s++) {
            const i = at(m, c, s);
            const xh = (x[i]! - mean) * inv;
            y[i] = xh * gamma[c]! + beta[c]!;
            gMean += g[i]! / n;
            gxhMean += (g[i]! * xh) / n;
          }
        for (let m = 0; m < M; m++)
          for (let s = 0; s < S; s++) {
            const i = at(m, c, s);
            gx[i] = gamma[c]! * inv * (g[i]! - gMean - (x[i]! - mean) * inv * gxhMean);
          }
        expectClose([vals(res.outputs.batch_mean!)[c]!, vals(res.outputs.batch_var!)[c]!], [mean, varB], 1e-14);
        expectClose([vals(res.outputs.running_mean!)[c]!], [0.8 * rm0[c]! + 0.2 * mean], 1e-14);
        expectClose([vals(res.outputs.running_var!)[c]!], [0.8 * rv0[c]! + (0.2 * varB * n) / (n - 1)], 1e-14);
      }
      expectClose(vals(res.outputs.y!), y, 1e-13);
      expectClose(vals(res.grads!.inputs.x!), gx, 1e-12);
    });

    it('batchnorm eval [M,C] uses the running stats; no affine when weights are absent', async () => {
      const x = [1, 2, 3, 4, 5, 6];
      const res = await runTorchRef({
        op: 'batchnorm', dtype: 'float64', params: { training: false }, inputs: { x: toWireF64(x, [3, 2]) },
        buffers: { running_mean: toWireF64([1, 2], [2]), running_var: toWireF64([4, 9], [2]) },
      });
      const want = x.map((v, i) => (v - [1, 2][i % 2]!) / Math.sqrt([4, 9][i % 2]! + 1e-5));
      expectClose(vals(res.outputs.y!), want, 1e-15);
      expect(vals(res.outputs.running_var!)).toEqual([4, 9]);
      expect(res.outputs.batch_mean).toBeUndefined();
    });

    it('conv2d (stride 2, padding 1, groups 2) forward and gradients by linearity', async () => {
      const rng = mulberry32(42);
      const [Nb, C, Hh, Ww, O, K] = [2, 4, 5, 5, 6, 3];
      const groups = 2;
      const x = randn(rng, Nb * C * Hh * Ww);
      const w = randn(rng, O * (C / groups) * K * K);
      const bias = randn(rng, O);
      const conv = (xx: number[], ww: number[], bb: number[] | null) => conv2dNaive(xx, ww, bb, [Nb, C, Hh, Ww], [O, C / groups, K, K], 2, 1, groups);
      const y = conv(x, w, bias);
      const g = randn(rng, y.length);
      const res = await runTorchRef({
        op: 'conv2d', dtype: 'float64', params: { stride: 2, padding: 1, groups }, inputs: { x: toWireF64(x, [Nb, C, Hh, Ww]) },
        weights: { weight: toWireF64(w, [O, C / groups, K, K]), bias: toWireF64(bias, [O]) }, grad: { y: toWireF64(g, [Nb, O, 3, 3]) },
      });
      expect(res.outputs.y!.shape).toEqual([Nb, O, 3, 3]);
      expectClose(vals(res.outputs.y!), y, 1e-13);
      const dot = (a: number[]) => a.reduce((acc, v, i) => acc + v * g[i]!, 0);
      const gx = x.map((_, i) => dot(conv(x.map((_, j) => (j === i ? 1 : 0)), w, null)));
      const gw = w.map((_, i) => dot(conv(x, w.map((_, j) => (j === i ? 1 : 0)), null)));
      expectClose(vals(res.grads!.inputs.x!), gx, 1e-12);
      expectClose(vals(res.grads!.weights.weight!), gw, 1e-12);
      const gb = new Array<number>(O).fill(0);
      g.forEach((gi, i) => (gb[Math.floor(i / 9) % O]! += gi));
      expectClose(vals(res.grads!.weights.bias!), gb, 1e-12);
    });

    it('maxpool2d forward, padding, and the gradient of ties going to the first maximum', async () => {
      // one 4x4 plane; kernel 2 stride 2: windows [1 1;1 0] (tie), [3 2;0 3] (tie), [0 5;6 0], [7 7;7 7]
      const x = [1, 1, 3, 2, 1, 0, 0, 3, 0, 5, 7, 7, 6, 0, 7, 7];
      const res = await runTorchRef({ op: 'maxpool2d', dtype: 'float64', params: { kernel: 2 }, inputs: { x: toWireF64(x, [1, 1, 4, 4]) }, grad: { y: toWireF64([1, 2, 3, 4], [1, 1, 2, 2]) } });
      expect(vals(res.outputs.y!)).toEqual([1, 3, 6, 7]);
      expect(res.outputs.indices!.dtype).toBe('i64');
      expect(vals(res.outputs.indices!)).toEqual([0, 2, 12, 10]);
      const gx = new Array(16).fill(0);
      gx[0] = 1;
      gx[2] = 2;
      gx[12] = 3;
      gx[10] = 4;
      expect(vals(res.grads!.inputs.x!)).toEqual(gx);
      // Spikformer's MP: kernel 3, stride 2, padding 1 (padding acts as -inf)
      const neg = x.map((v) => -v - 1);
      const mp = await runTorchRef({ op: 'maxpool2d', dtype: 'float64', params: { kernel: 3, stride: 2, padding: 1 }, inputs: { x: toWireF64(neg, [1, 1, 4, 4]) } });
      const want: number[] = [];
      for (const oy of [0, 1])
        for (const ox of [0, 1]) {
          let m = -Infinity;
          for (let dy = -1; dy <= 1; dy++)
            for (let dx = -1; dx <= 1; dx++) {
              const yy = oy * 2 + dy;
              const xx = ox * 2 + dx;
              if (yy >= 0 && yy < 4 && xx >= 0 && xx < 4) m = Math.max(m, neg[yy * 4 + xx]!);
            }
          want.push(m);
        }
      expect(vals(mp.outputs.y!)).toEqual(want);
    });

    it('avgpool2d with count_include_pad true and false', async () => {
      const x = Array.from({ length: 9 }, (_, i) => i + 1);
      const inc = await runTorchRef({ op: 'avgpool2d', dtype: 'float64', params: { kernel: 2, stride: 2, padding: 1 }, inputs: { x: toWireF64(x, [1, 1, 3, 3]) } });
      expectClose(vals(inc.outputs.y!), [1 / 4, (2 + 3) / 4, (4 + 7) / 4, (5 + 6 + 8 + 9) / 4], 1e-15);
      const exc = await runTorchRef({ op: 'avgpool2d', dtype: 'float64', params: { kernel: 2, stride: 2, padding: 1, count_include_pad: false }, inputs: { x: toWireF64(x, [1, 1, 3, 3]) } });
      expectClose(vals(exc.outputs.y!), [1, 2.5, 5.5, 7], 1e-15);
    });

    it('linear y = x·Wᵀ + b and its gradients', async () => {
      const x = [1, 2, 3, 4, 5, 6];
      const W = [1, 0, -1, 2, 0.5, 0.25];
      const b = [0.5, -1];
      const g = [1, 2, 3, 4];
      const res = await runTorchRef({ op: 'linear', dtype: 'float64', inputs: { x: toWireF64(x, [2, 3]) }, weights: { weight: toWireF64(W, [2, 3]), bias: toWireF64(b, [2]) }, grad: { y: toWireF64(g, [2, 2]) } });
      expectClose(vals(res.outputs.y!), [1 - 3 + 0.5, 2 + 1 + 0.75 - 1, 4 - 6 + 0.5, 8 + 2.5 + 1.5 - 1], 1e-15);
      expectClose(vals(res.grads!.inputs.x!), [1 + 4, 1, -1 + 0.5, 3 + 8, 2, -3 + 1], 1e-15);
      expectClose(vals(res.grads!.weights.weight!), [1 + 12, 2 + 15, 3 + 18, 2 + 16, 4 + 20, 6 + 24], 1e-15);
      expectClose(vals(res.grads!.weights.bias!), [4, 6], 1e-15);
    });
  });

  describe('losses', () => {
    const logits = [2, 1, 0.1, -1, 0.5, 3, 0, 0, 0];
    const labels = [0, 2, 1];
    const Bn = 3;
    const Cn = 3;

    function ceRows(z: number[], y: number[], eps: number) {
      let loss = 0;
      const grad = new Array<number>(z.length).fill(0);
      for (let b = 0; b < y.length; b++) {
        const row = z.slice(b * Cn, (b + 1) * Cn);
        const mx = Math.max(...row);
        const lse = mx + Math.log(row.reduce((a, v) => a + Math.exp(v - mx), 0));
        const nll = lse - row[y[b]!]!;
        const smooth = row.reduce((a, v) => a + (lse - v), 0) / Cn;
        loss += ((1 - eps) * nll + eps * smooth) / y.length;
        row.forEach((v, c) => (grad[b * Cn + c] = (Math.exp(v - lse) - ((1 - eps) * (c === y[b] ? 1 : 0) + eps / Cn)) / y.length));
      }
      return { loss, grad };
    }

    it('cross_entropy with label smoothing 0.1; labels as i64 or as integral floats', async () => {
      const want = ceRows(logits, labels, 0.1);
      for (const lab of [toWireI64(labels, [Bn]), toWireF64(labels, [Bn])]) {
        const res = await runTorchRef({ op: 'cross_entropy', dtype: 'float64', params: { label_smoothing: 0.1 }, inputs: { logits: toWireF64(logits, [Bn, Cn]), labels: lab }, grad: { loss: toWireF64([1], []) } });
        expect(res.outputs.loss!.shape).toEqual([]);
        expectClose(vals(res.outputs.loss!), [want.loss], 1e-14);
        expectClose(vals(res.grads!.inputs.logits!), want.grad, 1e-14);
        expect(res.grads!.inputs.labels).toBeUndefined();
      }
    });

    it('cross_entropy with soft targets', async () => {
      const targets = [0.8, 0.1, 0.1, 0, 0, 1, 0.3, 0.3, 0.4];
      const res = await runTorchRef({ op: 'cross_entropy', dtype: 'float64', inputs: { logits: toWireF64(logits, [Bn, Cn]), targets: toWireF64(targets, [Bn, Cn]) } });
      let want = 0;
      for (let b = 0; b < Bn; b++) {
        const row = logits.slice(b * Cn, (b + 1) * Cn);
        const lse = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
        row.forEach((v, c) => (want += (-targets[b * Cn + c]! * (v - lse)) / Bn));
      }
      expectClose(vals(res.outputs.loss!), [want], 1e-14);
    });

    it('tet_loss = (1-λ)·mean_t CE(O_t, y) + λ·MSE(O, 1)', async () => {
      const T = 2;
      const O = [...logits, ...logits.map((v) => v * 0.5 - 0.2)];
      const lambda = 1e-3;
      const res = await runTorchRef({ op: 'tet_loss', dtype: 'float64', inputs: { logits: toWireF64(O, [T, Bn, Cn]), labels: toWireI64(labels, [Bn]) }, grad: { loss: toWireF64([1], []) } });
      const ce = [0, 1].map((t) => ceRows(O.slice(t * Bn * Cn, (t + 1) * Bn * Cn), labels, 0));
      const mse = O.reduce((a, v) => a + (v - 1) ** 2, 0) / O.length;
      expectClose(vals(res.outputs.loss!), [(1 - lambda) * ((ce[0]!.loss + ce[1]!.loss) / T) + lambda * mse], 1e-14);
      expectClose(vals(res.outputs.mse!), [mse], 1e-14);
      const grad = O.map((v, i) => ((1 - lambda) * ce[Math.floor(i / (Bn * Cn))]!.grad[i % (Bn * Cn)]!) / T + (lambda * 2 * (v - 1)) / O.length);
      expectClose(vals(res.grads!.inputs.logits!), grad, 1e-14);
    });
  });

  describe('protocol', () => {
    it('rejects unknown ops and params, and the server keeps serving', async () => {
      await expect(runTorchRef({ op: 'nope' as never })).rejects.toThrow(/unknown op 'nope'/);
      await expect(runTorchRef({ op: 'lif', params: { vth: 1 } as never, inputs: { x: toWireF64([1], [1]) } })).rejects.toThrow(TorchRefError);
      await expect(runTorchRef({ op: 'lif', inputs: {} })).rejects.toThrow(/missing inputs \['x'\]/);
      const short: WireArray = { ...toWireF64([1, 2], [2]), shape: [3] };
      await expect(runTorchRef({ op: 'lif', inputs: { x: short } })).rejects.toThrow(/needs 3 elements/);
      const ok = await runTorchRef({ op: 'version' });
      expect(ok.info?.torch).toBeTruthy();
    });

    it('answers concurrent requests in order', async () => {
      const xs = [0.5, 1.5, 2.5, 3.5, 4.5];
      const all = await Promise.all(xs.map((x) => runTorchRef({ op: 'if', dtype: 'float64', params: { v_threshold: 10 }, inputs: { x: toWireF64([x], [1]) } })));
      expect(all.map((r) => vals(r.outputs.h!)[0])).toEqual(xs);
    });

    it('--help lists every op', () => {
      const help = spawnSync(TORCH_PYTHON, [TORCH_REF_SCRIPT, '--help'], { encoding: 'utf8' });
      expect(help.status).toBe(0);
      for (const name of ['lif', 'if', 'plif', 'psn', 'masked_psn', 'sliding_psn', 'spikedhs_neuron', 'ssa', 'ssa_block', 'sdsa', 'qkta', 'qkca', 'conv2d', 'batchnorm', 'maxpool2d', 'avgpool2d', 'linear', 'cross_entropy', 'tet_loss'])
        expect(help.stdout).toContain(`\n${name}  inputs=`);
    });

    it('one-shot mode: error JSON with exit status 1, success with 0', async () => {
      const bad = spawnSync(TORCH_PYTHON, [TORCH_REF_SCRIPT], { input: JSON.stringify({ op: 'nope' }), encoding: 'utf8' });
      expect(bad.status).toBe(1);
      expect(JSON.parse(bad.stdout).error).toMatch(/unknown op/);
      const good = await runTorchRefOnce({ op: 'if', dtype: 'float64', inputs: { x: toWireF64([0.6, 0.6], [2]) } });
      expect(vals(good.outputs.spikes!)).toEqual([0, 1]);
      await expect(runTorchRefOnce({ op: 'nope' as never })).rejects.toThrow(/unknown op/);
    });

    it('carries large payloads (1M float32 values) both ways', async () => {
      const n = 1000 * 1000;
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = Math.fround(Math.sin(i) * 3);
      const req: TorchRefRequest = { op: 'avgpool2d', params: { kernel: 1 }, inputs: { x: toWire(x, [1, 1, 1000, 1000]) }, grad: { y: toWire(x, [1, 1, 1000, 1000]) } };
      for (const res of [await runTorchRef(req), await runTorchRefOnce(req)]) {
        const y = fromWire(res.outputs.y!).data;
        const gx = fromWire(res.grads!.inputs.x!).data;
        expect(y.length).toBe(n);
        let same = true;
        for (let i = 0; i < n; i++) if (y[i] !== x[i] || gx[i] !== x[i]) same = false;
        expect(same).toBe(true);
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Plain-JS references used above
// ---------------------------------------------------------------------------------------------

function vals(a: WireArray): number[] {
  return Array.from(fromWire(a).data);
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  expectWithin(got, want, (w) => tol * Math.max(1, Math.abs(w)), 'reference output', `${tol} relative to max(1, |want|)`);
}

function sig(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randn(rng: () => number, n: number, mean = 0, std = 1): number[] {
  return Array.from({ length: n }, () => {
    const u = Math.max(rng(), 1e-12);
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  });
}

function spikes(rng: () => number, n: number, p: number): number[] {
  return Array.from({ length: n }, () => (rng() < p ? 1 : 0));
}

function transposeLast2(a: number[], lead: number, R: number, C: number): number[] {
  const out = new Array<number>(a.length);
  for (let l = 0; l < lead; l++) for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[l * R * C + c * R + r] = a[l * R * C + r * C + c]!;
  return out;
}

async function node(op: 'lif' | 'if' | 'plif', params: Record<string, unknown>, xs: number[], weights?: Record<string, WireArray>) {
  const res = await runTorchRef({ op, dtype: 'float64', params: params as never, inputs: { x: toWireF64(xs, [xs.length]) }, ...(weights ? { weights } : {}) });
  return { spikes: vals(res.outputs.spikes!), membrane: vals(res.outputs.membrane!), h: vals(res.outputs.h!) };
}

/** A neuron of spec 1.1 for one element: a = 1/τ or sigmoid(w) (leak), or IF (no leak). */
interface NodeCfg {
  a: number;
  leak: boolean;
  decayInput: boolean;
  vTh: number;
  vReset: number | null;
  detach: boolean;
  sg: (x: number) => number;
}

/** Forward and BPTT of one neuron per column of x [T, M] (row-major); ga = dL/da summed. */
function nodeByColumns(cfg: NodeCfg, x: number[], gS: number[], gV: number[], gH: number[], T: number, M: number) {
  const s = new Array<number>(T * M).fill(0);
  const v = new Array<number>(T * M).fill(0);
  const gx = new Array<number>(T * M).fill(0);
  let ga = 0;
  const vr = cfg.vReset ?? 0;
  for (let j = 0; j < M; j++) {
    const hs: number[] = [];
    const vPrev: number[] = [];
    let V = cfg.vReset ?? 0;
    for (let t = 0; t < T; t++) {
      const X = x[t * M + j]!;
      vPrev.push(V);
      const H = !cfg.leak ? V + X : cfg.decayInput ? V + (X - (V - vr)) * cfg.a : V - (V - vr) * cfg.a + X;
      const S = H - cfg.vTh >= 0 ? 1 : 0;
      V = cfg.vReset === null ? H - S * cfg.vTh : H * (1 - S) + cfg.vReset * S;
      hs.push(H);
      s[t * M + j] = S;
      v[t * M + j] = V;
    }
    let carry = 0;
    for (let t = T - 1; t >= 0; t--) {
      const i = t * M + j;
      const H = hs[t]!;
      const S = s[i]!;
      const total = gV[i]! + carry;
      const dVdH = cfg.vReset === null ? 1 : 1 - S;
      const dVdS = cfg.vReset === null ? -cfg.vTh : cfg.vReset - H;
      const dS = gS[i]! + (cfg.detach ? 0 : total * dVdS);
      const dH = gH[i]! + total * dVdH + dS * cfg.sg(H - cfg.vTh);
      const X = x[i]!;
      const Vp = vPrev[t]!;
      if (!cfg.leak) {
        gx[i] = dH;
        carry = dH;
      } else {
        gx[i] = cfg.decayInput ? dH * cfg.a : dH;
        carry = dH * (1 - cfg.a);
        ga += dH * (cfg.decayInput ? X - (Vp - vr) : -(Vp - vr));
      }
    }
  }
  return { s, v, gx, ga };
}

const ATTN_SG = (x: number) => 4 * sig(4 * x) * (1 - sig(4 * x));

/** Spikformer-style LIF (τ 2, hard reset 0, detach_reset, sigmoid 4) over x [T, cols]: spikes. */
function lifColumns(x: number[], T: number, cols: number, vTh: number): number[] {
  const cfg: NodeCfg = { a: 0.5, leak: true, decayInput: true, vTh, vReset: 0, detach: true, sg: ATTN_SG };
  const z = new Array<number>(x.length).fill(0);
  return nodeByColumns(cfg, x, z, z, z, T, cols).s;
}

/** Gradient of that LIF's input for a cotangent on its spikes. */
function lifColumnsGrad(x: number[], gS: number[], T: number, cols: number, vTh: number): number[] {
  const cfg: NodeCfg = { a: 0.5, leak: true, decayInput: true, vTh, vReset: 0, detach: true, sg: ATTN_SG };
  const z = new Array<number>(x.length).fill(0);
  return nodeByColumns(cfg, x, gS, z, z, T, cols).gx;
}

/** Training-mode BN over rows of y [R, C]: biased variance. */
function batchNormRows(y: number[], R: number, C: number, gamma: number[], beta: number[], eps: number) {
  const mean = new Array<number>(C).fill(0);
  const varB = new Array<number>(C).fill(0);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) mean[c]! += y[r * C + c]! / R;
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) varB[c]! += (y[r * C + c]! - mean[c]!) ** 2 / R;
  const out = y.map((v, i) => ((v - mean[i % C]!) / Math.sqrt(varB[i % C]! + eps)) * gamma[i % C]! + beta[i % C]!);
  return { y: out, mean, varB };
}

function conv2dNaive(x: number[], w: number[], bias: number[] | null, xs: number[], ws: number[], stride: number, pad: number, groups: number): number[] {
  const [N, C, H, W] = xs as [number, number, number, number];
  const [O, Cg, K] = ws as [number, number, number, number];
  const Ho = Math.floor((H + 2 * pad - K) / stride) + 1;
  const Wo = Math.floor((W + 2 * pad - K) / stride) + 1;
  const Og = O / groups;
  const out = new Array<number>(N * O * Ho * Wo).fill(0);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let oy = 0; oy < Ho; oy++)
        for (let ox = 0; ox < Wo; ox++) {
          let acc = bias ? bias[o]! : 0;
          const g = Math.floor(o / Og);
          for (let ci = 0; ci < Cg; ci++)
            for (let ky = 0; ky < K; ky++)
              for (let kx = 0; kx < K; kx++) {
                const iy = oy * stride - pad + ky;
                const ix = ox * stride - pad + kx;
                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                acc += x[((n * C + g * Cg + ci) * H + iy) * W + ix]! * w[((o * Cg + ci) * K + ky) * K + kx]!;
              }
          out[((n * O + o) * Ho + oy) * Wo + ox] = acc;
        }
  return out;
}
