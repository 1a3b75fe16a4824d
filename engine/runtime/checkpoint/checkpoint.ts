/**
 * Training checkpoints: `<name>.safetensors` (parameters and BN running statistics by name, plus
 * optimizer state as `optim.<slot>.<param>`) and `<name>.json` (where training stood).
 *
 * Both files are written atomically and the json last, so a checkpoint whose json exists is
 * complete; a crash mid-save leaves the previous checkpoints intact plus, at worst, a stray temp
 * file or a tensors file without its json, which listing and loading ignore or refuse. Saving
 * again under the same name replaces both files; a crash between the two renames leaves a json
 * whose SHA-256 no longer matches the tensors, which loading reports rather than mixing two saves —
 * so keep a distinct name per save (`epoch-0003`) where the previous one must survive.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FileReadError, MAX_READ_BYTES, readRegularFile } from '../read-regular.js';
import { writeFileAtomic } from './atomic-write.js';
import { CheckpointError } from './checkpoint-error.js';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, checkpointMetaSchema, type CheckpointMeta, type CheckpointMetaInput } from './checkpoint-meta.js';
import { decodeSafetensors, dtypeOf, encodeSafetensors, type Tensor } from './safetensors.js';
import { removeStaleTemps } from './stale-temps.js';

/** A checkpoint json is a few KB; anything near this is not one. */
const MAX_META_BYTES = 16 * 1024 * 1024;

export interface CheckpointTensor {
  shape: number[];
  data: Float32Array;
}

export interface CheckpointContents {
  tensors: ReadonlyMap<string, CheckpointTensor>;
  meta: CheckpointMetaInput;
}

export interface LoadedCheckpoint {
  meta: CheckpointMeta;
  tensors: Map<string, CheckpointTensor>;
  jsonPath: string;
  tensorsPath: string;
}

const OPTIMIZER_PREFIX = 'optim.';

export async function saveCheckpoint(dir: string, name: string, contents: CheckpointContents): Promise<{ jsonPath: string; tensorsPath: string; meta: CheckpointMeta }> {
  if (!/^[\w-][\w.-]*$/.test(name)) throw new RangeError(`checkpoint name "${name}" must be a plain file name (letters, digits, _ . -)`);
  for (const [key, t] of contents.tensors) {
    if (!(t.data instanceof Float32Array)) throw new RangeError(`checkpoint tensor "${key}" must be a Float32Array`);
  }
  const tensorsFile = `${name}.safetensors`;
  const m = contents.meta;
  const bytes = encodeSafetensors(contents.tensors, { format: CHECKPOINT_FORMAT, documentHash: m.documentHash, epoch: String(m.epoch), step: String(m.step) });
  const parsed = checkpointMetaSchema.safeParse({
    ...m,
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    metrics: Object.fromEntries(Object.entries(m.metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : null])),
    createdAt: m.createdAt ?? new Date().toISOString(),
    tensors: { file: tensorsFile, bytes: bytes.length, sha256: sha256(bytes) },
  });
  if (!parsed.success) throw new RangeError(`checkpoint ${name}: meta ${issueText(parsed.error.issues)}`);
  const meta = parsed.data;
  const tensorsPath = join(dir, tensorsFile);
  const jsonPath = join(dir, `${name}.json`);
  await mkdir(dir, { recursive: true });
  await removeStaleTemps(dir);
  await writeFileAtomic(tensorsPath, bytes);
  // Last: the json's appearance is what makes the checkpoint exist.
  await writeFileAtomic(jsonPath, `${JSON.stringify(meta, null, 2)}\n`);
  return { jsonPath, tensorsPath, meta };
}

/**
 * Loads a checkpoint from its `.json`, its `.safetensors`, or its path without extension. The
 * tensors file must be a regular file in the json's own folder (also after following links) and
 * exactly the size the json records, which is checked before a byte of it is read.
 */
export async function loadCheckpoint(path: string): Promise<LoadedCheckpoint> {
  const jsonPath = path.endsWith('.json') ? path : `${path.replace(/\.safetensors$/, '')}.json`;
  const meta = await readMeta(jsonPath);
  const tensorsPath = join(dirname(jsonPath), meta.tensors.file);
  await checkInFolder(jsonPath, tensorsPath);
  if (meta.tensors.bytes > MAX_READ_BYTES) throw new CheckpointError(jsonPath, `records a ${meta.tensors.bytes}-byte tensors file; the most this process can read is ${MAX_READ_BYTES}`);
  const bytes = await readRegularFile(tensorsPath, meta.tensors.bytes, 'checkpoint tensors file').catch((e: Error) => {
    if (e instanceof FileReadError && e.code === 'EFBIG') {
      throw new CheckpointError(tensorsPath, `is larger than the ${meta.tensors.bytes} bytes ${basename(jsonPath)} records: damaged, or replaced by a save that did not finish`);
    }
    throw Object.assign(new CheckpointError(tensorsPath, `cannot read the tensors of checkpoint ${basename(jsonPath)}: ${e.message.replace(`${tensorsPath}: `, '')}`), { cause: e });
  });
  // Structure first: a truncated or damaged file gets an error that says where.
  const { tensors } = decodeSafetensors(tensorsPath, bytes);
  if (bytes.length !== meta.tensors.bytes || sha256(bytes) !== meta.tensors.sha256) {
    throw new CheckpointError(
      tensorsPath,
      `does not match ${basename(jsonPath)} (${bytes.length} bytes, expected ${meta.tensors.bytes} with sha256 ${meta.tensors.sha256.slice(0, 12)}…): damaged, or replaced by a save that did not finish`,
    );
  }
  const out = new Map<string, CheckpointTensor>();
  for (const [key, t] of tensors) out.set(key, asFloat32(tensorsPath, key, t));
  return { meta, tensors: out, jsonPath, tensorsPath };
}

