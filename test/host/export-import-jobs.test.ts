/**
 * Export and import through the host, as the app's File menu drives them: a PyTorch folder and a
 * NIR file written by the export job to paths the user chose (each file reported with its size),
 * the export lint refusing Spikformer's attention for NIR with nothing written, a weights file
 * imported as a new run of the document that the run list shows and export reads, and a file that
 * does not fit refused with each mismatch named and no run left behind. Every new message is
 * checked at the boundary.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFilesResultSchema, importResultSchema, requestSchemas, type FilePurpose, type FileRef, type StudioEvent } from '../../engine/api/studio-api.js';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { createDispatcher } from '../../engine/host/dispatch.js';
import { StudioHost } from '../../engine/host/studio-host.js';
import { loadCheckpoint } from '../../engine/runtime/checkpoint/index.js';
import { documentWeights } from '../../engine/runtime/export/weights.js';
import { buildTemplate } from '../../templates/index.js';
import { lifCnn } from '../../templates/lif-cnn.js';
import { smallCnn } from '../export/docs.js';
import { FakeDialogs } from '../electron/fake-electron.js';
import { safetensorsBytes } from '../helpers/write-safetensors.js';

let dir: string;
let host: StudioHost;
const doc = lifCnn();
/** lif-cnn max-pools, which NIR cannot hold: NIR goes through an average-pooling CNN. */
const nirDoc = smallCnn();

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'snn-export-host-')));
  host = await StudioHost.create({ mode: 'browser', configDir: join(dir, 'config'), pickerRoots: [dir] });
});
afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The user's pick in the browser-mode picker (the host grants it); never cancelled here. */
async function choose(p: { purpose: FilePurpose; path: string }): Promise<FileRef> {
  const chosen = await host.chooseFile(p);
  if (chosen === null) throw new Error(`no file chosen for ${p.path}`);
  return chosen;
}

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

/** The document's parameters with values of this test's own (a sine per tensor), by engine name. */
function ownWeights(doc: GraphDocument): Map<string, { shape: readonly number[]; data: Float32Array }> {
  const analysis = analyseDocument(doc);
  const out = new Map<string, { shape: readonly number[]; data: Float32Array }>();
  let k = 0;
  for (const [name, t] of documentWeights(doc, analysis)) {
    k += 1;
    out.set(name, { shape: t.shape, data: Float32Array.from({ length: t.data.length }, (_, i) => Math.sin(k * 7 + i * 0.01) * 0.1) });
  }
  return out;
}

