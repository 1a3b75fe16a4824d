/**
 * The StudioApi contract, as one suite that runs against each transport (the browser-mode
 * WebSocket server and the desktop IPC relay): what the renderer may rely on whichever way it talks
 * to the host. Each transport's test file supplies a harness and calls `describeStudioContract`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileResultSchema, StudioError, trainEventSchema, type FilePurpose, type FileRef, type StudioApi, type StudioEvent } from '../../engine/api/studio-api.js';

export interface ContractHarness {
  readonly api: StudioApi;
  readonly mode: 'desktop' | 'browser';
  /** A folder the user may choose files in (inside the picker's roots in browser mode). */
  readonly workDir: string;
  /** The user chooses `path` for `purpose`, the way this transport lets them: the picker, or a native dialog. */
  choose(path: string, purpose: FilePurpose): Promise<FileRef>;
  close(): Promise<void>;
}

export function describeStudioContract(transport: string, setup: () => Promise<ContractHarness>): void {
  describe(`StudioApi contract over ${transport}`, () => {
    let h: ContractHarness;
    let api: StudioApi;
    let doc: Record<string, unknown>;
    const events: StudioEvent[] = [];

    beforeAll(async () => {
      h = await setup();
      api = h.api;
      api.onEvent((e) => events.push(e));
      doc = (await api.loadTemplate({ id: 'lif-cnn' })).document as Record<string, unknown>;
    });
    afterAll(async () => h?.close());

    const rejection = async (p: Promise<unknown>) => {
      const e = await p.then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(StudioError);
      return e as StudioError;
    };
    const jobEnd = (jobId: string) =>
      new Promise<Extract<StudioEvent, { type: 'job-end' }>>((resolve) => {
        const seen = events.find((e) => e.type === 'job-end' && e.jobId === jobId);
        if (seen) return resolve(seen as Extract<StudioEvent, { type: 'job-end' }>);
        const off = api.onEvent((e) => {
          if (e.type === 'job-end' && e.jobId === jobId) {
            off();
            resolve(e);
          }
        });
      });

    it('describes itself', async () => {
      const caps = await api.capabilities();
      expect(caps.mode).toBe(h.mode);
      expect(caps.nativeDialogs).toBe(h.mode === 'desktop');
      expect(caps.jobKinds).toEqual(expect.arrayContaining(['train', 'profile', 'export']));
    });

    it('lists the gallery, each template with an SVG thumbnail drawn from its graph', async () => {
      const templates = await api.listTemplates();
      expect(templates.map((t) => t.id)).toContain('lif-cnn');
      for (const t of templates) {
        expect(t.presets.length).toBeGreaterThan(0);
        expect(t.thumbnail).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>.*<rect .*<\/svg>$/s);
      }
    });

    it('loads a template as a valid document, and refuses an unknown one', async () => {
      const opened = await api.loadTemplate({ id: 'lif-cnn' });
      expect(opened.file).toBeNull();
      const v = await api.validate({ document: opened.document });
      expect(v).toMatchObject({ ok: true, problems: [] });
      expect(v.paramCount).toBeGreaterThan(0);
      expect((await rejection(api.loadTemplate({ id: 'no-such-template' }))).code).toBe('invalid-params');
    });

    it('lists template options and builds with them; an option a template does not offer is refused by name', async () => {
      const qk = (await api.listTemplates()).find((t) => t.id === 'qkformer')!;
      expect(qk.options?.map((o) => o.name)).toEqual(['releasedCode']);
      const released = (await api.loadTemplate({ id: 'qkformer', preset: 'tiny', options: { releasedCode: true } })).document as { name: string; meta: Record<string, unknown> };
      expect(released.name).toMatch(/\(released code\)$/);
      expect(released.meta.templateOptions).toEqual({ releasedCode: true });
      expect(await api.validate({ document: released })).toMatchObject({ ok: true });
      const refused = await rejection(api.loadTemplate({ id: 'lif-cnn', options: { releasedCode: true } }));
      expect(refused.code).toBe('invalid-params');
      expect(refused.message).toMatch(/template "lif-cnn" has no option "releasedCode"/);
    });

    it('validates and compiles, with located problems for a broken graph', async () => {
      const compiled = await api.compile({ document: doc, batch: 2 });
      expect(compiled.ok).toBe(true);
      expect(compiled.bytes).toBeGreaterThan(1000);
      expect(compiled.inputShape[0]).toBe(2);
      expect(compiled.outputShape).toEqual([2, 10]);

      const broken = { ...doc, edges: [...(doc.edges as unknown[]), { source: 'fc', target: 'ghost' }] };
      const v = await api.validate({ document: broken });
      expect(v.ok).toBe(false);
      expect(v.problems).toContainEqual(expect.objectContaining({ severity: 'error', path: expect.stringMatching(/^edges\[\d+\]\.target$/) }));
      expect((await api.compile({ document: broken })).ok).toBe(false);
      expect((await api.validate({ document: { format: 'nonsense' } })).ok).toBe(false);
    });

    it('saves atomically to a chosen file, opens it again, and remembers it in recent files', async () => {
      const target = await h.choose(join(h.workDir, 'first-net'), 'save');
      expect(target.path).toBe(join(h.workDir, 'first-net.snn.json'));
      const saved = await api.saveDocument({ document: doc, path: target.path });
      expect(saved).toEqual({ path: target.path, name: 'first-net.snn.json' });
      expect(JSON.parse(readFileSync(target.path, 'utf8'))).toEqual(doc);
      expect(readdirSync(h.workDir).filter((f) => f.includes('.tmp-'))).toEqual([]);

      const opened = await api.openDocument({ path: target.path });
      expect(opened).toEqual({ file: saved, document: doc });
      expect(await api.recentFiles()).toContainEqual(saved);
      expect(events).toContainEqual({ type: 'recent-files', files: expect.arrayContaining([saved]) });
    });

    it('refuses every path the user did not choose', async () => {
      const planted = join(h.workDir, 'planted.snn.json');
      writeFileSync(planted, JSON.stringify(doc));
      expect((await rejection(api.openDocument({ path: planted }))).code).toBe('denied');
      const elsewhere = join(h.workDir, 'not-chosen.snn.json');
      expect((await rejection(api.saveDocument({ document: doc, path: elsewhere }))).code).toBe('denied');
      expect(existsSync(elsewhere)).toBe(false);
      expect((await rejection(api.autosave({ document: doc, path: elsewhere }))).code).toBe('denied');
      const onnx = join(h.workDir, 'not-chosen.onnx');
      expect((await rejection(api.startJob({ kind: 'export', document: doc, options: { path: onnx } }))).code).toBe('denied');
      // a document choice does not open the way to an export, nor the reverse
      const chosenDoc = await h.choose(join(h.workDir, 'kinds.snn.json'), 'save');
      expect((await rejection(api.startJob({ kind: 'export', document: doc, options: { path: chosenDoc.path } }))).code).toBe('denied');
      expect(existsSync(onnx)).toBe(false);
      // a dataset folder is read only if the user chose it
      expect((await rejection(api.startJob({ kind: 'train', document: doc, options: { dataset: `folder:${h.workDir}` } }))).code).toBe('denied');
    });

    it('autosaves to a recovery file, recovers it, and drops it once the document is saved', async () => {
      await api.discardAutosave();
      expect(await api.recoverAutosave()).toBeNull();
      const edited = { ...doc, name: 'edited, unsaved' };
      const { savedAt } = await api.autosave({ document: edited, path: null });
      expect(await api.recoverAutosave()).toEqual({ document: edited, path: null, savedAt });
      expect(await api.discardAutosave()).toEqual({ discarded: true });
      expect(await api.recoverAutosave()).toBeNull();

      const file = await h.choose(join(h.workDir, 'autosaved'), 'save');
      await api.autosave({ document: edited, path: file.path });
      expect((await api.recoverAutosave())?.path).toBe(file.path);
      await api.saveDocument({ document: edited, path: file.path });
      expect(await api.recoverAutosave()).toBeNull();
    });

    it('runs a profile job, streaming its progress, and ends it once', async () => {
      const { jobId } = await api.startJob({ kind: 'profile', document: doc, options: { samples: 24, batch: 8 } });
      const end = await jobEnd(jobId);
      expect(end).toMatchObject({ ok: true, kind: 'profile', result: { samples: 24, batch: 8, weights: 'seeded' } });
      expect(profileResultSchema.safeParse(end.result).success).toBe(true);
      const mine = events.filter((e) => e.type === 'job' && e.jobId === jobId).map((e) => (e as Extract<StudioEvent, { type: 'job' }>).event);
      expect(mine.filter((e) => e.type === 'progress').map((e) => e.type === 'progress' && e.done)).toEqual([8, 16, 24]);
      expect(mine.filter((e) => e.type === 'phase').map((e) => e.type === 'phase' && e.phase)).toEqual(['data', 'profile']);
      expect(events.filter((e) => e.type === 'job-end' && e.jobId === jobId)).toHaveLength(1);
    });

    it('cancels a running job', async () => {
      const { jobId } = await api.startJob({ kind: 'profile', document: doc, options: { samples: 2000, batch: 1 } });
      await new Promise<void>((resolve) => {
        const off = api.onEvent((e) => {
          if (e.type === 'job' && e.jobId === jobId && e.event.type === 'progress') {
            off();
            resolve();
          }
        });
      });
      expect(await api.cancelJob({ jobId })).toEqual({ cancelled: true });
      expect(await jobEnd(jobId)).toMatchObject({ ok: false, cancelled: true });
      expect(await api.cancelJob({ jobId })).toEqual({ cancelled: false });
    });

    it('streams a training run, and stops it at a step boundary when cancelled', async () => {
      const { jobId } = await api.startJob({ kind: 'train', document: doc, options: { dataset: 'digits', epochs: 1, batchSize: 8 } });
      await new Promise<void>((resolve) => {
        const off = api.onEvent((e) => {
          if (e.type === 'job' && e.jobId === jobId && e.event.type === 'step') {
            off();
            resolve();
          }
        });
      });
      await api.cancelJob({ jobId });
      expect(await jobEnd(jobId)).toMatchObject({ ok: false, cancelled: true, kind: 'train' });
      const mine = events.filter((e) => e.type === 'job' && e.jobId === jobId).map((e) => (e as Extract<StudioEvent, { type: 'job' }>).event);
      expect(mine[0]).toMatchObject({ type: 'start', dataset: 'digits', batchSize: 8, parameters: expect.any(Number) });
      expect(mine[1]).toMatchObject({ type: 'step', step: 1, loss: expect.any(Number) });
      expect(mine.at(-1)).toMatchObject({ type: 'done', cancelled: true });
    });

    it('exports the ONNX model to a chosen file', async () => {
      const target = await h.choose(join(h.workDir, 'model'), 'export');
      expect(target.path).toBe(join(h.workDir, 'model.onnx'));
      const { jobId } = await api.startJob({ kind: 'export', document: doc, options: { path: target.path } });
      const end = await jobEnd(jobId);
      expect(end).toMatchObject({ ok: true, result: { path: target.path } });
      expect(readFileSync(target.path).length).toBe(end.result?.bytes);
    });

    it('keeps a run beside the saved document: lists it, reads its events back, pauses, resumes, renames and deletes it', async () => {
      const file = await h.choose(join(h.workDir, 'runs-doc'), 'save');
      await api.saveDocument({ document: doc, path: file.path });
      const quick = { dataset: 'digits', batchSize: 8, maxStepsPerEpoch: 3, epochs: 1, documentPath: file.path };
      const { jobId } = await api.startJob({ kind: 'train', document: doc, options: quick });
      // pause after the first step: the run holds, says so, and goes on when resumed
      await new Promise<void>((resolve) => {
        const off = api.onEvent((e) => {
          if (e.type === 'job' && e.jobId === jobId && e.event.type === 'step') {
            off();
            resolve();
          }
        });
      });
      expect(await api.pauseJob({ jobId })).toEqual({ paused: true });
      const running = await api.listRuns({ documentPath: file.path });
      expect(running.map((r) => [r.name, r.status])).toEqual([['lif-cnn-1', 'running']]);
      expect(running[0]!.path).toBe(join(h.workDir, 'runs', 'lif-cnn-1'));
      await new Promise<void>((resolve) => {
        const check = () => events.some((e) => e.type === 'job' && e.jobId === jobId && e.event.type === 'paused');
        if (check()) return resolve();
        const off = api.onEvent(() => check() && (off(), resolve()));
      });
      expect(await api.resumeJob({ jobId })).toEqual({ resumed: true });
      const end = await jobEnd(jobId);
      expect(end).toMatchObject({ ok: true, result: { run: 'lif-cnn-1', epochs: 1, steps: 3 } });
      const mine = events.filter((e) => e.type === 'job' && e.jobId === jobId).map((e) => (e as Extract<StudioEvent, { type: 'job' }>).event);
      // the pause lands at the next step boundary after the request: no step between paused and resumed
      const order = mine.map((e) => e.type).join(' ');
      expect(order).toMatch(/^start step (step )?paused resumed (step )+epoch done$/);
      expect(mine.filter((e) => e.type === 'step')).toHaveLength(3);
      // every streamed event fits its schema, and the run folder holds the same ones
      for (const e of mine) expect(trainEventSchema.safeParse(e).success).toBe(true);
      const record = await api.readRun({ documentPath: file.path, run: 'lif-cnn-1' });
      expect(record.events.map((e) => e.type)).toEqual(mine.map((e) => e.type));
      expect(record.summary).toMatchObject({ status: 'finished', epochs: 1, steps: 3, latestCheckpoint: join(h.workDir, 'runs', 'lif-cnn-1', 'epoch-0001.json') });
      expect(record.document).toEqual(doc);

      expect(await api.renameRun({ documentPath: file.path, run: 'lif-cnn-1', label: 'baseline' })).toMatchObject({ label: 'baseline' });
      expect((await api.listRuns({ documentPath: file.path })).map((r) => r.label)).toEqual(['baseline']);
      // a run name is a folder name, never a path
      expect((await rejection(api.readRun({ documentPath: file.path, run: '../config' }))).code).toBe('invalid-params');
      expect((await rejection(api.listRuns({ documentPath: join(h.workDir, 'not-chosen.snn.json') }))).code).toBe('denied');
      expect(await api.deleteRun({ documentPath: file.path, run: 'lif-cnn-1' })).toEqual({ deleted: true });
      expect(await api.listRuns({ documentPath: file.path })).toEqual([]);
    });

    it('exports a run\'s trained weights and checks the written file against the training engine', async () => {
      const { jobId: trainId } = await api.startJob({ kind: 'train', document: doc, options: { dataset: 'digits', batchSize: 16, maxStepsPerEpoch: 4, epochs: 1 } });
      const trained = await jobEnd(trainId);
      expect(trained.ok).toBe(true);
      const run = trained.result!.run as string;
      const target = await h.choose(join(h.workDir, 'trained'), 'export');
      const { jobId } = await api.startJob({ kind: 'export', document: doc, options: { path: target.path, run, documentPath: null } });
      const end = await jobEnd(jobId);
      expect(end, end.error).toMatchObject({ ok: true, result: { path: target.path, checkpoint: trained.result!.checkpoint, verified: { samples: 32, samePredictions: 32 } } });
      expect((end.result!.verified as { maxAbsDiff: number }).maxAbsDiff).toBeLessThan(1e-4);
    });

    it('profiles a run\'s trained weights, and reads a dataset folder only once the user chose it', async () => {
      const runs = await api.listRuns({ documentPath: null });
      const trained = runs.find((r) => r.latestCheckpoint !== null);
      expect(trained).toBeDefined();
      const { jobId } = await api.startJob({ kind: 'profile', document: doc, options: { samples: 16, batch: 8, run: trained!.name, documentPath: null } });
      const end = await jobEnd(jobId);
      expect(end, end.error).toMatchObject({ ok: true, result: { weights: 'checkpoint', checkpoint: trained!.latestCheckpoint, samples: 16 } });
      const folder = join(h.workDir, 'unchosen-data');
      mkdirSync(folder, { recursive: true });
      expect((await rejection(api.startJob({ kind: 'profile', document: doc, options: { dataset: `folder:${folder}` } }))).code).toBe('denied');
      expect((await rejection(api.startJob({ kind: 'profile', document: doc, options: { run: 'no-such-run', documentPath: null } }))).code).toBe('invalid-params');
    });

    it('previews a dataset before a run, and refuses a folder that is not one when it is picked', async () => {
      const digits = await api.previewDataset({ dataset: 'digits' });
      expect(digits).toMatchObject({ name: 'digits', classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], sampleShape: [1, 28, 28] });
      expect(digits.trainSamples + digits.testSamples).toBe(10_000);
      expect(digits.samples).toHaveLength(16);
      // spread over the classes, in class order, each a 28×28 grey image with ink on it
      expect(new Set(digits.samples.map((x) => x.label)).size).toBe(10);
      expect(digits.samples.map((x) => x.label)).toEqual([...digits.samples.map((x) => x.label)].sort((a, b) => a - b));
      for (const x of digits.samples) {
        const px = Buffer.from(x.pixels, 'base64');
        expect([x.width, x.height, x.channels, px.length]).toEqual([28, 28, 1, 784]);
        expect(Math.max(...px)).toBeGreaterThan(200);
      }
      const notData = join(h.workDir, 'holiday-photos');
      mkdirSync(notData, { recursive: true });
      writeFileSync(join(notData, 'readme.txt'), 'not a dataset');
      expect((await rejection(api.previewDataset({ dataset: notData }))).code).toBe('denied');
      await h.choose(notData, 'dataset');
      const refused = await rejection(api.previewDataset({ dataset: notData }));
      expect(refused.code).toBe('failed');
      expect(refused.message).toContain('cannot tell the dataset format');
    });

    it('writes a chart and a metrics table only to files chosen for them', async () => {
      const csv = await h.choose(join(h.workDir, 'metrics'), 'metrics');
      expect(csv.path).toBe(join(h.workDir, 'metrics.csv'));
      await api.writeArtifact({ path: csv.path, kind: 'metrics', data: 'step,loss\n1,2.3\n' });
      expect(readFileSync(csv.path, 'utf8')).toBe('step,loss\n1,2.3\n');
      const png = await h.choose(join(h.workDir, 'chart'), 'image');
      // a 1×1 PNG
      const onePixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
      await api.writeArtifact({ path: png.path, kind: 'image', data: onePixel });
      expect(readFileSync(png.path).subarray(1, 4).toString()).toBe('PNG');
      expect((await rejection(api.writeArtifact({ path: png.path, kind: 'image', data: Buffer.from('<svg/>').toString('base64') }))).code).toBe('invalid-params');
      expect((await rejection(api.writeArtifact({ path: join(h.workDir, 'other.csv'), kind: 'metrics', data: 'x' }))).code).toBe('denied');
    });

    it('answers bad params and unavailable work with error replies, and keeps serving', async () => {
      expect((await rejection(api.compile({ document: doc, batch: -1 }))).code).toBe('invalid-params');
      expect((await rejection(api.validate({ document: 'not a document' }))).code).toBe('invalid-params');
      expect((await rejection(api.saveDocument({ document: { format: 'nonsense' }, saveAs: true }))).code).toBe('invalid-params');
      expect((await rejection(api.startJob({ kind: 'train', document: doc, options: { optimizer: 'magic' as 'adam' } }))).code).toBe('invalid-params');
      expect((await rejection((api as any).loadTemplate({ id: 'lif-cnn', extra: true }))).code).toBe('invalid-params');
      expect((await api.capabilities()).mode).toBe(h.mode);
    });
  });
}
