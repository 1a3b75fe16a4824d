/**
 * The host's profile job in its worker thread: progress per batch, a result that the API's schema
 * accepts (rows, totals, all three conventions), and cancellation between batches.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { profileResultSchema, sampleViewResultSchema, type StudioEvent } from '../../engine/api/studio-api.js';
import { JobRunner } from '../../engine/host/jobs/job-runner.js';
import { lifCnn } from '../../templates/lif-cnn.js';

const events: StudioEvent[] = [];
const runner = new JobRunner((e) => events.push(e));
afterAll(() => runner.close());

function ended(jobId: string): Promise<Extract<StudioEvent, { type: 'job-end' }>> {
  return new Promise((resolve) => {
    const poll = () => {
      const end = events.find((e): e is Extract<StudioEvent, { type: 'job-end' }> => e.type === 'job-end' && e.jobId === jobId);
      if (end) resolve(end);
      else setTimeout(poll, 20);
    };
    poll();
  });
}

const progressOf = (jobId: string) =>
  events.flatMap((e) => (e.type === 'job' && e.jobId === jobId && e.event.type === 'progress' ? [e.event as { done: number; total: number }] : []));

describe('profile job', () => {
  const document = lifCnn({ channels: [4, 8], timeSteps: 2 });

  it('reports progress per batch and ends with the profile rows and totals', async () => {
    const jobId = runner.start({ kind: 'profile', document, options: { samples: 48, batch: 16 } });
    const end = await ended(jobId);
    expect(end.ok, end.error).toBe(true);
    expect(progressOf(jobId).map((p) => [p.done, p.total])).toEqual([
      [16, 48],
      [32, 48],
      [48, 48],
    ]);
    const result = profileResultSchema.parse(end.result);
    expect(result).toMatchObject({ samples: 48, batch: 16, weights: 'seeded', checkpoint: null, dataset: 'digits' });
    expect(result.profile.rows.map((r) => r.id)).toEqual(['encoder', 'conv1', 'bn1', 'lif1', 'pool1', 'conv2', 'bn2', 'lif2', 'pool2', 'flatten', 'fc', 'mean_t']);
    const e = result.profile.totals.energy;
    // conv1 reads the image: once under paper, T = 2 times under syops (4·9·784 MACs a step)
    expect(e.paper.macs).toBe(4 * 9 * 784);
    expect(e.syops.macs).toBe(2 * 4 * 9 * 784);
    expect(result.profile.totals.timeMs).toBeGreaterThan(0);
  }, 60_000);

  it('a sampleOnly job shows the sample asked for: the same rasters and membrane as a profile of it, and another sample charges the neurons differently', async () => {
    const run = async (options: Record<string, unknown>) => {
      const end = await ended(runner.start({ kind: 'profile', document, options }));
      expect(end.ok, end.error).toBe(true);
      return end.result;
    };
    // pixels near the middle of lif1's first two channels (28×28 each)
    const membrane = { node: 'lif1', neurons: [14 * 28 + 14, 12 * 28 + 15, 784 + 14 * 28 + 14] };
    const profiled = profileResultSchema.parse(await run({ samples: 12, batch: 5, sample: 7, membrane }));
    const seventh = sampleViewResultSchema.parse(await run({ sampleOnly: true, sample: 7, membrane }));
    expect(profiled.sample).toBe(7);
    expect(seventh).toMatchObject({ sample: 7, dataset: 'digits', checkpoint: null });
    expect(seventh.rasters).toEqual(profiled.rasters);
    expect(seventh.membrane).toEqual(profiled.membrane);
    expect(seventh.membrane!.shown).toEqual(membrane.neurons);
    const zeroth = sampleViewResultSchema.parse(await run({ sampleOnly: true, sample: 0, membrane }));
    expect(zeroth.rasters.map((r) => r.tensor)).toEqual(['lif1:out', 'lif2:out']);
    // digits 0 and 7 of the test set are different images: the middle neurons charge differently
    expect(zeroth.membrane!.membrane).not.toEqual(seventh.membrane!.membrane);
    expect(zeroth.membrane!.membrane.flat().some((h) => h !== 0)).toBe(true);

    const refused = await ended(runner.start({ kind: 'profile', document, options: { sampleOnly: true, sample: 2, membrane: { node: 'pool1' } } }));
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/"pool1" \(\w+\) is not a neuron layer/);
  }, 90_000);

  it('is cancelled between batches', async () => {
    const jobId = runner.start({ kind: 'profile', document, options: { samples: 1501, batch: 1 } });
    while (progressOf(jobId).length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(runner.cancel(jobId)).toBe(true);
    const end = await ended(jobId);
    expect(end).toMatchObject({ ok: false, cancelled: true });
    expect(progressOf(jobId).length).toBeLessThan(1501);
  }, 60_000);
});
