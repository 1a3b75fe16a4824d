/**
 * How the authors' released module names map onto a template's parameter names, per template
 * family. The templates name their nodes after the released code (`patch_embed.proj_conv`,
 * `attn.q_linear`, `mlp.fc1_bn`, …), so a table is short: the renames (the released
 * `block.<i>` ModuleList is the document's `block<i+1>` node), and the released tensors the
 * document has no place for on purpose, each with why. Anything else that does not match is a
 * mismatch the import lists.
 */

export interface NameTable {
  /** Released name → engine name (the first matching rule applies). */
  readonly renames: readonly { readonly from: RegExp; readonly to: (m: RegExpMatchArray) => string }[];
  /** Released tensors with no place in the document, and why. */
  readonly ignored: readonly { readonly match: RegExp; readonly why: string }[];
}

const BN_COUNTER = { match: /(^|\.)num_batches_tracked$/, why: "BatchNorm's step counter, which only momentum=None uses" };

/** `block.<i>.…` (the released nn.ModuleList) → `block<i+1>.…` (one node per block). */
const BLOCK_LIST = { from: /^block\.(\d+)\.(.+)$/, to: (m: RegExpMatchArray) => `block${Number(m[1]) + 1}.${m[2]}` };

const SPIKFORMER_FAMILY: NameTable = {
  renames: [BLOCK_LIST],
  ignored: [
    BN_COUNTER,
    { match: /^block\.\d+\.norm[12]\.(weight|bias)$/, why: 'the released blocks build LayerNorms norm1/norm2 that their forward never calls (see the template description)' },
  ],
};

/**
 * SDT (BICLab/Spike-Driven-Transformer, module/ms_conv.py): the projections are 1×1 Conv2d named
 * `q_conv` … `proj_conv`, `fc1_conv`, `fc2_conv` ([O, I, 1, 1], the document's Linear [O, I]);
 * `attn.talking_heads` (a Conv1d) is built but its forward calls only `talking_heads_lif`.
 */
const SDT: NameTable = {
  renames: [
    { from: /^block\.(\d+)\.attn\.(q|k|v|proj)_conv\.(.+)$/, to: (m) => `block${Number(m[1]) + 1}.attn.${m[2]}_linear.${m[3]}` },
    { from: /^block\.(\d+)\.mlp\.(fc1|fc2)_conv\.(.+)$/, to: (m) => `block${Number(m[1]) + 1}.mlp.${m[2]}_linear.${m[3]}` },
    BLOCK_LIST,
  ],
  ignored: [BN_COUNTER, { match: /^block\.\d+\.attn\.talking_heads\.weight$/, why: 'the released SDSA builds a talking_heads Conv1d that its forward never calls (only talking_heads_lif)' }],
};

/**
 * Spikingformer (zhouchenlin2096/Spikingformer, cifar10/model.py): the tokenizer's convolutions are
 * `block<k>_conv`/`block<k>_bn` (the document's proj_conv, proj_conv1 … proj_conv4), the attention's
 * projections Conv1d `q_conv` … `proj_conv` ([O, I, 1]), the MLP's 1×1 Conv2d `mlp1_*`/`mlp2_*`
 * (fc1/fc2); norm1/norm2 are built and never called.
 */
const SPIKINGFORMER: NameTable = {
  renames: [
    { from: /^patch_embed\.block(\d)_(conv|bn)\.(.+)$/, to: (m) => `patch_embed.proj_${m[2]}${m[1] === '0' ? '' : m[1]}.${m[3]}` },
    { from: /^block\.(\d+)\.attn\.(q|k|v|proj)_conv\.(.+)$/, to: (m) => `block${Number(m[1]) + 1}.attn.${m[2]}_linear.${m[3]}` },
    { from: /^block\.(\d+)\.mlp\.mlp([12])_conv\.(.+)$/, to: (m) => `block${Number(m[1]) + 1}.mlp.fc${m[2]}_linear.${m[3]}` },
    { from: /^block\.(\d+)\.mlp\.mlp([12])_bn\.(.+)$/, to: (m) => `block${Number(m[1]) + 1}.mlp.fc${m[2]}_bn.${m[3]}` },
    BLOCK_LIST,
  ],
  ignored: SPIKFORMER_FAMILY.ignored,
};

/**
 * QKFormer (zhouchenlin2096/QKFormer, cifar10/model.py): stages are ModuleLists `stage<s>.<i>` with
 * the attention as `tssa` (Q-K token attention) or `ssa`, Conv1d projections `q_conv` …
 * `proj_conv` ([O, I, 1]) and the MLP's 1×1 Conv2d `mlp1_*`/`mlp2_*`; the first patch embedding
 * names its second conv `proj1_*`, the later ones theirs `proj3_*` and `proj4_*`.
 */
const QKFORMER: NameTable = {
  renames: [
    { from: /^stage(\d)\.(\d+)\.t?ssa\.(q|k|v|proj)_conv\.(.+)$/, to: (m) => `stage${m[1]}_block${Number(m[2]) + 1}.attn.${m[3]}_linear.${m[4]}` },
    { from: /^stage(\d)\.(\d+)\.t?ssa\.(.+)$/, to: (m) => `stage${m[1]}_block${Number(m[2]) + 1}.attn.${m[3]}` },
    { from: /^stage(\d)\.(\d+)\.mlp\.mlp([12])_(conv|bn)\.(.+)$/, to: (m) => `stage${m[1]}_block${Number(m[2]) + 1}.mlp.fc${m[3]}_${m[4] === 'conv' ? 'linear' : 'bn'}.${m[5]}` },
    { from: /^patch_embed1\.proj1_(conv|bn)\.(.+)$/, to: (m) => `patch_embed1.proj_${m[1]}1.${m[2]}` },
    { from: /^patch_embed([23])\.proj3_(conv|bn)\.(.+)$/, to: (m) => `patch_embed${m[1]}.proj_${m[2]}.${m[3]}` },
    { from: /^patch_embed([23])\.proj4_(conv|bn)\.(.+)$/, to: (m) => `patch_embed${m[1]}.proj_${m[2]}1.${m[3]}` },
  ],
  ignored: [BN_COUNTER],
};

const PLAIN: NameTable = { renames: [], ignored: [BN_COUNTER] };

const TABLES: Readonly<Record<string, NameTable>> = {
  spikformer: SPIKFORMER_FAMILY,
  'cml-spikformer': SPIKFORMER_FAMILY,
  'auto-spikformer': SPIKFORMER_FAMILY,
  'spikformer-v2': SPIKFORMER_FAMILY,
  spikingformer: SPIKINGFORMER,
  'cml-spikingformer': SPIKINGFORMER,
  sdt: SDT,
  qkformer: QKFORMER,
};

/** The table of a template family (`meta.template` of a template's document); plain names otherwise. */
export function nameTable(template: string | undefined): NameTable {
  return template !== undefined && Object.hasOwn(TABLES, template) ? TABLES[template]! : PLAIN;
}
