/**
 * The user's limits reach the jobs: a training, profile, export or import job started with limits compiles
 * under them. Lowered below what a small model needs, each job ends with the limit's located
 * problem (so the limits were carried into the job's worker, not only checked by the host), and
 * the same job without limits runs under the defaults.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioEvent } from '../../engine/api/studio-api.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { StudioHost } from '../../engine/host/studio-host.js';
import { documentWeights } from '../../engine/runtime/export/weights.js';
import { safetensorsBytes } from '../helpers/write-safetensors.js';
import { lifCnn } from '../../templates/lif-cnn.js';

type JobEnd = Extract<StudioEvent, { type: 'job-end' }>;

let dir: string;
let host: StudioHost;
const ends = new Map<string, (e: JobEnd) => void>();
const seen = new Map<string, JobEnd>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'snn-job-limits-'));
  host = await StudioHost.create({ mode: 'browser', configDir: join(dir, 'config'), pickerRoots: [dir] });
  host.onEvent((e) => {
    if (e.type !== 'job-end') return;
    seen.set(e.jobId, e);
    ends.get(e.jobId)?.(e);
  });
});

afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

function jobEnd(jobId: string): Promise<JobEnd> {
  return new Promise((resolve) => {
    const done = seen.get(jobId);
    if (done) resolve(done);
    else ends.set(jobId, resolve);
  });
}

const doc = lifCnn({ channels: [4, 8] });
const PARAMETER_LIMIT = /the model has [\d,]+ parameters .*; the limit is 100 \(limit "parameters"\)/;

describe('limits carried to jobs', () => {
  it('a training job under lowered limits is refused with the limit problem', async () => {
    const { jobId } = await host.startJob({ kind: 'train', document: doc, options: { epochs: 1, maxStepsPerEpoch: 1 }, limits: { parameters: 100 } });
    const end = await jobEnd(jobId);
    expect(end).toMatchObject({ ok: false, kind: 'train' });
    expect(end.error).toMatch(PARAMETER_LIMIT);
  }, 120_000);

  it('a profile job under lowered limits is refused; without limits it profiles', async () => {
    const refused = await jobEnd((await host.startJob({ kind: 'profile', document: doc, options: { samples: 8, batch: 8 }, limits: { parameters: 100 } })).jobId);
    expect(refused).toMatchObject({ ok: false, kind: 'profile' });
    expect(refused.error).toMatch(PARAMETER_LIMIT);
    const profiled = await jobEnd((await host.startJob({ kind: 'profile', document: doc, options: { samples: 8, batch: 8 } })).jobId);
    expect(profiled).toMatchObject({ ok: true, kind: 'profile' });
  }, 120_000);

  it('a look at one sample (sampleOnly) under lowered limits is refused; without limits it shows the sample', async () => {
    const options = { sampleOnly: true, sample: 2, batch: 8 };
    const refused = await jobEnd((await host.startJob({ kind: 'profile', document: doc, options, limits: { parameters: 100 } })).jobId);
    expect(refused).toMatchObject({ ok: false, kind: 'profile' });
    expect(refused.error).toMatch(PARAMETER_LIMIT);
    const shown = await jobEnd((await host.startJob({ kind: 'profile', document: doc, options })).jobId);
    expect(shown).toMatchObject({ ok: true, kind: 'profile', result: { sample: 2 } });
  }, 120_000);

  it('an export under lowered limits writes nothing; with limits above the model it writes the file', async () => {
    const target = join(dir, 'model.onnx');
    await host.chooseFile({ purpose: 'export', path: target });
    const refused = await jobEnd((await host.startJob({ kind: 'export', document: doc, options: { path: target, verifySamples: 0 }, limits: { parameters: 100 } })).jobId);
    expect(refused).toMatchObject({ ok: false, kind: 'export' });
    expect(refused.error).toMatch(PARAMETER_LIMIT);
    expect(existsSync(target)).toBe(false);
    const written = await jobEnd((await host.startJob({ kind: 'export', document: doc, options: { path: target, verifySamples: 8 }, limits: { parameters: 1e6 } })).jobId);
    expect(written).toMatchObject({ ok: true, kind: 'export', result: { path: target, verified: { samples: 8, samePredictions: 8 } } });
    expect(existsSync(target)).toBe(true);
  }, 120_000);

  it('an import under lowered limits is refused and leaves no run; under the defaults it imports', async () => {
    const weights = new Map([...documentWeights(doc, analyseDocument(doc))].map(([name, t]) => [name, { shape: t.shape, data: Float32Array.from(t.data, (_, i) => (i % 7) * 0.01) }]));
    const file = join(dir, 'published.safetensors');
    writeFileSync(file, safetensorsBytes(weights));
    await host.chooseFile({ purpose: 'weights', path: file });
    const runs = async () => (await host.listRuns({ documentPath: null })).length;
    const before = await runs();
    const refused = await jobEnd((await host.startJob({ kind: 'import', document: doc, options: { path: file }, limits: { parameters: 100 } })).jobId);
    expect(refused).toMatchObject({ ok: false, kind: 'import' });
    expect(refused.error).toMatch(PARAMETER_LIMIT);
    expect(await runs()).toBe(before);
    const imported = await jobEnd((await host.startJob({ kind: 'import', document: doc, options: { path: file } })).jobId);
    expect(imported).toMatchObject({ ok: true, kind: 'import', result: { mapped: weights.size } });
    expect(await runs()).toBe(before + 1);
  }, 120_000);
});
