/**
 * A corpus of hostile files, generated here: truncated and lying checkpoints, a wrong-shape tensor
 * with the right element count, tensors files that point out of their folder or at a FIFO, a
 * damaged newest checkpoint on resume, decompression bombs of each compressed format (gzip IDX,
 * deflated .npz entry), headers that promise gigantic images or datasets, FIFOs and /dev/zero as
 * inputs, an empty CIFAR batch and NaN event timestamps, NaN model outputs, documents that expand
 * past the limits or carry 10 MB strings.
 *
 * Each case is read by the loader it targets and must fail with its own clean error (the class the
 * CLI maps to an exit code, and a message naming the file and what is wrong); the CLI run over the
 * corpus must end every case with a short message, the exit code of its class and no stack trace
 * (no line matching /^\s+at /). Three bombs that inflate to 1 GiB (gzip IDX, deflated npz entry)
 * or promise 60000×60000 pixels (PNG) are also opened in a child process whose own peak resident
 * memory (VmHWM, as bench/memory.ts reads it) must stay under 512 MB: without the header-declared
 * bounds each would take a gigabyte or more.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDeflateRaw, createGzip, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { lowerDocument } from '../../engine/core/lower/lower.js';
import { CheckpointError, saveCheckpoint, type CheckpointTensor } from '../../engine/runtime/checkpoint/index.js';
import { DatasetError } from '../../engine/runtime/data/dataset.js';
import { readEventFile } from '../../engine/runtime/data/event-file.js';
import { decodeImage } from '../../engine/runtime/data/image-decode.js';
import { loadCifar10 } from '../../engine/runtime/data/cifar.js';
import { loadIdxDataset } from '../../engine/runtime/data/idx.js';
import { parseNpy } from '../../engine/runtime/data/npy.js';
import { documentHash } from '../../engine/runtime/hash.js';
import { latestRunCheckpoint, readTrainedParams, saveRunCheckpoint } from '../../engine/runtime/train/checkpoints.js';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { lifCnn } from '../../templates/lif-cnn.js';
import { idxBytes, npyBytes, pngBytes, rgba, zipBytes } from '../runtime/data/fixtures.js';
import { cli } from '../train/helpers/cli.js';
import { doublingDocument, wideInputDocument } from './bomb-docs.js';

let dir: string;
const doc = lifCnn({ channels: [4, 8], timeSteps: 2 });
const fifoSupported = process.platform !== 'win32' && spawnSync('mkfifo', ['--help']).status === 0;

/** The parameters of `doc`'s inference graph, zero-filled, by name. */
function zeroParams(d: GraphDocument): Map<string, CheckpointTensor> {
  const { graph } = lowerDocument(d, analyseDocument(d), { batch: 1, mode: 'infer' });
  return new Map(graph.params.map((p) => {
    const shape = [...graph.values[p.value]!.shape];
    return [p.name, { shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) }];
  }));
}

async function checkpointIn(folder: string, tensors: Map<string, CheckpointTensor>, name = 'epoch-0001', epoch = 1): Promise<string> {
  const meta = { documentHash: documentHash(doc), epoch, step: epoch * 4, rngState: [1, 2, 3, 4], optimizer: { name: 'sgd', hyperparameters: {} }, metrics: {} };
  return (await saveCheckpoint(folder, name, { tensors, meta })).jsonPath;
}

function mkfifo(path: string): void {
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
}

function editJson(path: string, edit: (j: Record<string, any>) => void): void {
  const j = JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
  edit(j);
  writeFileSync(path, JSON.stringify(j));
}

/** A zip whose central directory says `entry` holds `declared` bytes (the local header keeps the truth). */
function lyingZip(entries: { name: string; data: Uint8Array; deflate?: boolean }[], entry: string, declared: number): Uint8Array {
  const zip = zipBytes(entries);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const name = new TextEncoder().encode(entry);
  for (let at = 0; at + 46 <= zip.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const n = view.getUint16(at + 28, true);
    if (n === name.length && zip.subarray(at + 46, at + 46 + n).every((b, i) => b === name[i])) {
      view.setUint32(at + 24, declared, true);
      return zip;
    }
  }
  throw new Error(`no entry ${entry}`);
}

