// The client checks every event from the host against the API's schema before a listener sees it:
// a training event with a field of the wrong type (a host of another version, a corrupted frame)
// is dropped with a warning, never handed to a chart that would read it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StudioClient, type StudioTransport } from '../../engine/api/client.js';
import type { StudioEvent } from '../../engine/api/studio-api.js';

function fakeTransport(): StudioTransport & { push(e: unknown): void } {
  const listeners = new Set<(e: StudioEvent) => void>();
  return {
    request: async () => ({ id: 0, ok: true, result: null }),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    push: (e) => listeners.forEach((l) => l(e as StudioEvent)),
  };
}

const step = { type: 'step', epoch: 0, batch: 0, step: 1, loss: 2.3, accuracy: 0.1, lr: 1e-3, imagesPerSecond: 100, msPerStep: 10, etaSeconds: 5, firingRates: { lif1: 0.2 } };

afterEach(() => vi.restoreAllMocks());

describe('events on the client', () => {
  it('hands on training events that fit, a NaN loss sent as JSON null arriving as NaN', () => {
    const t = fakeTransport();
    const seen: StudioEvent[] = [];
    new StudioClient(t).onEvent((e) => seen.push(e));
    t.push({ type: 'job', jobId: 'j', kind: 'train', event: step });
    t.push({ type: 'job', jobId: 'j', kind: 'train', event: { ...step, loss: null } });
    t.push({ type: 'job-end', jobId: 'j', kind: 'train', ok: false, error: 'the loss became NaN at step 2' });
    expect(seen).toHaveLength(3);
    expect(seen[0]).toEqual({ type: 'job', jobId: 'j', kind: 'train', event: step });
    const second = seen[1]!;
    expect(second.type === 'job' && second.event.type === 'step' && Number.isNaN(second.event.loss)).toBe(true);
  });

  it('drops an event that does not fit, with a warning, and goes on', () => {
    const t = fakeTransport();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const seen: StudioEvent[] = [];
    new StudioClient(t).onEvent((e) => seen.push(e));
    t.push({ type: 'job', jobId: 'j', kind: 'train', event: { ...step, step: 'one' } });
    t.push({ type: 'job', jobId: 'j', kind: 'train', event: { type: 'phase', phase: 'compile', ms: 3 } });
    t.push({ type: 'surprise' });
    expect(seen).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(3);
    t.push({ type: 'recent-files', files: [] });
    expect(seen).toEqual([{ type: 'recent-files', files: [] }]);
  });
});