/** A link inside the folder that points out of it is refused like a `../` name. */
async function checkInFolder(jsonPath: string, tensorsPath: string): Promise<void> {
  let dir: string;
  let target: string;
  try {
    [dir, target] = await Promise.all([realpath(dirname(jsonPath)), realpath(tensorsPath)]);
  } catch (e) {
    throw Object.assign(new CheckpointError(tensorsPath, `cannot read the tensors of checkpoint ${basename(jsonPath)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`), { cause: e });
  }
  if (dirname(target) !== dir) throw new CheckpointError(jsonPath, `its tensors file ${basename(tensorsPath)} leads out of the checkpoint's folder (to ${target}); refused`);
}

/** The complete checkpoints in `dir` (those with a valid json), oldest step first. Other json files are skipped. */
export async function listCheckpoints(dir: string): Promise<{ name: string; jsonPath: string; meta: CheckpointMeta }[]> {
  return (await scanCheckpoints(dir)).checkpoints;
}

/**
 * The checkpoints of `dir`, oldest step first, and the json files that should be checkpoints but
 * cannot be read (cut short, damaged, a checkpoint of a format this version does not know). Json
 * files that are something else (valid JSON of another format) are in neither list.
 */
export async function scanCheckpoints(dir: string): Promise<{
  checkpoints: { name: string; jsonPath: string; meta: CheckpointMeta }[];
  damaged: { name: string; jsonPath: string; reason: string }[];
}> {
  const checkpoints = [];
  const damaged = [];
  for (const file of (await readdir(dir)).sort()) {
    if (!file.endsWith('.json') || file.startsWith('.')) continue;
    const jsonPath = join(dir, file);
    const name = file.slice(0, -'.json'.length);
    try {
      checkpoints.push({ name, jsonPath, meta: await readMeta(jsonPath) });
    } catch (e) {
      if (!(e instanceof CheckpointError && e.foreign)) damaged.push({ name, jsonPath, reason: (e as Error).message });
    }
  }
  checkpoints.sort((a, b) => a.meta.step - b.meta.step || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { checkpoints, damaged };
}

/** Key of an optimizer state tensor: `optim.<slot>.<param>` (slot: `momentum`, `exp_avg`, …). */
export function optimizerKey(slot: string, param: string): string {
  if (slot === '' || slot.includes('.')) throw new RangeError(`optimizer slot "${slot}" must be non-empty and free of dots`);
  return `${OPTIMIZER_PREFIX}${slot}.${param}`;
}

/** Splits checkpoint tensors into parameters (incl. running statistics) and optimizer state by slot, then parameter. */
export function splitOptimizerState<T>(tensors: ReadonlyMap<string, T>): { parameters: Map<string, T>; optimizer: Map<string, Map<string, T>> } {
  const parameters = new Map<string, T>();
  const optimizer = new Map<string, Map<string, T>>();
  for (const [key, t] of tensors) {
    const dot = key.indexOf('.', OPTIMIZER_PREFIX.length);
    if (!key.startsWith(OPTIMIZER_PREFIX) || dot < 0) {
      parameters.set(key, t);
      continue;
    }
    const slot = key.slice(OPTIMIZER_PREFIX.length, dot);
    if (!optimizer.has(slot)) optimizer.set(slot, new Map());
    optimizer.get(slot)!.set(key.slice(dot + 1), t);
  }
  return { parameters, optimizer };
}

async function readMeta(jsonPath: string): Promise<CheckpointMeta> {
  let text: string;
  try {
    text = (await readRegularFile(jsonPath, MAX_META_BYTES, 'checkpoint json')).toString('utf8');
  } catch (e) {
    throw Object.assign(new CheckpointError(jsonPath, (e as Error).message.replace(`${jsonPath}: `, '')), { cause: e });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(jsonPath, `not valid JSON (${(e as Error).message.slice(0, 200)})`);
  }
  const format = (raw as { format?: unknown } | null)?.format;
  if (typeof raw !== 'object' || raw === null || (format !== CHECKPOINT_FORMAT && typeof format === 'string')) {
    throw Object.assign(new CheckpointError(jsonPath, `not a ${CHECKPOINT_FORMAT} file (format ${JSON.stringify(format)?.slice(0, 80)})`), { foreign: true });
  }
  const parsed = checkpointMetaSchema.safeParse(raw);
  if (!parsed.success) throw new CheckpointError(jsonPath, `not a ${CHECKPOINT_FORMAT} v${CHECKPOINT_VERSION} file: ${issueText(parsed.error.issues)}`);
  return parsed.data;
}

/** The first zod issue as `optimizer.name: Invalid input…`. */
function issueText(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const issue = issues[0]!;
  return `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`;
}

function asFloat32(file: string, key: string, t: Tensor): CheckpointTensor {
  if (!(t.data instanceof Float32Array)) throw new CheckpointError(file, `tensor "${key}" is ${dtypeOf(t.data)}; checkpoints hold F32 tensors only`);
  return { shape: t.shape, data: t.data };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
