/** The export lint on every template (which nodes each format refuses, and why), and on the forms NIR cannot hold. */
import { describe, expect, it } from 'vitest';
import { lintExport, lintText, requireExportable, ExportRefused } from '../../engine/core/export/lint.js';
import { buildTemplate, listTemplates } from '../../templates/index.js';
import { smallCnn } from './docs.js';

/** The tiny (or digits) preset of every template, or its first. */
const GALLERY = listTemplates().map((t) => ({ id: t.id, preset: (t.presets.find((p) => p.name === 'tiny' || p.name === 'digits') ?? t.presets[0]!).name }));

/** Blocks of each template's small preset with no generated PyTorch form (none today: every small preset exports whole). */
const PYTORCH_GAPS: Readonly<Record<string, readonly string[]>> = {};

/** What makes each template's small preset impossible in NIR (each appears among the findings). */
const NIR_REASONS: Readonly<Record<string, readonly string[]>> = {
  'lif-cnn': ['maxpool2d'],
  spikformer: ['ssa_core', 'maxpool2d', 'sew'],
  qkformer: ['qkta_core', 'mask_mul', 'ssa_core'],
  'spikformer-v2': ['ssa_core'],
  sdt: ['sdsa_core', 'membrane_add'],
  'meta-spikeformer': ['ssa_core', 'membrane_add', 'bn_pad'],
  spikingformer: ['ssa_core', 'membrane_add'],
  'cml-spikformer': ['ssa_core'],
  'cml-spikingformer': ['ssa_core'],
  'auto-spikformer': ['ssa_core'],
  spikedhs: ['spikedhs_neuron', 'concat', 'nearest_resize'],
  psn: ['psn'],
  hybrid: ['softmax_attention', 'layernorm'],
};

describe('export lint on every template', () => {
  it('covers the whole gallery', () => {
    expect(Object.keys(NIR_REASONS).sort()).toEqual(GALLERY.map((t) => t.id).sort());
  });

  for (const { id, preset } of GALLERY) {
    it(`${id}:${preset}`, () => {
      const doc = buildTemplate(id, preset);
      expect(lintExport(doc, 'onnx').findings).toEqual([]);

      const torch = lintExport(doc, 'pytorch');
      expect([...new Set(torch.findings.map((f) => f.block))].sort()).toEqual([...(PYTORCH_GAPS[id] ?? [])].sort());
      expect(torch.ok).toBe(!PYTORCH_GAPS[id]);

      const nir = lintExport(doc, 'nir');
      expect(nir.ok).toBe(false);
      const blocks = new Set(nir.findings.map((f) => f.block));
      for (const b of NIR_REASONS[id]!) expect(blocks, `${id}: NIR should refuse ${b}`).toContain(b);
      // every finding marks a node of the document itself, and names the primitive inside it
      const top = new Set(doc.nodes.map((n) => n.id));
      for (const f of [...nir.findings, ...torch.findings]) {
        expect(top).toContain(f.nodeId);
        expect(f.path === f.nodeId || f.path.startsWith(`${f.nodeId}.`)).toBe(true);
        expect(f.reason.length).toBeGreaterThan(10);
      }
    });
  }

  it('lif-cnn: NIR refuses exactly its two max-pools, and says why', () => {
    const nir = lintExport(buildTemplate('lif-cnn', 'digits'), 'nir');
    expect(nir.findings.map((f) => f.path)).toEqual(['pool1', 'pool2']);
    expect(lintText(nir)).toBe('pool1 (maxpool2d): max pooling: NIR has AvgPool2d and SumPool2d, no max\npool2 (maxpool2d): max pooling: NIR has AvgPool2d and SumPool2d, no max');
  });

  it('spikformer tiny: the attention core is refused inside its composite, marked on the block', () => {
    const nir = lintExport(buildTemplate('spikformer', 'tiny'), 'nir');
    const core = nir.findings.find((f) => f.block === 'ssa_core')!;
    expect(core.nodeId).toBe('block1');
    expect(core.path).toBe('block1.attn.attn');
    expect(core.reason).toMatch(/attention/);
  });
});

describe('export lint: NIR neurons, BatchNorm folding', () => {
  it('a LIF CNN with average pooling and hard resets is whole in NIR', () => {
    expect(lintExport(smallCnn(), 'nir')).toEqual({ format: 'nir', ok: true, findings: [] });
    expect(() => requireExportable(smallCnn(), 'nir')).not.toThrow();
  });

  it('soft reset is refused on every neuron', () => {
    const nir = lintExport(smallCnn({ vReset: null }), 'nir');
    expect(nir.findings.map((f) => f.path)).toEqual(['lif1', 'lif2', 'lif3']);
    expect(nir.findings[0]!.reason).toMatch(/soft reset/);
  });

  it('a neuron walking the merged T·B rows is refused (QKFormer\'s released-code SSA projection LIF); PyTorch holds it', () => {
    const doc = smallCnn();
    const lif2 = doc.nodes.find((n) => n.id === 'lif2')!;
    const merged = { ...doc, nodes: doc.nodes.map((n) => (n === lif2 ? { ...n, params: { ...n.params, mergeRows: true } } : n)) };
    const nir = lintExport(merged, 'nir');
    expect(nir.findings.map((f) => f.path)).toEqual(['lif2']);
    expect(nir.findings[0]!.reason).toMatch(/merged T·B rows.*carries from sample to sample/);
    expect(lintExport(merged, 'pytorch').ok).toBe(true);
    const released = lintExport(buildTemplate('qkformer', 'tiny', { releasedCode: true }), 'nir');
    expect(released.findings.filter((f) => /merged/.test(f.reason)).map((f) => f.path)).toEqual(['stage3_block1.attn.proj_lif']);
  });

  it('a BatchNorm with no Conv/Linear right before it cannot be folded', () => {
    const nir = lintExport(smallCnn({ bnAfterPool: true }), 'nir');
    expect(nir.findings).toEqual([{ nodeId: 'bn_pool', path: 'bn_pool', block: 'batchnorm2d', reason: 'BatchNorm that cannot be folded: its input comes from "pool1" (avgpool2d), not a Conv or Linear' }]);
  });

  it('PyTorch refuses what has no generated form: the eroded SDSA, a node id with a dot', () => {
    const doc = smallCnn();
    const dotted = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'fc1' ? { ...n, id: 'fc.1' } : n)), edges: doc.edges.map((e) => ({ ...e, source: e.source === 'fc1' ? 'fc.1' : e.source, target: e.target === 'fc1' ? 'fc.1' : e.target })) };
    expect(lintExport(dotted, 'pytorch').findings).toEqual([{ nodeId: 'fc.1', path: 'fc.1', block: 'linear', reason: 'node id "fc.1" contains a dot, which a PyTorch module name cannot' }]);
    const sdt = buildTemplate('sdt', 'tiny');
    const withErode = { ...sdt, nodes: sdt.nodes.map((n) => (n.block === 'sdt_block' ? { ...n, params: { ...n.params, erode: true } } : n)) };
    const findings = lintExport(withErode, 'pytorch').findings;
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.some((f) => f.block === 'sdsa_core' && /eroded SDSA/.test(f.reason))).toBe(true);
  });

  it('an exporter refuses with the whole list', () => {
    const refuse = () => requireExportable(smallCnn({ pool: 'maxpool2d', vReset: null }), 'nir');
    expect(refuse).toThrow(ExportRefused);
    expect(refuse).toThrow(/cannot export to nir: 4 nodes the format cannot hold\nlif1 \(lif\): soft reset/);
  });
});
