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
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { CheckpointError } from './checkpoint-error.js';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, checkpointMetaSchema, type CheckpointMeta, type CheckpointMetaInput } from './checkpoint-meta.js';
import { decodeSafetensors, dtypeOf, encodeSafetensors, type Tensor } from './safetensors.js';

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
  await writeFileAtomic(tensorsPath, bytes);
  // Last: the json's appearance is what makes the checkpoint exist.
  await writeFileAtomic(jsonPath, `${JSON.stringify(meta, null, 2)}\n`);
  return { jsonPath, tensorsPath, meta };
}

/** Loads a checkpoint from its `.json`, its `.safetensors`, or its path without extension. */
export async function loadCheckpoint(path: string): Promise<LoadedCheckpoint> {
  const jsonPath = path.endsWith('.json') ? path : `${path.replace(/\.safetensors$/, '')}.json`;
  const meta = await readMeta(jsonPath);
  const tensorsPath = join(dirname(jsonPath), meta.tensors.file);
  const bytes = await readFile(tensorsPath).catch((e: Error) => {
    throw new CheckpointError(tensorsPath, `cannot read the tensors of checkpoint ${basename(jsonPath)}: ${e.message}`);
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

/** The complete checkpoints in `dir` (those with a valid json), oldest step first. Other json files are skipped. */
export async function listCheckpoints(dir: string): Promise<{ name: string; jsonPath: string; meta: CheckpointMeta }[]> {
  const found = [];
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.json') || file.startsWith('.')) continue;
    const jsonPath = join(dir, file);
    const meta = await readMeta(jsonPath).catch(() => undefined);
    if (meta) found.push({ name: file.slice(0, -'.json'.length), jsonPath, meta });
  }
  return found.sort((a, b) => a.meta.step - b.meta.step || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
    text = await readFile(jsonPath, 'utf8');
  } catch (e) {
    throw new CheckpointError(jsonPath, `cannot read checkpoint json: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(jsonPath, `not valid JSON (${(e as Error).message})`);
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