describe('export jobs (PyTorch, NIR)', () => {
  it('writes a PyTorch folder the user chose and reports each file with its size', async () => {
    const target = await choose({ purpose: 'pytorch', path: join(dir, 'lif-pytorch') });
    // a folder: no extension is forced on its name
    expect(target.path).toBe(join(dir, 'lif-pytorch'));
    const { jobId } = await host.startJob({ kind: 'export', document: doc, options: { path: target.path, format: 'pytorch' } });
    const end = await ended(jobId);
    expect(end, end.error).toMatchObject({ ok: true, kind: 'export' });
    const result = exportFilesResultSchema.parse(end.result);
    expect(result.checkpoint).toBeNull();
    expect(result.files.map((f) => f.path.slice(target.path.length + 1)).sort()).toEqual(['README.md', 'model.py', 'safetensors_reader.py', 'train.py', 'weights.safetensors']);
    for (const f of result.files) expect(f.bytes).toBe(statSync(f.path).size);
    const model = readFileSync(join(target.path, 'model.py'), 'utf8');
    expect(model).toMatch(/^class \w+\(nn\.Module\):/m);
    expect(model).toContain('class Model(nn.Module)');
    // the weights file's own header names every parameter of the document, with its shape
    const bytes = readFileSync(join(target.path, 'weights.safetensors'));
    const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8')) as Record<string, { shape?: number[] }>;
    const expected = [...documentWeights(doc, analyseDocument(doc))].map(([name, t]) => [name, [...t.shape]]);
    expect(Object.entries(header).filter(([k]) => k !== '__metadata__').map(([k, v]) => [k, v.shape]).sort()).toEqual(expected.sort());
  });

  it('refuses to replace a folder that holds something other than an earlier export', async () => {
    const folder = join(dir, 'mine');
    mkdirSync(folder);
    writeFileSync(join(folder, 'notes.txt'), 'keep me');
    const target = await choose({ purpose: 'pytorch', path: folder });
    await expect(host.startJob({ kind: 'export', document: doc, options: { path: target.path, format: 'pytorch' } })).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringContaining('no model.py of an earlier export') });
    expect(readdirSync(folder)).toEqual(['notes.txt']);
    // an earlier export is replaced whole
    const again = await choose({ purpose: 'pytorch', path: join(dir, 'lif-pytorch') });
    const end = await ended((await host.startJob({ kind: 'export', document: doc, options: { path: again.path, format: 'pytorch' } })).jobId);
    expect(end.ok, end.error).toBe(true);
  });

  it('writes a NIR file that h5wasm reads back into the graph’s node and edges groups', async () => {
    const target = await choose({ purpose: 'nir', path: join(dir, 'lif') });
    expect(target.path).toBe(join(dir, 'lif.nir'));
    const refused = await ended((await host.startJob({ kind: 'export', document: doc, options: { path: target.path, format: 'nir' } })).jobId);
    expect(refused.error).toMatch(/^cannot export to nir: 2 nodes the format cannot hold\npool1 \(maxpool2d\): max pooling/);
    expect(existsSync(target.path)).toBe(false);
    const end = await ended((await host.startJob({ kind: 'export', document: nirDoc, options: { path: target.path, format: 'nir' } })).jobId);
    expect(end.ok, end.error).toBe(true);
    const result = exportFilesResultSchema.parse(end.result);
    expect(result.files).toEqual([{ path: target.path, bytes: statSync(target.path).size }]);
    await h5wasm.ready;
    const file = new h5wasm.File(target.path, 'r');
    try {
      const graph = file.get('node') as InstanceType<typeof h5wasm.Group>;
      expect(graph.keys()).toEqual(expect.arrayContaining(['nodes', 'edges', 'type']));
      const nodes = (graph.get('nodes') as InstanceType<typeof h5wasm.Group>).keys();
      expect(nodes).toEqual(expect.arrayContaining(['input', 'output', 'conv1', 'lif1', 'pool1', 'fc']));
      expect((graph.get('edges') as InstanceType<typeof h5wasm.Dataset>).shape?.[1]).toBe(2);
    } finally {
      file.close();
    }
  });

  it('refuses Spikformer for NIR with the lint, and writes nothing', async () => {
    const spikformer = buildTemplate('spikformer', 'tiny');
    const target = await choose({ purpose: 'nir', path: join(dir, 'spikformer.nir') });
    const end = await ended((await host.startJob({ kind: 'export', document: spikformer, options: { path: target.path, format: 'nir' } })).jobId);
    expect(end.ok).toBe(false);
    expect(end.error).toMatch(/^cannot export to nir: \d+ nodes the format cannot hold/);
    expect(end.error).toMatch(/attn/);
    expect(existsSync(target.path)).toBe(false);
  });
});

