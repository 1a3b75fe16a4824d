/**
 * Training through the host: a short run to the end with a checkpoint in the host's run folder,
 * resumed from it; dataset folders readable only once the user chose them.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainEventSchema, type StudioEvent } from '../../engine/api/studio-api.js';
import { HostError } from '../../engine/host/errors.js';
import { datasetFolder, StudioHost } from '../../engine/host/studio-host.js';
import { lifCnn } from '../../templates/lif-cnn.js';
import { cli } from '../train/helpers/cli.js';

let dir: string;
let host: StudioHost;
const events: StudioEvent[] = [];
const doc = lifCnn();

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'snn-train-')));
  host = await StudioHost.create({ mode: 'browser', configDir: join(dir, 'config'), pickerRoots: [dir] });
  host.onEvent((e) => events.push(e));
});
afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

function ended(jobId: string): Promise<Extract<StudioEvent, { type: 'job-end' }>> {
  return new Promise((resolve) => {
    const off = host.onEvent((e) => {
      if (e.type === 'job-end' && e.jobId === jobId) {
        off();
        resolve(e);
      }
    });
  });
}

const jobEvents = (jobId: string) => events.filter((e): e is Extract<StudioEvent, { type: 'job' }> => e.type === 'job' && e.jobId === jobId).map((e) => e.event);

describe('train jobs', () => {
  it('runs to the end, checkpoints in the host’s run folder, and resumes from there', async () => {
    const quick = { dataset: 'digits', batchSize: 16, maxStepsPerEpoch: 2 };
    const first = await host.startJob({ kind: 'train', document: doc, options: { ...quick, epochs: 1 } });
    const end = await ended(first.jobId);
    // a document never saved trains in the app's own runs folder, named after the document
    expect(end).toMatchObject({ ok: true, result: { run: 'lif-cnn-1', epochs: 1, steps: 2, cancelled: false } });
    const run = end.result!.run as string;
    expect(end.result!.checkpoint).toBe(join(dir, 'config', 'runs', run, 'epoch-0001.json'));
    expect(jobEvents(first.jobId).map((e) => e.type)).toEqual(['start', 'step', 'step', 'epoch', 'done']);

    const second = await host.startJob({ kind: 'train', document: doc, options: { ...quick, epochs: 2, resumeRun: run } });
    expect(await ended(second.jobId)).toMatchObject({ ok: true, result: { run, epochs: 2, steps: 4 } });
    expect(jobEvents(second.jobId)[0]).toMatchObject({ type: 'start', resumedAtEpoch: 1 });
  });

  it('lists a run the CLI wrote beside a document, and resumes it from the app', async () => {
    const folder = join(dir, 'project');
    mkdirSync(folder);
    const file = join(folder, 'net.snn.json');
    writeFileSync(file, JSON.stringify(doc));
    // the CLI without --out writes runs/<name>-<n> beside the document
    const r = await cli(['train', file, '--data', 'digits', '--epochs', '1', '--batch', '16', '--max-steps', '2', '--threads', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(await host.chooseFile({ purpose: 'open', path: file })).toMatchObject({ path: file });
    const runs = await host.listRuns({ documentPath: file });
    expect(runs.map((x) => [x.name, x.status, x.epochs, x.steps])).toEqual([['lif-cnn-1', 'finished', 1, 2]]);
    const record = await host.readRun({ documentPath: file, run: 'lif-cnn-1' });
    // the CLI's --json lines are the events the app reads back
    expect(record.events).toEqual(r.stdout.trim().split('\n').map((l) => trainEventSchema.parse(JSON.parse(l))));
    const again = await host.startJob({ kind: 'train', document: doc, options: { dataset: 'digits', batchSize: 16, maxStepsPerEpoch: 2, epochs: 2, threads: 1, documentPath: file, resumeRun: 'lif-cnn-1' } });
    expect(await ended(again.jobId)).toMatchObject({ ok: true, result: { run: 'lif-cnn-1', epochs: 2, steps: 4 } });
    expect((await host.listRuns({ documentPath: file }))[0]).toMatchObject({ epochs: 2, steps: 4, status: 'finished' });
  });

  it('refuses to resume a run it does not have', async () => {
    await expect(host.startJob({ kind: 'train', document: doc, options: { resumeRun: 'nope' } })).rejects.toMatchObject({ code: 'invalid-params' });
  });

  it('reads a dataset folder only after the user chose it', async () => {
    const data = join(dir, 'my-images');
    mkdirSync(data);
    const spec = `folder:${data}`;
    await expect(host.startJob({ kind: 'train', document: doc, options: { dataset: spec } })).rejects.toBeInstanceOf(HostError);
    // a document's own training.dataset is held to the same rule
    const withFolder = { ...doc, training: { ...doc.training, dataset: spec } };
    await expect(host.startJob({ kind: 'train', document: withFolder })).rejects.toMatchObject({ code: 'denied' });

    expect(await host.chooseFile({ purpose: 'dataset', path: data })).toEqual({ path: data, name: 'my-images' });
    const { jobId } = await host.startJob({ kind: 'train', document: withFolder, options: { epochs: 1 } });
    // allowed now; the empty folder is then the dataset's own problem, reported as the job's failure
    expect(await ended(jobId)).toMatchObject({ ok: false, error: expect.stringContaining(data) });
  });

  it('knows which dataset specs read a folder', () => {
    expect(datasetFolder('digits')).toBeNull();
    expect(datasetFolder('fashion-mnist')).toBeNull();
    expect(datasetFolder('cifar10:/data/cifar')).toBe('/data/cifar');
    expect(datasetFolder('events:/d/dvs')).toBe('/d/dvs');
    expect(datasetFolder('/data/images')).toBe('/data/images');
  });
});
