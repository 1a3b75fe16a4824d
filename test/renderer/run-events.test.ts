/**
 * The run panel following the host's training events, against a host stand-in that sends events
 * as the real one does: before startJob's reply arrives (they are kept and replayed into the run),
 * for a run started from another tab or before a reload (the panel follows it, with its history
 * read from the run folder), and a job that ends with an error outside the run's own events.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunRecord, RunSummary } from '../../engine/api/runs.js';
import type { StudioEvent, TrainEvent } from '../../engine/api/studio-api.js';
import { cnn } from './fixtures.js';

type Listener = (e: StudioEvent) => void;
const host = vi.hoisted(() => ({
  listeners: new Set<(e: unknown) => void>(),
  runs: [] as unknown[],
  records: new Map<string, unknown>(),
  /** Runs inside startJob before it replies: the host's first events race its answer. */
  beforeReply: (() => undefined) as () => void,
}));

vi.mock('../../renderer/src/api.js', () => ({
  errorMessage: (e: unknown) => (e instanceof Error ? e.message : String(e)),
  hostCapabilities: async () => ({ nativeDialogs: false }),
  studio: () => ({
    onEvent: (l: (e: unknown) => void) => {
      host.listeners.add(l);
      return () => host.listeners.delete(l);
    },
    startJob: async () => {
      host.beforeReply();
      return { jobId: 'job-1' };
    },
    listRuns: async () => host.runs,
    readRun: async ({ run }: { run: string }) => host.records.get(run),
  }),
}));

const { installRunEvents } = await import('../../renderer/src/run/run-events.js');
const { resumeStoredRun, startTraining } = await import('../../renderer/src/run/train-actions.js');
const { useRunStore } = await import('../../renderer/src/run/run-store.js');
const { loadDocument, getDocument } = await import('../../renderer/src/state/document-store.js');

const send = (e: StudioEvent) => host.listeners.forEach((l) => (l as Listener)(e));
const train = (jobId: string, event: TrainEvent) => send({ type: 'job', jobId, kind: 'train', event });
const start: TrainEvent = { type: 'start', dataset: 'digits', trainSamples: 64, testSamples: 16, epochs: 1, stepsPerEpoch: 4, batchSize: 16, threads: 1, parameters: 10, setupMs: 1 };
const step = (n: number): TrainEvent => ({ type: 'step', epoch: 0, batch: n - 1, step: n, loss: 1 / n, accuracy: 0.5, lr: 0.01, imagesPerSecond: 100, msPerStep: 10, etaSeconds: 4 - n, firingRates: { lif: 0.1 } });
const summary = (name: string, status: RunSummary['status']): RunSummary => ({
  name,
  label: name,
  path: `/runs/${name}`,
  createdAt: '2026-01-01T00:00:00Z',
  status,
  epochs: 0,
  plannedEpochs: 1,
  steps: 2,
  testAccuracy: null,
  bestTestAccuracy: null,
  latestCheckpoint: null,
  documentHash: 'another document',
});
const settle = () => new Promise((r) => setTimeout(r, 0));

let uninstall: () => void;
beforeEach(() => {
  loadDocument(cnn());
  useRunStore.setState({ live: null, starting: false, startError: null, runs: [], viewed: null, overlay: null });
  host.runs = [];
  host.records.clear();
  host.beforeReply = () => undefined;
  uninstall = installRunEvents();
});
afterEach(() => uninstall());

describe('the live run', () => {
  it('keeps events sent before startJob replied and replays them into the run, then learns its folder', async () => {
    host.runs = [summary('cnn-1', 'running')];
    host.beforeReply = () => {
      train('job-1', start);
      train('job-1', step(1));
    };
    const sent = getDocument();
    await startTraining();
    train('job-1', step(2));
    await settle();
    const live = useRunStore.getState().live!;
    expect(live.jobId).toBe('job-1');
    expect(live.document).toBe(sent);
    expect(live.events.map((e) => e.type)).toEqual(['start', 'step', 'step']);
    expect(live.curves.x).toEqual([1, 2]);
    expect(live.runName).toBe('cnn-1');
  });

  it('shows a job that ended with an error of its own, and ignores other jobs', async () => {
    await startTraining();
    train('job-1', start);
    send({ type: 'job-end', jobId: 'job-other', kind: 'train', ok: false, error: 'not this one' });
    expect(useRunStore.getState().live!.phase).toBe('running');
    send({ type: 'job-end', jobId: 'job-1', kind: 'train', ok: false, error: 'the worker exited (out of memory)' });
    expect(useRunStore.getState().live).toMatchObject({ phase: 'ended', error: 'the worker exited (out of memory)' });
  });
});

describe('a resumed run', () => {
  it('draws on from the steps already in its folder, the steps it trains again replacing the old ones', async () => {
    const stopped = summary('cnn-3', 'stopped');
    host.runs = [stopped];
    host.records.set('cnn-3', { summary: stopped, settings: {}, events: [start, step(1), step(2), step(3)], document: cnn() } satisfies RunRecord);
    await resumeStoredRun('cnn-3');
    // its checkpoint is at step 2: step 3 is trained again
    train('job-1', { ...start, resumedAtEpoch: 0, resumedAtBatch: 2 } as TrainEvent);
    train('job-1', { ...step(3), loss: 9 } as TrainEvent);
    train('job-1', step(4));
    const live = useRunStore.getState().live!;
    expect(live.runName).toBe('cnn-3');
    expect(live.curves.x).toEqual([1, 2, 3, 4]);
    expect(live.curves.columns.loss).toEqual([1, 0.5, 9, 0.25]);
  });
});

describe('a run the window did not start', () => {
  it('is followed from its next event, with the steps before read from its folder', async () => {
    host.runs = [summary('cnn-2', 'running')];
    const record: RunRecord = { summary: summary('cnn-2', 'running'), settings: {}, events: [start, step(1), step(2)], document: cnn() };
    host.records.set('cnn-2', record);
    train('job-7', step(3));
    train('job-7', step(4));
    await vi.waitFor(() => expect(useRunStore.getState().live?.runName).toBe('cnn-2'));
    const live = useRunStore.getState().live!;
    expect(live.jobId).toBe('job-7');
    expect(live.curves.x).toEqual([1, 2, 3, 4]);
    expect(live.events.filter((e) => e.type === 'step')).toHaveLength(4);
    // it trains another version of the document than the open one: marked as edited
    expect(live.document).not.toBe(getDocument());
  });
});