describe('import jobs', () => {
  it('imports a safetensors file as a new run that the run list shows and an export reads', async () => {
    const weights = ownWeights(nirDoc);
    writeFileSync(join(dir, 'published.safetensors'), safetensorsBytes(weights));
    const file = await choose({ purpose: 'weights', path: join(dir, 'published.safetensors') });
    const before = await host.listRuns({ documentPath: null });
    const end = await ended((await host.startJob({ kind: 'import', document: nirDoc, options: { path: file.path, documentPath: null } })).jobId);
    expect(end, end.error).toMatchObject({ ok: true, kind: 'import' });
    const report = importResultSchema.parse(end.result);
    expect(report).toMatchObject({ format: 'safetensors', mapped: weights.size, renamed: [], ignored: [], file: file.path });
    expect(report.run).toMatchObject({ label: 'Imported published.safetensors', status: 'finished', epochs: 0 });

    const runs = await host.listRuns({ documentPath: null });
    expect(runs.length).toBe(before.length + 1);
    const run = runs.find((r) => r.name === report.run.name)!;
    expect(run.latestCheckpoint).toBe(report.run.latestCheckpoint);
    const saved = await loadCheckpoint(run.latestCheckpoint!);
    for (const [name, t] of weights) expect(Array.from(saved.tensors.get(name)!.data as Float32Array), name).toEqual(Array.from(t.data));

    // the imported run's weights go out with an export
    const target = await choose({ purpose: 'nir', path: join(dir, 'imported.nir') });
    const exported = await ended((await host.startJob({ kind: 'export', document: nirDoc, options: { path: target.path, format: 'nir', run: run.name, documentPath: null } })).jobId);
    expect(exported.ok, exported.error).toBe(true);
    expect(exportFilesResultSchema.parse(exported.result).checkpoint).toBe(run.latestCheckpoint);
  });

  it('refuses a file that does not fit, naming each mismatch, and leaves no run behind', async () => {
    const weights = ownWeights(doc);
    const [first] = weights.keys();
    const bad = new Map(weights);
    bad.set(first!, { shape: [3], data: new Float32Array(3) });
    bad.set('head.extra.weight', { shape: [2], data: new Float32Array(2) });
    writeFileSync(join(dir, 'other.safetensors'), safetensorsBytes(bad));
    const file = await choose({ purpose: 'weights', path: join(dir, 'other.safetensors') });
    const before = readdirSync(join(dir, 'config', 'runs'));
    const end = await ended((await host.startJob({ kind: 'import', document: doc, options: { path: file.path } })).jobId);
    expect(end.ok).toBe(false);
    expect(end.error).toContain(file.path);
    expect(end.error).toMatch(new RegExp(`${first!.replace(/\./g, '\\.')}: \\[3\\] in the file, \\[[\\d,]+\\] in the document`));
    expect(end.error).toContain('head.extra.weight');
    expect(readdirSync(join(dir, 'config', 'runs'))).toEqual(before);
  });

  it('reads only a weights file the user chose, and the picker offers only weights files', async () => {
    writeFileSync(join(dir, 'net.snn.json'), JSON.stringify(doc));
    await expect(host.startJob({ kind: 'import', document: doc, options: { path: join(dir, 'published.safetensors') + '.nope' } })).rejects.toMatchObject({ code: 'denied' });
    await expect(host.chooseFile({ purpose: 'weights', path: join(dir, 'net.snn.json') })).rejects.toMatchObject({ code: 'denied', message: expect.stringContaining('only weights files') });
    const listing = await host.browseFiles({ dir, purpose: 'weights' });
    expect(listing.entries.filter((e) => e.kind === 'file').map((e) => e.name).sort()).toEqual(['other.safetensors', 'published.safetensors']);
    // a document chosen to open is not a weights file to import
    const opened = await choose({ purpose: 'open', path: join(dir, 'net.snn.json') });
    await expect(host.startJob({ kind: 'import', document: doc, options: { path: opened.path } })).rejects.toMatchObject({ code: 'denied' });
  });

  it('refuses messages that do not fit the new schemas, with the field named', async () => {
    const dispatch = createDispatcher(host);
    const bad = [
      { kind: 'export', document: doc, options: { path: '/x', format: 'tflite' } },
      { kind: 'import', document: doc, options: { path: '/x', run: 'r' } },
      { kind: 'import', document: doc, options: {} },
    ];
    for (const params of bad) {
      expect(requestSchemas.startJob.safeParse(params).success).toBe(false);
      const reply = await dispatch({ id: 1, method: 'startJob', params });
      expect(reply, JSON.stringify(params.options)).toMatchObject({ ok: false, code: 'invalid-params', error: expect.stringMatching(/options/) });
    }
  });
});

describe('the desktop’s native dialogs for export and import', () => {
  it('opens weights with an open dialog and saves NIR and PyTorch targets with the right names, each granted for its use', async () => {
    const dialogs = new FakeDialogs();
    const desktop = await StudioHost.create({ mode: 'desktop', configDir: join(dir, 'desktop-config'), dialogs });
    try {
      writeFileSync(join(dir, 'desk.safetensors'), safetensorsBytes(ownWeights(nirDoc)));
      dialogs.answers.push(join(dir, 'desk.safetensors'), join(dir, 'desk'), join(dir, 'desk-pytorch'));
      const weights = await desktop.chooseFile({ purpose: 'weights' });
      const nir = await desktop.chooseFile({ purpose: 'nir', path: 'lif.nir' });
      const pytorch = await desktop.chooseFile({ purpose: 'pytorch', path: 'lif-pytorch' });
      expect(dialogs.asked).toEqual([
        { type: 'open', purpose: 'weights' },
        { type: 'save', purpose: 'nir', suggestedName: 'lif.nir' },
        { type: 'save', purpose: 'pytorch', suggestedName: 'lif-pytorch' },
      ]);
      // a name typed without the extension gets .nir; a PyTorch export is a folder and keeps its name
      expect([weights?.path, nir?.path, pytorch?.path]).toEqual([join(dir, 'desk.safetensors'), join(dir, 'desk.nir'), join(dir, 'desk-pytorch')]);
      const ends: Extract<StudioEvent, { type: 'job-end' }>[] = [];
      desktop.onEvent((e) => e.type === 'job-end' && ends.push(e));
      const { jobId } = await desktop.startJob({ kind: 'import', document: nirDoc, options: { path: weights!.path } });
      await expect.poll(() => ends.find((e) => e.jobId === jobId), { timeout: 60_000 }).toMatchObject({ ok: true, kind: 'import' });
      // a path granted as an export target is not a weights file to read
      await expect(desktop.startJob({ kind: 'import', document: nirDoc, options: { path: nir!.path } })).rejects.toMatchObject({ code: 'denied' });
    } finally {
      await desktop.close();
    }
  });
});
