import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isTempFile } from '../../../engine/runtime/checkpoint/atomic-write.js';
import { listCheckpoints, loadCheckpoint, optimizerKey, saveCheckpoint, splitOptimizerState } from '../../../engine/runtime/checkpoint/checkpoint.js';
import { CheckpointError } from '../../../engine/runtime/checkpoint/checkpoint-error.js';
import { tempDir } from '../data/fixtures.js';
import { CRASH_TENSOR_SIZE, checkpointInput } from './fixtures/checkpoint-input.js';

const here = fileURLToPath(new URL('.', import.meta.url));
// The crash test runs node with tsx's loader directly: the tsx CLI would run the script in a
// grandchild that a SIGKILL of the CLI leaves running.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
const bytesOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('checkpoints', () => {
  const root = tempDir('snn-ckpt-');
  const freshDir = () => mkdtempSync(join(root, 'c-'));

  it('round-trips tensors bit for bit and the meta, from the json, the safetensors or the bare path', async () => {
    const dir = freshDir();
    const input = checkpointInput(3);
    input.meta.metrics.diverged = Number.NaN;
    const saved = await saveCheckpoint(dir, 'epoch-0000', input);
    expect(saved.jsonPath).toBe(join(dir, 'epoch-0000.json'));
    for (const path of [saved.jsonPath, saved.tensorsPath, join(dir, 'epoch-0000')]) {
      const loaded = await loadCheckpoint(path);
      expect([...loaded.tensors.keys()].sort()).toEqual([...input.tensors.keys()].sort());
      for (const [name, t] of input.tensors) {
        expect(loaded.tensors.get(name)!.shape).toEqual(t.shape);
        expect(bits(loaded.tensors.get(name)!.data)).toEqual(bits(t.data));
      }
      expect(loaded.meta).toMatchObject({
        format: 'snn-studio/checkpoint',
        version: 1,
        documentHash: 'sha256:abc123',
        epoch: 0,
        step: 3,
        rngState: [1, 2, 3, 0xffffffff],
        optimizer: { name: 'sgd', hyperparameters: { lr: 0.1, momentum: 0.9, nesterov: false } },
        metrics: { loss: 2.5 / 4, accuracy: 0.1, diverged: null },
        tensors: { file: 'epoch-0000.safetensors' },
      });
      expect(Date.parse(loaded.meta.createdAt)).not.toBeNaN();
    }
  });

  it('keeps optimizer state apart from parameters by its optim.<slot>. prefix', () => {
    const { parameters, optimizer } = splitOptimizerState(checkpointInput(0).tensors);
    expect([...parameters.keys()]).toEqual(['conv1.weight', 'bn1.running_mean', 'bn1.running_var']);
    expect([...optimizer.keys()]).toEqual(['momentum']);
    expect([...optimizer.get('momentum')!.keys()]).toEqual(['conv1.weight']);
    expect(optimizerKey('exp_avg', 'fc.bias')).toBe('optim.exp_avg.fc.bias');
    expect(() => optimizerKey('a.b', 'w')).toThrow(/free of dots/);
  });

  it('refuses a bad name or meta before writing anything', async () => {
    const dir = freshDir();
    await expect(saveCheckpoint(dir, '../escape', checkpointInput(0))).rejects.toThrow(/must be a plain file name/);
    const bad = checkpointInput(0);
    bad.meta.epoch = -1;
    await expect(saveCheckpoint(dir, 'x', bad)).rejects.toThrow(/checkpoint x: meta epoch: /);
    expect(readdirSync(dir)).toEqual([]);
  });

  describe('atomic saves', () => {
    it('a crash leaves stray temp files and a tensors file without json: both ignored, earlier checkpoints load', async () => {
      const dir = freshDir();
      await saveCheckpoint(dir, 'epoch-0001', checkpointInput(1));
      // What a crash leaves: a half-written temp file, and the next save's tensors renamed in but no json yet.
      writeFileSync(join(dir, '.epoch-0002.safetensors.tmp-999-0'), readFileSync(join(dir, 'epoch-0001.safetensors')).subarray(0, 100));
      writeFileSync(join(dir, '.epoch-0001.json.tmp-999-1'), '{"format": "snn-st');
      writeFileSync(join(dir, 'epoch-0002.safetensors'), readFileSync(join(dir, 'epoch-0001.safetensors')));
      writeFileSync(join(dir, 'document.json'), '{"format": "snn-studio/graph"}');
      expect((await listCheckpoints(dir)).map((c) => c.name)).toEqual(['epoch-0001']);
      expect((await loadCheckpoint(join(dir, 'epoch-0001.json'))).meta.step).toBe(1);
      await expect(loadCheckpoint(join(dir, 'epoch-0002.safetensors'))).rejects.toThrow(/epoch-0002\.json: cannot read checkpoint json/);
      expect(readdirSync(dir).filter(isTempFile)).toHaveLength(2);
    });

    it('saving again under a name replaces both files and leaves no temp file', async () => {
      const dir = freshDir();
      await saveCheckpoint(dir, 'latest', checkpointInput(1));
      await saveCheckpoint(dir, 'latest', checkpointInput(2));
      expect((await loadCheckpoint(join(dir, 'latest.json'))).meta.step).toBe(2);
      expect(readdirSync(dir).sort()).toEqual(['latest.json', 'latest.safetensors']);
    });

    // The four points of the third save (step 2) where a crash leaves a different directory:
    // its tensors written to a temp file, renamed in, its json written to a temp file, renamed in.
    const crashes: { at: string; leaves: string[]; listed: number[] }[] = [
      { at: 'step-0002.safetensors:written', leaves: ['.step-0002.safetensors.tmp-'], listed: [0, 1] },
      { at: 'step-0002.safetensors:renamed', leaves: ['step-0002.safetensors'], listed: [0, 1] },
      { at: 'step-0002.json:written', leaves: ['step-0002.safetensors', '.step-0002.json.tmp-'], listed: [0, 1] },
      { at: 'step-0002.json:renamed', leaves: ['step-0002.safetensors', 'step-0002.json'], listed: [0, 1, 2] },
    ];
    for (const crash of crashes) {
      it(`a process killed (SIGKILL) at ${crash.at} leaves checkpoints ${crash.listed.join(', ')}, each loading`, async () => {
        const dir = freshDir();
        const child = spawn(process.execPath, ['--import', tsxLoader, join(here, 'fixtures/crash-script.ts'), dir, '4'], {
          stdio: ['ignore', 'pipe', 'inherit'],
          env: { ...process.env, SNN_TEST_CRASH_AT: crash.at },
        });
        let out = '';
        child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
        // the kill landed where it was asked to, after two complete saves and before a third
        expect(signal, `the crash script's output: ${out}`).toBe('SIGKILL');
        expect(out.trim().split('\n')).toEqual(['saved 0', 'saved 1', `crash at ${crash.at}`]);
        const step2 = readdirSync(dir).filter((f) => f.includes('step-0002')).sort();
        expect(step2.map((f) => crash.leaves.find((l) => f.startsWith(l)) ?? f).sort()).toEqual([...crash.leaves].sort());
        const listed = await listCheckpoints(dir);
        expect(listed.map((c) => c.meta.step)).toEqual(crash.listed);
        const weight = bytesOf(checkpointInput(0, CRASH_TENSOR_SIZE).tensors.get('conv1.weight')!.data);
        for (const c of listed) {
          const loaded = await loadCheckpoint(c.jsonPath);
          expect(loaded.tensors.get('bn1.running_mean')!.data[2]).toBe(c.meta.step);
          expect(bytesOf(loaded.tensors.get('conv1.weight')!.data).equals(weight)).toBe(true);
        }
      });
    }
  });

  describe('corrupt checkpoints name the file and offset', () => {
    const setup = async () => {
      const dir = freshDir();
      const saved = await saveCheckpoint(dir, 'c', checkpointInput(5));
      return { ...saved, bytes: readFileSync(saved.tensorsPath) };
    };

    it('a truncated tensors file', async () => {
      const { jsonPath, tensorsPath, bytes } = await setup();
      writeFileSync(tensorsPath, bytes.subarray(0, bytes.length - 7));
      const error = (await loadCheckpoint(jsonPath).then(
        () => undefined,
        (e: unknown) => e,
      )) as CheckpointError;
      expect(error).toBeInstanceOf(CheckpointError);
      expect(error.message).toMatch(new RegExp(`^${tensorsPath}: truncated at byte ${bytes.length - 7}: expected ${bytes.length} bytes \\(data of tensor "[\\w.]+"\\)$`));
      expect(error.offset).toBe(bytes.length - 7);
    });

    it('a flipped bit in the tensor data (caught by the SHA-256 in the json)', async () => {
      const { jsonPath, tensorsPath, bytes } = await setup();
      const flipped = Buffer.from(bytes);
      flipped[flipped.length - 3]! ^= 0x10;
      writeFileSync(tensorsPath, flipped);
      await expect(loadCheckpoint(jsonPath)).rejects.toThrow(new RegExp(`^${tensorsPath}: does not match c\\.json \\(${bytes.length} bytes, expected ${bytes.length} with sha256 [0-9a-f]{12}…\\): damaged, or replaced`));
    });

    it('tensors from another save under the same name (a crash between the two renames)', async () => {
      const { jsonPath, tensorsPath } = await setup();
      const other = await saveCheckpoint(freshDir(), 'c', checkpointInput(6));
      writeFileSync(tensorsPath, readFileSync(other.tensorsPath));
      await expect(loadCheckpoint(jsonPath)).rejects.toThrow(/does not match c\.json/);
    });

    it('a json that is not JSON, or not a checkpoint', async () => {
      const { jsonPath, meta } = await setup();
      writeFileSync(jsonPath, '{"format": "snn-studio/checkpoint", ');
      await expect(loadCheckpoint(jsonPath)).rejects.toThrow(new RegExp(`^${jsonPath}: not valid JSON`));
      writeFileSync(jsonPath, JSON.stringify({ ...meta, version: 2 }));
      await expect(loadCheckpoint(jsonPath)).rejects.toThrow(new RegExp(`^${jsonPath}: not a snn-studio/checkpoint v1 file: version: `));
    });

    it('a json with a field of the wrong type names the field', async () => {
      const { jsonPath, meta } = await setup();
      writeFileSync(jsonPath, JSON.stringify({ ...meta, rngState: [1, -2] }));
      await expect(loadCheckpoint(jsonPath)).rejects.toThrow(/not a snn-studio\/checkpoint v1 file: rngState\.1: /);
    });
  });
});
