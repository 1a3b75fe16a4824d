/**
 * The StudioApi contract, as one suite that runs against each transport (the browser-mode
 * WebSocket server and the desktop IPC relay): what the renderer may rely on whichever way it talks
 * to the host. Each transport's test file supplies a harness and calls `describeStudioContract`.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioError, type FilePurpose, type FileRef, type StudioApi, type StudioEvent } from '../../engine/api/studio-api.js';

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
      const { jobId } = await api.startJob({ kind: 'profile', document: doc, options: { iterations: 3, warmup: 1 } });
      const end = await jobEnd(jobId);
      expect(end).toMatchObject({ ok: true, kind: 'profile', result: { iterations: 3, batch: 1, inputShape: [1, 1, 28, 28] } });
      expect(end.result?.meanMs).toBeGreaterThan(0);
      const mine = events.filter((e) => e.type === 'job' && e.jobId === jobId).map((e) => (e as Extract<StudioEvent, { type: 'job' }>).event);
      expect(mine.filter((e) => e.type === 'progress').map((e) => e.done)).toEqual([1, 2, 3]);
      expect(mine.filter((e) => e.type === 'phase').map((e) => e.phase)).toEqual(['compile', 'session']);
      expect(events.filter((e) => e.type === 'job-end' && e.jobId === jobId)).toHaveLength(1);
    });

    it('cancels a running job', async () => {
      const { jobId } = await api.startJob({ kind: 'profile', document: doc, options: { iterations: 10_000 } });
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