/** `head` then `zeros` zero bytes, gzipped or raw-deflated, streamed so the zeros never sit in memory. */
async function deflatedZeros(head: Uint8Array, zeros: number, gzip: boolean): Promise<Buffer> {
  const z = gzip ? createGzip({ level: 1 }) : createDeflateRaw({ level: 1 });
  const chunks: Buffer[] = [];
  z.on('data', (c: Buffer) => chunks.push(c));
  const done = once(z, 'end');
  z.write(head);
  const block = Buffer.alloc(1 << 20);
  for (let i = 0; i < zeros / block.length; i++) if (!z.write(block)) await once(z, 'drain');
  z.end();
  await done;
  return Buffer.concat(chunks);
}

/** A one-entry zip of an already deflated body whose directory declares `declared` bytes. */
function zipOfDeflated(name: string, body: Uint8Array, declared: number): Uint8Array {
  const n = new TextEncoder().encode(name);
  const local = new Uint8Array(30 + n.length);
  const lv = new DataView(local.buffer);
  lv.setUint32(0, 0x04034b50, true);
  lv.setUint16(4, 20, true);
  lv.setUint16(8, 8, true);
  lv.setUint32(18, body.length, true);
  lv.setUint32(22, declared, true);
  lv.setUint16(26, n.length, true);
  local.set(n, 30);
  const central = new Uint8Array(46 + n.length);
  const cv = new DataView(central.buffer);
  cv.setUint32(0, 0x02014b50, true);
  cv.setUint16(4, 20, true);
  cv.setUint16(6, 20, true);
  cv.setUint16(10, 8, true);
  cv.setUint32(20, body.length, true);
  cv.setUint32(24, declared, true);
  cv.setUint16(28, n.length, true);
  central.set(n, 46);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, 1, true);
  ev.setUint16(10, 1, true);
  ev.setUint32(12, central.length, true);
  ev.setUint32(16, local.length + body.length, true);
  return Buffer.concat([local, body, central, end]);
}

