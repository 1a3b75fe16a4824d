/**
 * The app's limits preference: the canvas's analysis refuses a document past a default limit with
 * the located problem, and accepts it once the user raises that limit; the choice is remembered
 * in the profile's storage and read back by the next window, and a stored value that does not fit
 * the API's schema is dropped.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIMITS } from '../../engine/core/limits/limits.js';
import { doublingDocument } from '../hardening/bomb-docs.js';

/** The browser's localStorage, which Node 20 lacks: a plain in-memory one. */
class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(k: string): string | null {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.items.set(k, String(v));
  }
  removeItem(k: string): void {
    this.items.delete(k);
  }
}

let storage: MemoryStorage;
beforeEach(() => {
  storage = new MemoryStorage();
  vi.stubGlobal('localStorage', storage);
  vi.resetModules();
});
afterEach(() => vi.unstubAllGlobals());

const fresh = async () => ({
  store: await import('../../renderer/src/state/limits-store.js'),
  analysis: await import('../../renderer/src/state/analysis.js'),
});

describe('limits preference', () => {
  it('refuses a document past the default node limit, and accepts it once the limit is raised', async () => {
    const { store, analysis } = await fresh();
    // 2^15 copies of linear → LIF at T=2: 98,304 primitive nodes
    const doc = doublingDocument(15);
    const refused = analysis.analysisOf(doc, 0);
    expect(refused.ok).toBe(false);
    expect(refused.problems).toEqual([
      expect.objectContaining({ severity: 'error', path: 'nodes[2] "blockA"', message: 'expands to 98,304 primitive nodes (a neuron once per time step); the limit is 50,000 (limit "nodes")' }),
    ]);
    expect(store.limitsParam()).toEqual({});

    store.setLimit('nodes', 100_000);
    expect(store.limitsParam()).toEqual({ limits: { nodes: 100_000 } });
    const accepted = analysis.analysisOf(doc, 0);
    expect(accepted.ok).toBe(true);
    expect(accepted.problems.filter((p) => p.severity === 'error')).toEqual([]);

    // back to the default: refused again, and nothing left to send to the host
    store.setLimit('nodes', undefined);
    expect(analysis.analysisOf(doc, 0).ok).toBe(false);
    expect(store.limitsParam()).toEqual({});
  });

  it('remembers the raised limits for the next window and drops a stored value that does not fit', async () => {
    const first = await fresh();
    first.store.setLimit('parameters', 1e9);
    first.store.setLimit('tensorElements', 2 ** 30);
    expect(JSON.parse(storage.getItem('snn-studio.limits')!)).toEqual({ parameters: 1e9, tensorElements: 2 ** 30 });

    vi.resetModules();
    const second = await fresh();
    expect(second.store.useLimitsStore.getState().limits).toEqual({ ...DEFAULT_LIMITS, parameters: 1e9, tensorElements: 2 ** 30 });

    storage.setItem('snn-studio.limits', JSON.stringify({ nodes: -5 }));
    vi.resetModules();
    expect((await fresh()).store.useLimitsStore.getState().limits).toEqual(DEFAULT_LIMITS);
    storage.setItem('snn-studio.limits', '{not json');
    vi.resetModules();
    expect((await fresh()).store.useLimitsStore.getState().limits).toEqual(DEFAULT_LIMITS);
  });

  it('refuses a limit that is not a positive number and keeps the one set before', async () => {
    const { store } = await fresh();
    store.setLimit('nodes', 80_000);
    expect(() => store.setLimit('nodes', 0)).toThrow('limit nodes must be a positive number');
    expect(() => store.setLimit('nodes', Number.NaN)).toThrow('limit nodes must be a positive number');
    expect(store.useLimitsStore.getState().limits.nodes).toBe(80_000);
  });
});
