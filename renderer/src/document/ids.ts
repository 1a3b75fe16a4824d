/**
 * Identifiers in a graph body: node ids must be unique within their body and match the document
 * schema's id pattern; edges carry no id in the document, so the editor derives one from their ends
 * (a target port takes one edge, which makes the ends unique in a valid body).
 */
import { DEFAULT_IN_PORT, DEFAULT_OUT_PORT, type EdgeSpec } from '../../../engine/core/document/schema.js';

const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function isValidId(id: string): boolean {
  return id.length > 0 && id.length <= 200 && ID_PATTERN.test(id);
}

/** A valid id built from any text: `Conv 2d!` → `Conv_2d_`. */
export function sanitizeId(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `n_${cleaned}`;
}

/** `base` if free, else `base_2`, `base_3`, ... (a trailing `_n` of `base` is replaced, not stacked). */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  const stem = sanitizeId(base);
  if (!taken.has(stem)) return stem;
  const root = stem.replace(/_\d+$/, '');
  for (let i = 2; ; i++) {
    const candidate = `${root}_${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * The stem of a new node's id, from the block's name as the palette shows it: "To feature map" →
 * `to_feature_map`, "Spiking self-attention (SSA)" → `ssa`, "LIF neuron" → `lif`, "Conv1d 1×1" →
 * `conv1d`. A name too long to type comfortably falls back to the block's id.
 */
export function idStemFromName(label: string, blockId: string): string {
  const abbreviation = /^(.*\S)\s*\(([A-Z][A-Z0-9-]{1,6})\)$/.exec(label.trim());
  // "Spiking self-attention (SSA)" is called SSA; "Membrane-shortcut SPS (SDT)" names its paper
  if (abbreviation && abbreviation[1]![0]!.toUpperCase() === abbreviation[2]![0]) return abbreviation[2]!.toLowerCase().replace(/-/g, '_');
  const words = label
    // a short lowercase qualifier is part of the name ("To feature map (like)"); a gloss is not
    .replace(/\(([a-z]{1,6})\)/g, ' $1 ')
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\b\d+\s*[×x]\s*\d+\b/g, ' ')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  if (words.length > 1 && words[words.length - 1] === 'neuron') words.pop();
  const stem = words.join('_');
  return stem === '' || stem.length > MAX_STEM ? sanitizeId(blockId) : sanitizeId(stem);
}

const MAX_STEM = 24;

/** A fresh id for a new node whose id stem is `stem`: `conv2d_1`, `conv2d_2`, ... */
export function newNodeId(base: string, taken: ReadonlySet<string>): string {
  const stem = sanitizeId(base);
  for (let i = 1; ; i++) {
    const candidate = `${stem}_${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export function edgeId(e: EdgeSpec): string {
  return `${e.source}.${e.sourcePort ?? DEFAULT_OUT_PORT}>${e.target}.${e.targetPort ?? DEFAULT_IN_PORT}`;
}

/** Edge ids for a whole body; a repeated edge (an invalid document) gets `#2`, `#3` so every id is unique. */
export function edgeIds(edges: readonly EdgeSpec[]): string[] {
  const seen = new Map<string, number>();
  return edges.map((e) => {
    const id = edgeId(e);
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}#${n}`;
  });
}