/** The cases, built once; each names the loader call and the error it must give. */
const paths: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'snn-corpus-'));
  const put = (rel: string, bytes: Uint8Array | string): string => {
    const p = join(dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, bytes);
    return p;
  };
  paths.doc = put('small.snn.json', JSON.stringify(doc));

  // checkpoints
  const good = await checkpointIn(join(dir, 'ck-good'), zeroParams(doc));
  paths.goodCheckpoint = good;
  const truncated = await checkpointIn(join(dir, 'ck-truncated'), zeroParams(doc));
  const tensorsFile = truncated.replace(/\.json$/, '.safetensors');
  writeFileSync(tensorsFile, readFileSync(tensorsFile).subarray(0, 200));
  paths.truncatedCheckpoint = truncated;
  const lying = await checkpointIn(join(dir, 'ck-lying'), zeroParams(doc));
  editJson(lying, (j) => (j.tensors.bytes = 4 * 1024 ** 3));
  paths.lyingCheckpoint = lying;
  const wrong = zeroParams(doc);
  const w = wrong.get('conv1.weight')!; // [4,1,3,3] stored as [3,3,1,4]: same 36 values, wrong order
  wrong.set('conv1.weight', { shape: [...w.shape].reverse(), data: w.data });
  paths.wrongShape = await checkpointIn(join(dir, 'ck-wrong-shape'), wrong);
  const traversal = await checkpointIn(join(dir, 'ck-traversal'), zeroParams(doc));
  editJson(traversal, (j) => (j.tensors.file = '../../../../etc/passwd'));
  paths.traversal = traversal;
  const linkOut = await checkpointIn(join(dir, 'ck-link-out'), zeroParams(doc));
  rmSync(linkOut.replace(/\.json$/, '.safetensors'));
  symlinkSync('/etc/passwd', linkOut.replace(/\.json$/, '.safetensors'));
  paths.linkOut = linkOut;
  if (fifoSupported) {
    const fifo = await checkpointIn(join(dir, 'ck-fifo'), zeroParams(doc));
    rmSync(fifo.replace(/\.json$/, '.safetensors'));
    mkfifo(fifo.replace(/\.json$/, '.safetensors'));
    paths.fifoTensors = fifo;
    mkfifo(join(dir, 'fifo.json'));
    paths.fifoJson = join(dir, 'fifo.json');
  }
  paths.damagedJson = put('ck-damaged/epoch-0001.json', '{"format": "snn-studio/checkpoint", "version": 1, "documentHa');

  // a run whose newest checkpoint was cut short, plus a temp file of a save that was killed
  const run = join(dir, 'run');
  await checkpointIn(run, zeroParams(doc), 'epoch-0001', 1);
  await checkpointIn(run, zeroParams(doc), 'epoch-0002', 2);
  writeFileSync(join(run, 'epoch-0002.json'), readFileSync(join(run, 'epoch-0002.json')).subarray(0, 40));
  paths.run = run;
  const cliRun = join(dir, 'run-cli');
  await checkpointIn(cliRun, zeroParams(doc), 'epoch-0001', 1);
  writeFileSync(join(cliRun, 'epoch-0002.json'), '{"format": "snn-studio/checkpoint", "ver');
  paths.cliRun = cliRun;
  // a run whose checkpoint holds the right counts in the wrong shapes, optimizer state included
  const shapeRun = zeroParams(doc);
  const fc = shapeRun.get('fc.weight')!;
  shapeRun.set('optim.momentum.fc.weight', { shape: [...fc.shape].reverse(), data: new Float32Array(fc.data.length) });
  await checkpointIn(join(dir, 'run-shape'), shapeRun, 'epoch-0001', 1);
  paths.shapeRun = join(dir, 'run-shape');

  // datasets
  const idxBomb = join(dir, 'idx-bomb');
  // the header promises 10 images of 28×28 (7,856 bytes); the stream inflates to 64 MB
  const bombBody = new Uint8Array(64 * 1024 ** 2);
  bombBody.set(idxBytes([10, 28, 28], new Uint8Array(0)));
  put('idx-bomb/train-images-idx3-ubyte.gz', gzipSync(bombBody));
  put('idx-bomb/train-labels-idx1-ubyte.gz', gzipSync(idxBytes([10], new Uint8Array(10))));
  put('idx-bomb/t10k-images-idx3-ubyte.gz', gzipSync(idxBytes([1, 28, 28], new Uint8Array(784))));
  put('idx-bomb/t10k-labels-idx1-ubyte.gz', gzipSync(idxBytes([1], new Uint8Array(1))));
  paths.idxBomb = idxBomb;
  put('idx-huge/train-images-idx3-ubyte.gz', gzipSync(idxBytes([2 ** 31, 28, 28], new Uint8Array(16))));
  for (const f of ['train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) put(`idx-huge/${f}`, idxBytes([1], new Uint8Array(1)));
  paths.idxHuge = join(dir, 'idx-huge');
  put('idx-truncated/train-images-idx3-ubyte', idxBytes([60000, 28, 28], new Uint8Array(1000)));
  for (const f of ['train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) put(`idx-truncated/${f}`, idxBytes([1], new Uint8Array(1)));
  paths.idxTruncated = join(dir, 'idx-truncated');
  for (let k = 1; k <= 5; k++) put(`cifar-empty/data_batch_${k}.bin`, k === 3 ? new Uint8Array(0) : new Uint8Array(3073));
  put('cifar-empty/test_batch.bin', new Uint8Array(3073));
  paths.cifarEmpty = join(dir, 'cifar-empty');
  for (const f of [1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`).concat('test_batch.bin')) put(`cifar-ok/${f}`, new Uint8Array(3073));
  paths.cifarOk = join(dir, 'cifar-ok');
  if (fifoSupported) {
    mkdirSync(join(dir, 'idx-fifo'));
    mkfifo(join(dir, 'idx-fifo', 'train-images-idx3-ubyte'));
    for (const f of ['train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) put(`idx-fifo/${f}`, idxBytes([1], new Uint8Array(1)));
    paths.idxFifo = join(dir, 'idx-fifo');
  }
  const events = (t: number[]) => [
    { name: 't.npy', data: npyBytes('<f8', t) },
    { name: 'x.npy', data: npyBytes('<u2', t.map(() => 1)) },
    { name: 'y.npy', data: npyBytes('<u2', t.map(() => 1)) },
    { name: 'p.npy', data: npyBytes('|u1', t.map(() => 1)) },
  ];
  paths.nanEvents = put('events-nan/a/rec.npz', zipBytes(events([0, 1, NaN, 3])));
  put('events-nan/b/rec.npz', zipBytes(events([0, 1, 2, 3])));
  // a deflated entry that inflates to 64 MB while the directory says 1,000 bytes
  const big = new Uint8Array(64 * 1024 ** 2);
  big.set(npyBytes('<f8', [0]).subarray(0, 128));
  paths.npzBomb = put('npz-bomb.npz', lyingZip([...events([0, 1]).slice(1), { name: 't.npy', data: big, deflate: true }], 't.npy', 1000));
  paths.npzHuge = put('npz-huge.npz', lyingZip([{ name: 't.npy', data: npyBytes('<f8', [0]), deflate: true }], 't.npy', 2 ** 31));
  const emptyEvt = new Uint8Array(16 + 16);
  emptyEvt.set(new TextEncoder().encode('SNNEVT01'));
  new DataView(emptyEvt.buffer).setUint32(8, 1, true);
  new DataView(emptyEvt.buffer).setFloat64(16, Infinity, true);
  paths.infEvt = put('inf.evt', emptyEvt);

  // images and arrays that promise more than they hold
  const png = pngBytes(2, 2, rgba(2, 2, () => [0, 0, 0, 255]));
  new DataView(png.buffer, png.byteOffset).setUint32(16, 60000, false);
  new DataView(png.buffer, png.byteOffset).setUint32(20, 60000, false);
  paths.pngBomb = put('huge.png', png);
  const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0xea, 0x60, 0xea, 0x60, 0x03, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9]);
  paths.jpegBomb = put('huge.jpg', jpeg);
  // three values under a header that promises a billion
  paths.npyLying = put('lying.npy', npyBytes('<f4', [1, 2, 3], [1_000_000_000]));
  paths.nanInput = put('nan.npy', npyBytes('<f4', [NaN, 1, 2, 3, 4, 5, 6, 7]));
  paths.vectorDoc = put('vector.snn.json', JSON.stringify(wideInputDocument([8])));

  // documents
  paths.doubling = put('doubling.snn.json', JSON.stringify(doublingDocument(24)));
  paths.wide = put('wide.snn.json', JSON.stringify(wideInputDocument([1, 1048576, 1048576])));
  const huge = structuredClone(doc) as any;
  huge.nodes[1].block = 'x'.repeat(10_000_000);
  paths.hugeString = put('huge-string.snn.json', JSON.stringify(huge));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error `f` throws (sync or async). */
async function failure(f: () => unknown): Promise<Error> {
  try {
    await f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure, got none');
}

describe('each corrupt file gives its clean error', () => {
  it('checkpoints: truncated, lying, wrong shape, traversal, link out, FIFO, damaged json', async () => {
    expect((await readTrainedParams(paths.goodCheckpoint!, doc)).size).toBeGreaterThan(0);
    const cases: [string, RegExp][] = [
      ['truncatedCheckpoint', /\.safetensors: (truncated at byte 200|at byte \d+:)/],
      ['lyingCheckpoint', /\.safetensors: does not match epoch-0001\.json \(\d+ bytes, expected 4294967296/],
      ['wrongShape', /epoch-0001\.json: tensor "conv1\.weight" is \[3,3,1,4\]; the document needs \[4,1,3,3\]/],
      ['traversal', /epoch-0001\.json: not a snn-studio\/checkpoint v1 file: tensors\.file: must be a file name in the checkpoint's folder, not a path/],
      ['linkOut', /its tensors file epoch-0001\.safetensors leads out of the checkpoint's folder \(to \/etc\/passwd\); refused/],
      ['damagedJson', /epoch-0001\.json: not valid JSON/],
      ...(fifoSupported ? ([['fifoTensors', /not a regular file/], ['fifoJson', /fifo\.json: is not a regular file/]] as [string, RegExp][]) : []),
    ];
    for (const [name, message] of cases) {
      const e = await failure(() => readTrainedParams(paths[name]!, doc));
      expect(e, name).toBeInstanceOf(CheckpointError);
      expect(e.message, name).toMatch(message);
    }
    if (!fifoSupported) console.log('[corpus] FIFO cases skipped: no mkfifo on this platform');
  });

  it('resume refuses a damaged newest checkpoint, names the readable one, and removes a killed save\'s temp file', async () => {
    // a temp file whose writer is gone: a pid that has just exited
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(paths.run!, `.epoch-0003.safetensors.tmp-${dead}-0`), 'half');
    const e = await failure(() => latestRunCheckpoint(paths.run!, doc));
    expect(e).toBeInstanceOf(CheckpointError);
    expect(e.message).toMatch(/epoch-0002\.json: cannot resume: not valid JSON .*; the latest readable checkpoint is epoch-0001\.json \(epoch 1\); move epoch-0002\.\* away to resume from it/);
    expect(readdirSync(paths.run!).filter((n) => n.includes('.tmp-'))).toEqual([]);
    // a save into a folder also clears what a killed save left there
    writeFileSync(join(paths.run!, `.epoch-0009.json.tmp-${dead}-3`), '{');
    await saveRunCheckpoint(join(paths.run!), doc, { epoch: 9, step: 36, seed: 1 }, new Map(), { name: 'sgd', momentum: 0 } as never, {});
    expect(existsSync(join(paths.run!, `.epoch-0009.json.tmp-${dead}-3`))).toBe(false);
    // a resume checks shapes too, optimizer state included
    const shapes = await failure(() => latestRunCheckpoint(paths.shapeRun!, doc));
    expect(shapes).toBeInstanceOf(CheckpointError);
    expect(shapes.message).toMatch(/epoch-0001\.json: tensor "optim\.momentum\.fc\.weight" is \[\d+,10\]; the document needs \[10,\d+\]/);
    // with the damaged one moved away, it resumes from the readable one
    rmSync(join(paths.run!, 'epoch-0002.json'));
    rmSync(join(paths.run!, 'epoch-0009.json'));
    // a damaged json that is not a checkpoint (no checkpoint name, no tensors beside it) does not stop it
    writeFileSync(join(paths.run!, 'run.json'), '{"format": "snn-st');
    expect((await latestRunCheckpoint(paths.run!, doc))?.place.epoch).toBe(1);
    // one named as a checkpoint of another kind than the one resumed from does
    writeFileSync(join(paths.run!, 'step-0000006.json'), '{"format": "snn-st');
    expect((await failure(() => latestRunCheckpoint(paths.run!, doc))).message).toMatch(/step-0000006\.json: cannot resume: .*the latest readable checkpoint is epoch-0001\.json/);
  });

  it('datasets: bombs refused at their declared size, huge headers, truncation, empty CIFAR, NaN timestamps, FIFO', async () => {
    const cases: [string, () => unknown, RegExp][] = [
      ['idxBomb', () => loadIdxDataset(paths.idxBomb!), /train-images-idx3-ubyte\.gz: inflates to more than the 7856 bytes its header declares/],
      ['idxHuge', () => loadIdxDataset(paths.idxHuge!), /train-images-idx3-ubyte\.gz: its header declares 1\.5 TiB of data; the limit is 2 GiB per file/],
      ['idxTruncated', () => loadIdxDataset(paths.idxTruncated!), /train-images-idx3-ubyte: truncated at byte 1016: expected 47040016 bytes \(60000 images of 28x28 pixels/],
      ['cifarEmpty', () => loadCifar10(paths.cifarEmpty!), /data_batch_3\.bin: is empty: a cifar10 batch file holds records of 3073 bytes/],
      ['nanEvents', () => readEventFile(paths.nanEvents!), /rec\.npz: timestamp of event 2 is NaN; timestamps must be finite numbers/],
      ['infEvt', () => readEventFile(paths.infEvt!), /inf\.evt: at byte 16: timestamp of event 0 is Infinity/],
      ['npzBomb', () => readEventFile(paths.npzBomb!), /npz-bomb\.npz: at byte \d+: entry "t\.npy" (inflates to more than the 1000 bytes the directory declares|declares 1000 bytes)/],
      ['npzHuge', () => readEventFile(paths.npzHuge!), /npz-huge\.npz: at byte 0: entry "t\.npy" declares 2147483648 bytes; the limit is 1073741824 per entry/],
      ['pngBomb', () => decodeImage(paths.pngBomb!, readFileSync(paths.pngBomb!)), /huge\.png: at byte 16: PNG is 60000×60000; the limit is 16384 per side/],
      ['jpegBomb', () => decodeImage(paths.jpegBomb!, readFileSync(paths.jpegBomb!)), /huge\.jpg: at byte 7: JPEG is 60000×60000; the limit is 16384 per side/],
      ['npyLying', () => parseNpy(paths.npyLying!, readFileSync(paths.npyLying!)), /lying\.npy: truncated at byte \d+: expected \d+ bytes \(1000000000 items of '<f4'/],
      ...(fifoSupported ? ([['idxFifo', () => loadIdxDataset(paths.idxFifo!), /train-images-idx3-ubyte: cannot read: is not a regular file/]] as [string, () => unknown, RegExp][]) : []),
    ];
    for (const [name, load, message] of cases) {
      const e = await failure(load);
      expect(e, name).toBeInstanceOf(DatasetError);
      expect(e.message, name).toMatch(message);
    }
  });
});

describe('bombs in a child process', () => {
  it('a 1 GiB gzip IDX, a 1 GiB npz entry and a 60000×60000 PNG are refused under 512 MB of peak memory', async () => {
    const put = (rel: string, bytes: Uint8Array): string => {
      const p = join(dir, rel);
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, bytes);
      return p;
    };
    put('idx-gib/train-images-idx3-ubyte.gz', await deflatedZeros(idxBytes([10, 28, 28], new Uint8Array(0)), 1024 ** 3, true));
    for (const f of ['train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) put(`idx-gib/${f}`, idxBytes([1], new Uint8Array(1)));
    const npz = put('npz-gib.npz', zipOfDeflated('t.npy', await deflatedZeros(npyBytes('<f8', [0]), 1024 ** 3, false), 1000));
    const child = fileURLToPath(new URL('./child/load-case.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
    const cases: [string, string, RegExp][] = [
      ['idx', join(dir, 'idx-gib'), /DatasetError: .*train-images-idx3-ubyte\.gz: inflates to more than the 7856 bytes its header declares/],
      ['events', npz, /DatasetError: .*npz-gib\.npz: at byte \d+: entry "t\.npy" (inflates to more than the 1000 bytes|declares 1000 bytes)/],
      ['image', paths.pngBomb!, /DatasetError: .*huge\.png: at byte 16: PNG is 60000×60000/],
    ];
    for (const [kind, path, error] of cases) {
      const r = spawnSync(tsx, [child, kind, path], { encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { error: string | null; peakMb: number };
      expect(out.error, kind).toMatch(error);
      expect(out.peakMb, kind).toBeLessThan(512);
      console.log(`[corpus] ${kind} bomb refused at ${out.peakMb.toFixed(0)} MB peak`);
    }
  }, 300_000);
});

describe('the CLI over the corpus', () => {
  // exit codes: 0 ok, 1 invalid input, 2 usage, 3 file I/O, 4 runtime (NaN output)
  const runs = (): [string, string[], number, RegExp][] => [
    ['wrong-shape checkpoint', ['compile', paths.doc!, '-o', join(dir, 'out.onnx'), '--checkpoint', paths.wrongShape!], 1, /tensor "conv1\.weight" is \[3,3,1,4\]; the document needs \[4,1,3,3\]/],
    ['traversal checkpoint', ['infer', paths.doc!, '--input', paths.nanInput!, '--checkpoint', paths.traversal!], 1, /must be a file name in the checkpoint's folder/],
    ['truncated checkpoint in eval', ['eval', paths.doc!, '--checkpoint', paths.truncatedCheckpoint!], 1, /\.safetensors: /],
    ['damaged newest checkpoint on resume', ['train', paths.doc!, '--resume', '--out', paths.cliRun!, '--epochs', '1', '--max-steps', '1'], 1, /epoch-0002\.json: cannot resume: not valid JSON .*the latest readable checkpoint is epoch-0001\.json/],
    ['resume with nothing to resume', ['train', paths.doc!, '--resume', '--out', join(dir, 'r-empty'), '--epochs', '1', '--max-steps', '1', '--batch', '16', '--threads', '1'], 0, /--resume: .*r-empty holds no checkpoint; training starts at epoch 1/],
    ['eval on a dataset of another shape', ['eval', paths.doc!, '--checkpoint', paths.goodCheckpoint!, '--data', paths.cifarOk!, '--threads', '1'], 1, /the dataset's samples are \[3,32,32\] but .*small\.snn\.json's input is \[1,28,28\]/],
    ['train on a dataset of another shape', ['train', paths.doc!, '--data', paths.cifarOk!, '--epochs', '1', '--max-steps', '1', '--threads', '1', '--out', join(dir, 'r4')], 1, /: its samples are \[3,32,32\] but the document's input is \[1,28,28\]/],
    ['gzip bomb dataset', ['train', paths.doc!, '--data', paths.idxBomb!, '--epochs', '1', '--max-steps', '1', '--out', join(dir, 'r1')], 1, /inflates to more than the 7856 bytes its header declares/],
    ['empty CIFAR batch', ['train', paths.doc!, '--data', paths.cifarEmpty!, '--epochs', '1', '--max-steps', '1', '--out', join(dir, 'r2')], 1, /data_batch_3\.bin: is empty/],
    ['NaN event timestamps', ['train', paths.doc!, '--data', join(dir, 'events-nan'), '--epochs', '1', '--max-steps', '1', '--out', join(dir, 'r3')], 1, /timestamp of event 2 is NaN/],
    ['PNG bomb input', ['infer', paths.doc!, '--input', paths.pngBomb!], 1, /PNG is 60000×60000; the limit is 16384 per side/],
    ['/dev/zero input', ['infer', paths.doc!, '--input', '/dev/zero'], 3, /\/dev\/zero: is not a regular file/],
    ['/dev/zero document', ['validate', '/dev/zero'], 3, /\/dev\/zero: is not a regular file/],
    ['missing document', ['validate', join(dir, 'nope.snn.json')], 3, /nope\.snn\.json: cannot read document: no such file \(ENOENT\)/],
    ['NaN model output', ['infer', paths.vectorDoc!, '--input', paths.nanInput!, '--json'], 4, /the model's output is not finite for \d+ of 10 classes/],
    ['doubling composites', ['compile', paths.doubling!, '-o', join(dir, 'd.onnx')], 1, /nodes\[2\] "blockA": expands to 50,331,648 primitive nodes .*; the limit is 50,000 \(limit "nodes"\)/],
    ['giant input', ['compile', paths.wide!, '-o', join(dir, 'w.onnx')], 1, /the limit for one tensor is 268,435,456/],
    ['10 MB block name', ['validate', paths.hugeString!], 1, /nodes\[1\] "encoder"\.block: Too big: expected string to have <=200 characters/],
    ['unknown limit', ['compile', paths.doc!, '-o', join(dir, 'x.onnx'), '--limit', 'bogus=1'], 2, /--limit: unknown limit "bogus=1"/],
  ];

  it('every case ends with a short message and its exit code, and no stack trace', async () => {
    const all = runs();
    if (fifoSupported) all.push(['FIFO checkpoint json', ['compile', paths.doc!, '-o', join(dir, 'f.onnx'), '--checkpoint', paths.fifoJson!], 3, /fifo\.json: is not a regular file/]);
    // two at a time: each run is a fresh Node process
    const results: { name: string; code: number; stdout: string; stderr: string }[] = [];
    for (let i = 0; i < all.length; i += 2) {
      results.push(...(await Promise.all(all.slice(i, i + 2).map(async ([name, args]) => ({ name, ...(await cli(args)) })))));
    }
    for (const [k, [name, , code, message]] of all.entries()) {
      const r = results[k]!;
      expect(r.stderr, name).not.toMatch(/^\s+at /m);
      expect(r.stdout, name).not.toMatch(/^\s+at /m);
      expect(r.stderr, name).toMatch(message);
      expect(r.stderr.length, name).toBeLessThan(4000);
      expect(r.code, `${name}: ${r.stderr}`).toBe(code);
    }
    // with --json, a NaN output is not a prediction
    const nan = results.find((r) => r.name === 'NaN model output')!;
    expect(JSON.parse(nan.stdout)).toMatchObject({ predicted: null, label: null });
  }, 300_000);

  it('--debug adds the stack trace', async () => {
    const r = await cli(['compile', paths.doc!, '-o', join(dir, 'out.onnx'), '--checkpoint', paths.wrongShape!, '--debug']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^\s+at /m);
  }, 60_000);
});
