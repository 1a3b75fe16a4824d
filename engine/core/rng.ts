/**
 * Seeded, serialisable pseudo-random numbers (xoshiro128**, seeded through splitmix32).
 *
 * Every random choice in SNN Studio (weight init, Poisson encoding, shuffling, augmentation)
 * draws from an Rng so that a run is reproducible from its seed and a checkpoint can store the
 * exact generator state (`state()` / `Rng.restore`).
 */
export class Rng {
  private s: Uint32Array;

  private constructor(s: Uint32Array) {
    this.s = s;
  }

  static fromSeed(seed: number): Rng {
    let x = seed >>> 0;
    const s = new Uint32Array(4);
    for (let i = 0; i < 4; i++) {
      // splitmix32 spreads a small integer seed over the whole state
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if (s[0] === 0 && s[1] === 0 && s[2] === 0 && s[3] === 0) s[0] = 1;
    return new Rng(s);
  }

  static restore(state: readonly number[]): Rng {
    if (state.length !== 4) throw new Error(`rng state must have 4 words, got ${state.length}`);
    return new Rng(Uint32Array.from(state));
  }

  state(): number[] {
    return Array.from(this.s);
  }

  /** An independent generator derived from this one's next output (for per-layer or per-worker streams). */
  fork(): Rng {
    return Rng.fromSeed(this.nextUint32());
  }

  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box–Muller; one value per call, the pair's second half is discarded for simplicity of state). */
  normal(): number {
    let u = this.uniform();
    while (u <= 1e-12) u = this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Fills `out` with (2u − 1)·bound, u = uniform(): the same values as a loop of uniform() calls,
   * with the generator's state held in locals (half the time on the tens of millions of weights a
   * large model draws at compile).
   */
  fillUniform(out: Float32Array, bound: number): void {
    const st = this.s;
    let [s0, s1, s2, s3] = [st[0]!, st[1]!, st[2]!, st[3]!];
    for (let i = 0; i < out.length; i++) {
      const x = Math.imul(s1, 5);
      const r = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      out[i] = ((r / 4294967296) * 2 - 1) * bound;
    }
    st.set([s0, s1, s2, s3]);
  }

  /**
   * Fills `out` with normal()·std, each value redrawn while outside [−limit, limit]: the same
   * values as a loop of normal() calls (see fillUniform for why it is not one).
   */
  fillTruncNormal(out: Float32Array, std: number, limit: number): void {
    const st = this.s;
    let [s0, s1, s2, s3] = [st[0]!, st[1]!, st[2]!, st[3]!];
    const next = (): number => {
      const x = Math.imul(s1, 5);
      const r = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      return r / 4294967296;
    };
    for (let i = 0; i < out.length; i++) {
      let v: number;
      do {
        let u = next();
        while (u <= 1e-12) u = next();
        v = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next()) * std;
      } while (v < -limit || v > limit);
      out[i] = v;
    }
    st.set([s0, s1, s2, s3]);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
