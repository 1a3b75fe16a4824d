/**
 * Graph analysis (analyseDocument): located problems for every kind of broken graph, value kinds
 * and the not-spike-driven design facts, parameter and MAC counts against numbers computed by hand,
 * composites defined inside a document (including one that contains itself), and the InferCache.
 */
import { describe, expect, it } from 'vitest';
import type { GraphDocument, NodeSpec } from '../../engine/core/document/schema.js';
import { analyseDocument, createInferCache, type GraphAnalysis } from '../../engine/core/graph/infer.js';
import { formatProblem, type Problem } from '../../engine/core/problems.js';
import { Rng } from '../../engine/core/rng.js';
import { compileInference } from '../../engine/runtime/compile.js';
import { GraphBuilder, type PortRef } from '../../templates/builder.js';
import { buildTemplate } from '../../templates/index.js';
import { lifCnn } from '../../templates/lif-cnn.js';
import { expectExact } from './helpers/compare.js';
import { runLogits } from './helpers/probe.js';
import { convBnLifComposite } from './helpers/docs.js';

function doc(g: GraphBuilder, input: GraphDocument['input'] = { shape: [3, 8, 8], kind: 'image' }, timeSteps = 4): GraphDocument {
  return { format: 'snn-studio/graph', version: 1, name: 't', timeSteps, input, nodes: [...g.nodes], edges: [...g.edges] };
}

const errors = (a: GraphAnalysis): Problem[] => a.problems.filter((p) => p.severity === 'error');
const infos = (a: GraphAnalysis): Problem[] => a.problems.filter((p) => p.severity === 'info');
const texts = (ps: readonly Problem[]): string[] => ps.map(formatProblem);

/** input → direct encoder, returning the builder and the encoder's output. */
function encoded(): [GraphBuilder, PortRef] {
  const g = new GraphBuilder();
  const x = g.add('x', 'input');
  return [g, g.add('enc', 'direct_encoder', {}, x)];
}

describe('located problems', () => {
  it('reports a cycle once, naming its nodes, and does not throw', () => {
    const [g, enc] = encoded();
    const a = g.add('a', 'lif', {}, enc);
    g.add('b', 'lif', {}, a);
    g.add('y', 'output', {}, a);
    const d = doc(g);
    // a's input comes from b instead: enc → a is replaced by b → a
    d.edges = d.edges.map((e) => (e.target === 'a' ? { source: 'b', target: 'a' } : e));
    const got = errors(analyseDocument(d));
    const cycles = got.filter((p) => p.message.startsWith('cycle:'));
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.message).toMatch(/^cycle: "(a|b)" → "(a|b)" → "(a|b)"; spiking state flows through time inside neurons/);
    expect(cycles[0]!.path).toMatch(/^nodes\[(2|3)\] "(a|b)"$/);
  });

  it('reports a node connected to itself on its edge', () => {
    const [g, enc] = encoded();
    const a = g.add('a', 'sew', {}, { a: enc, b: enc });
    g.add('y', 'output', {}, a);
    const d = doc(g);
    d.edges[2] = { source: 'a', target: 'a', targetPort: 'b' };
    const got = errors(analyseDocument(d));
    expect(got).toContainEqual({ severity: 'error', path: 'edges[2]', edgeIndex: 2, message: 'node "a" is connected to itself' });
  });

  it('reports dangling edges and ports with the edge index', () => {
    const [g, enc] = encoded();
    const n = g.add('n', 'lif', {}, enc);
    g.add('y', 'output', {}, n);
    const d = doc(g);
    d.edges.push({ source: 'ghost', target: 'n' }, { source: 'n', target: 'nowhere' }, { source: 'n', sourcePort: 'spikes', target: 'y' }, { source: 'enc', target: 'n', targetPort: 'x' });
    const got = errors(analyseDocument(d));
    expect(got).toContainEqual({ severity: 'error', path: 'edges[3].source', edgeIndex: 3, message: 'no node "ghost"' });
    expect(got).toContainEqual({ severity: 'error', path: 'edges[4].target', edgeIndex: 4, message: 'no node "nowhere"' });
    expect(got).toContainEqual({ severity: 'error', path: 'edges[5].sourcePort', edgeIndex: 5, message: 'node "n" (lif) has no output port "spikes" (ports: "out")' });
    expect(got).toContainEqual({ severity: 'error', path: 'edges[6].targetPort', edgeIndex: 6, message: 'node "n" (lif) has no input port "x" (ports: "in")' });
    expect(got).toHaveLength(4);
  });

  it('reports a port fed twice', () => {
    const [g, enc] = encoded();
    const n = g.add('n', 'lif', {}, enc);
    g.add('y', 'output', {}, n);
    const d = doc(g);
    d.edges.push({ source: 'x', target: 'n' });
    expect(errors(analyseDocument(d))).toEqual([
      { severity: 'error', path: 'edges[3]', edgeIndex: 3, message: 'input port "in" of "n" is already connected (edges[1])' },
    ]);
  });

  it('reports duplicate ids at the second node', () => {
    const [g, enc] = encoded();
    const n = g.add('n', 'lif', {}, enc);
    g.add('y', 'output', {}, n);
    const d = doc(g);
    d.nodes.push({ id: 'n', block: 'if' });
    const got = errors(analyseDocument(d));
    expect(texts(got)).toContain('nodes[4] "n".id: duplicate node id "n" (also nodes[2])');
  });

  it('names unknown blocks and suggests close ones', () => {
    const [g, enc] = encoded();
    const c = g.add('c', 'conv2', { outChannels: 4 }, enc);
    const n = g.add('n', 'LIF', {}, c);
    const m = g.add('m', 'zzz_quantum', {}, n);
    g.add('y', 'output', {}, m);
    const got = texts(errors(analyseDocument(doc(g))));
    expect(got.find((s) => s.startsWith('nodes[2] "c".block'))).toMatch(/^nodes\[2\] "c"\.block: unknown block "conv2"; did you mean "conv2d"/);
    expect(got.find((s) => s.startsWith('nodes[3] "n".block'))).toMatch(/unknown block "LIF"; did you mean .*"lif"/);
    expect(got).toContain('nodes[4] "m".block: unknown block "zzz_quantum"');
    expect(got).toHaveLength(3); // nothing downstream of a broken node is reported twice
  });

  it('puts a shape mismatch on the edge that carries it', () => {
    const [g, enc] = encoded();
    const flat = g.add('flat', 'flatten', {}, enc);
    const conv = g.add('conv', 'conv2d', { outChannels: 4 }, flat);
    g.add('y', 'output', {}, conv);
    const got = errors(analyseDocument(doc(g)));
    expect(got).toEqual([
      { severity: 'error', path: 'nodes[3] "conv" port in', nodeId: 'conv', edgeIndex: 2, port: 'in', message: 'expects [C,H,W] per sample; got [192]' },
    ]);

    const [h, enc2] = encoded();
    const big = h.add('big', 'lif', {}, enc2);
    const small = h.add('small', 'maxpool2d', { kernel: 2 }, big);
    const add = h.add('add', 'sew', {}, { a: big, b: small });
    h.add('y', 'output', {}, add);
    const sew = errors(analyseDocument(doc(h)));
    expect(sew).toHaveLength(1);
    expect(sew[0]).toMatchObject({ path: 'nodes[4] "add" port b', nodeId: 'add', edgeIndex: 4, port: 'b' });
    expect(sew[0]!.message).toBe('shapes differ: a is [T,B,3,8,8], b is [T,B,3,4,4]');
  });

  it('locates bad parameter values as nodes[i] "id".params.name', () => {
    const g = new GraphBuilder();
    const x = g.add('x', 'input');
    const enc = g.add('enc', 'direct_encoder', {}, x);
    const tok = g.add('tok', 'tokens', {}, enc);
    const attn = g.add('attn1', 'softmax_attention', { heads: 7 }, tok);
    const lif = g.add('lif1', 'lif', { tau: 0.5, thresold: 1 }, attn);
    const conv = g.add('conv', 'conv2d', { outChannels: 2.5, kernel: [3, 0] }, lif);
    g.add('y', 'output', {}, conv);
    const a = analyseDocument(doc(g, { shape: [384, 2, 2], kind: 'image' }));
    expect(texts(errors(a))).toEqual([
      'nodes[4] "lif1".params.tau: tau must be > 1 (1/tau is the leak per step)',
      'nodes[4] "lif1".params.thresold: unknown field "thresold"',
      expect.stringMatching(/^nodes\[5\] "conv"\.params\.outChannels: /),
      expect.stringMatching(/^nodes\[5\] "conv"\.params\.kernel/),
      'nodes[3] "attn1".params.heads: 7 heads do not divide dim 384',
    ]);
    const heads = errors(a).find((p) => p.nodeId === 'attn1')!;
    expect(heads.path).toBe('nodes[3] "attn1".params.heads');
    expect(heads.edgeIndex).toBeUndefined();
  });

  it('locates a bad parameter of a spiking attention block in a template the same way', () => {
    const d = buildTemplate('spikformer', 'tiny');
    const i = d.nodes.findIndex((n) => n.block === 'spikformer_block');
    d.nodes[i] = { ...d.nodes[i]!, id: 'attn1', params: { ...d.nodes[i]!.params, heads: 5 } };
    d.edges = d.edges.map((e) => ({ ...e, source: e.source === 'block1' ? 'attn1' : e.source, target: e.target === 'block1' ? 'attn1' : e.target }));
    const got = errors(analyseDocument(d));
    expect(got).toHaveLength(1);
    expect(got[0]!.path).toBe(`nodes[${i}] "attn1".params.heads`);
    expect(formatProblem(got[0]!)).toMatch(new RegExp(`^nodes\\[${i}\\] "attn1"\\.params\\.heads: 5 .*divide.* 32`));
  });

  it('reports unconnected inputs, and a graph without exactly one input and output', () => {
    const [g, enc] = encoded();
    const n = g.add('n', 'lif', {}, enc);
    g.add('add', 'sew', {}, { a: n });
    const got = texts(errors(analyseDocument(doc(g))));
    expect(got).toEqual(['nodes[3] "add": input port "b" is not connected', 'nodes: the graph needs exactly one "output" node, found 0']);
    const two = doc(g);
    two.nodes.push({ id: 'x2', block: 'input' });
    expect(texts(errors(analyseDocument(two)))).toContain('nodes: the graph needs exactly one "input" node, found 2');
  });

  it('every problem of a broken graph names a place', () => {
    const [g, enc] = encoded();
    const c = g.add('c', 'conv2d', { outChannels: 3, groups: 2 }, enc);
    g.add('y', 'output', {}, c);
    const a = analyseDocument(doc(g));
    expect(texts(errors(a))).toEqual(['nodes[2] "c".params.groups: groups 2 does not divide 3 input channels']);
  });
});

describe('value kinds and the spike-driven facts', () => {
  function kindsDoc(): GraphDocument {
    const [g, enc] = encoded();
    const c1 = g.chain(enc, [
      ['conv1', 'conv2d', { outChannels: 4 }],
      ['bn1', 'batchnorm2d'],
    ]);
    const s1 = g.add('lif1', 'lif', {}, c1);
    const s2 = g.chain(s1, [
      ['conv2', 'conv2d', { outChannels: 4 }],
      ['bn2', 'batchnorm2d'],
      ['lif2', 'lif'],
    ]);
    const counts = g.add('sew', 'sew', {}, { a: s2, b: s1 });
    const c3 = g.chain(counts, [
      ['conv3', 'conv2d', { outChannels: 4 }],
      ['bn3', 'batchnorm2d'],
    ]);
    const mem = g.add('madd', 'membrane_add', {}, { a: c3, b: c1 });
    const s4 = g.chain(mem, [
      ['lif4', 'lif'],
      ['pool', 'maxpool2d'],
      ['avg', 'avgpool2d'],
      ['gap', 'global_avgpool'],
      ['mean', 'mean_time'],
      ['head', 'head', { classes: 5 }],
    ]);
    g.add('y', 'output', {}, s4);
    return doc(g);
  }

  it('infers analog → spikes → counts → membrane along the graph', () => {
    const a = analyseDocument(kindsDoc());
    expect(errors(a)).toEqual([]);
    const out = (id: string) => a.body.byId.get(id)!.outputs.out!;
    expect(a.body.byId.get('x')!.outputs.out).toEqual({ shape: [3, 8, 8], timed: false, kind: 'analog' });
    expect(out('enc')).toEqual({ shape: [3, 8, 8], timed: true, kind: 'analog' });
    expect(out('lif1').kind).toBe('spikes');
    expect(out('sew')).toEqual({ shape: [4, 8, 8], timed: true, kind: 'counts' });
    expect(out('madd').kind).toBe('membrane');
    expect(out('pool')).toEqual({ shape: [4, 4, 4], timed: true, kind: 'spikes' });
    expect(out('avg')).toEqual({ shape: [4, 2, 2], timed: true, kind: 'analog' });
    expect(out('mean')).toEqual({ shape: [4], timed: false, kind: 'analog' });
    expect(a.output).toEqual({ shape: [5], timed: false, kind: 'analog' });
    expect(a.body.byId.get('conv1')!.synapticKind).toBe('analog');
    expect(a.body.byId.get('conv2')!.synapticKind).toBe('spikes');
    expect(a.body.byId.get('conv3')!.synapticKind).toBe('counts');
    // edges carry the same types
    const edgeInto = (id: string) => a.body.edges[a.body.source.edges.findIndex((e) => e.target === id)]!.type;
    expect(edgeInto('conv3')?.kind).toBe('counts');
  });

  it('notes where a synaptic layer is not spike-driven, but not for the first conv on the encoded image', () => {
    const a = analyseDocument(kindsDoc());
    expect(texts(infos(a))).toEqual(['info: nodes[9] "conv3": accumulates counts (up to 2 ACs per input): it reads spike counts, not binary spikes']);
    // spike-driven accounting: conv2 gets spikes, conv1 the analog image, conv3 counts, the head analog rates
    const m = (id: string) => a.body.byId.get(id)!;
    expect(a.spikeMacs).toBe(m('conv2').macs);
  });

  it('notes a conv fed analog values that are not the encoded input', () => {
    const [g, enc] = encoded();
    const y = g.chain(enc, [
      ['conv1', 'conv2d', { outChannels: 4 }],
      ['conv2', 'conv2d', { outChannels: 4 }],
    ]);
    g.add('y', 'output', {}, y);
    expect(texts(infos(analyseDocument(doc(g))))).toEqual([
      'info: nodes[3] "conv2": reads analog values, not binary spikes: it multiplies (MACs) and is not spike-driven here',
    ]);
  });

  it('event frames are counts (noted at the first conv) unless binarised', () => {
    for (const binarize of [false, true]) {
      const g = new GraphBuilder();
      const x = g.add('x', 'input');
      const y = g.chain(x, [
        ['ev', 'event_frames', { binarize }],
        ['conv', 'conv2d', { outChannels: 4 }],
      ]);
      g.add('y', 'output', {}, y);
      const a = analyseDocument(doc(g, { shape: [2, 8, 8], kind: 'events' }));
      expect(a.body.byId.get('ev')!.outputs.out!.kind).toBe(binarize ? 'spikes' : 'counts');
      expect(infos(a)).toHaveLength(binarize ? 0 : 1);
    }
  });
});

describe('parameters and MACs', () => {
  it('counts conv, BN and linear parameters and MACs as computed by hand', () => {
    const T = 4;
    const [g, enc] = encoded();
    const y = g.chain(enc, [
      ['conv', 'conv2d', { outChannels: 16, kernel: 3, stride: 2, padding: 1, groups: 1, bias: true }], // [16,4,4]
      ['gconv', 'conv2d', { outChannels: 32, kernel: [3, 1], padding: [1, 0], groups: 4 }], // [32,4,4]
      ['bn', 'batchnorm2d'],
      ['lif', 'lif'],
      ['tok', 'tokens'], // [16, 32]
      ['fc', 'linear', { outFeatures: 48 }],
      ['bn1d', 'batchnorm1d'],
      ['mt', 'mean_tokens'],
      ['mean', 'mean_time'],
      ['head', 'head', { classes: 10, bias: false }],
    ]);
    g.add('y', 'output', {}, y);
    const a = analyseDocument(doc(g, { shape: [3, 8, 8], kind: 'image' }, T));
    expect(errors(a)).toEqual([]);
    const n = (id: string) => a.body.byId.get(id)!;
    expect(n('conv').outputs.out!.shape).toEqual([16, 4, 4]);
    expect(n('conv').paramCount).toBe(16 * 3 * 9 + 16);
    expect(n('conv').macs).toBe(T * 4 * 4 * 16 * 3 * 9);
    expect(n('gconv').paramCount).toBe(32 * (16 / 4) * 3 * 1);
    expect(n('gconv').macs).toBe(T * 4 * 4 * 32 * (16 / 4) * 3);
    expect(n('bn').paramCount).toBe(2 * 32);
    expect(n('bn').macs).toBe(0);
    expect(n('fc').paramCount).toBe(32 * 48 + 48);
    expect(n('fc').macs).toBe(T * 16 * 32 * 48);
    expect(n('bn1d').paramCount).toBe(2 * 48);
    expect(n('head').paramCount).toBe(48 * 10);
    expect(n('head').macs).toBe(48 * 10); // untimed after the mean over T: once per sample
    expect(n('lif').paramCount).toBe(0);
    const params = 16 * 27 + 16 + 32 * 12 + 64 + 32 * 48 + 48 + 96 + 480;
    expect(a.paramCount).toBe(params);
    expect(a.macs).toBe(T * (4 * 4 * 16 * 27 + 4 * 4 * 32 * 12 + 16 * 32 * 48) + 480);
    // fc gets spikes (tokens keep the kind), the rest analog
    expect(a.spikeMacs).toBe(T * 16 * 32 * 48);
  });

  it('lif-cnn: 50,282 parameters and 15,479,296 MACs per sample at T = 4', () => {
    const a = analyseDocument(lifCnn());
    // conv1 1·32·9, bn1 2·32, conv2 32·64·9, bn2 2·64, fc 3136·10 + 10
    expect(a.paramCount).toBe(288 + 64 + 18432 + 128 + 31370);
    // conv1 28²·32·9·T, conv2 14²·64·288·T, fc 3136·10·T
    expect(a.macs).toBe(4 * (28 * 28 * 32 * 9 + 14 * 14 * 64 * 288 + 3136 * 10));
    expect(a.spikeMacs).toBe(4 * (14 * 14 * 64 * 288 + 3136 * 10));
    // the IR agrees: the initialised parameters (less BN buffers) add up to the analysis' count
    const c = compileInference(lifCnn());
    const learnable = c.graph.params.filter((p) => p.role !== 'buffer').reduce((s, p) => s + c.params.get(p.name)!.length, 0);
    expect(learnable).toBe(a.paramCount);
  });

  it('PSN-family parameter counts: T² + T, and k + 1 for the sliding PSN', () => {
    for (const [block, params, count] of [
      ['psn', {}, 36 + 6],
      ['masked_psn', { order: 3 }, 36 + 6],
      ['sliding_psn', { order: 3 }, 4],
      ['plif', {}, 1],
    ] as const) {
      const [g, enc] = encoded();
      const n = g.add('n', block, params, enc);
      g.add('y', 'output', {}, n);
      expect(analyseDocument(doc(g, undefined, 6)).paramCount, block).toBe(count);
    }
  });
});

describe('composites defined in the document', () => {
  /** conv-bn-lif as a composite with ports x → y */
  const cbl = convBnLifComposite(4, 'Conv-BN-LIF');

  function compositeDoc(): GraphDocument {
    const [g, enc] = encoded();
    const s1 = g.add('s1', 'cbl', {}, { x: enc });
    const s2 = g.add('s2', 'cbl', {}, { x: { node: s1.node, port: 'y' } });
    const y = g.chain({ node: s2.node, port: 'y' }, [
      ['mean', 'mean_time'],
      ['flat', 'flatten'],
    ]);
    g.add('out', 'output', {}, y);
    return { ...doc(g), composites: { cbl } };
  }

  function flatDoc(): GraphDocument {
    const [g, enc] = encoded();
    const y = g.chain(enc, [
      ['s1.conv', 'conv2d', { outChannels: 4 }],
      ['s1.bn', 'batchnorm2d'],
      ['s1.lif', 'lif'],
      ['s2.conv', 'conv2d', { outChannels: 4 }],
      ['s2.bn', 'batchnorm2d'],
      ['s2.lif', 'lif'],
      ['mean', 'mean_time'],
      ['flat', 'flatten'],
    ]);
    g.add('out', 'output', {}, y);
    return doc(g);
  }

  it('analyses a composite per use, with its inside visible', () => {
    const a = analyseDocument(compositeDoc());
    expect(a.problems).toEqual([]);
    const s2 = a.body.byId.get('s2')!;
    expect(s2.block.kind).toBe('composite');
    expect(s2.block.label).toBe('Conv-BN-LIF');
    expect(s2.outputs.y).toEqual({ shape: [4, 8, 8], timed: true, kind: 'spikes' });
    expect(s2.paramCount).toBe(4 * 4 * 9 + 8);
    expect(s2.inner!.byId.get('conv')!.synapticKind).toBe('spikes');
    expect(a.body.byId.get('s1')!.paramCount).toBe(4 * 3 * 9 + 8);
    expect(a.output).toEqual({ shape: [256], timed: false, kind: 'analog' });
  });

  it("a composite's ports are its input/output node names; the default ports do not exist on it", () => {
    const d = compositeDoc();
    const k = d.edges.findIndex((e) => e.target === 's2');
    d.edges[k] = { source: 's1', sourcePort: 'y', target: 's2' };
    expect(texts(errors(analyseDocument(d)))).toEqual([
      `edges[${k}].targetPort: node "s2" (cbl) has no input port "in" (ports: "x")`,
      'nodes[3] "s2": input port "x" is not connected',
    ]);
  });

  it('compiles to the same numbers as the flattened graph with the same weights', async () => {
    const seeded = compileInference(compositeDoc(), { batch: 2, seed: 3 });
    expect(seeded.graph.params.map((p) => p.name)).toEqual(
      ['s1', 's2'].flatMap((s) => ['conv.weight', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var'].map((n) => `${s}.${n}`)),
    );
    // BN gain 4 so that both layers fire (a comparison of all-zero outputs would prove little)
    const params = new Map(seeded.params);
    for (const s of ['s1', 's2']) params.set(`${s}.bn.weight`, new Float32Array(4).fill(4));
    const composite = compileInference(compositeDoc(), { batch: 2, params });
    const flat = compileInference(flatDoc(), { batch: 2, params });
    expect([...flat.params.keys()].sort()).toEqual([...composite.params.keys()].sort());
    const rng = Rng.fromSeed(5);
    const x = Float32Array.from({ length: 2 * 3 * 8 * 8 }, () => rng.normal());
    const a = await runLogits(composite, x);
    const b = await runLogits(flat, x);
    expectExact(a, b, 'composite vs flattened');
    expect(a.some((v) => v > 0)).toBe(true);
  });

  it('a composite that contains itself is a located error, not a stack overflow', () => {
    const loop = {
      nodes: [
        { id: 'x', block: 'input' },
        { id: 'again', block: 'loop' },
        { id: 'y', block: 'output' },
      ],
      edges: [
        { source: 'x', target: 'again', targetPort: 'x' },
        { source: 'again', sourcePort: 'y', target: 'y' },
      ],
    };
    const [g, enc] = encoded();
    const l = g.add('l1', 'loop', {}, { x: enc });
    g.add('out', 'output', {}, { node: l.node, port: 'y' });
    const a = analyseDocument({ ...doc(g), composites: { loop } });
    const got = errors(a);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ path: 'nodes[2] "l1"', nodeId: 'l1', inner: ['again'], innerPath: ['nodes[1] "again"'] });
    expect(got[0]!.message).toBe('composite "loop" contains itself (loop → loop)');
  });

  it('mutual recursion between composites is found too', () => {
    const body = (inner: string) => ({
      nodes: [
        { id: 'x', block: 'input' },
        { id: 'n', block: inner },
        { id: 'y', block: 'output' },
      ],
      edges: [
        { source: 'x', target: 'n', targetPort: 'x' },
        { source: 'n', sourcePort: 'y', target: 'y' },
      ],
    });
    const [g, enc] = encoded();
    const l = g.add('c', 'ping', {}, { x: enc });
    g.add('out', 'output', {}, { node: l.node, port: 'y' });
    const got = errors(analyseDocument({ ...doc(g), composites: { ping: body('pong'), pong: body('ping') } }));
    expect(got).toHaveLength(1);
    expect(got[0]!.path).toBe('nodes[2] "c"');
    expect(got[0]!.inner).toEqual(['n', 'n']);
    expect(got[0]!.message).toMatch(/composite "ping" contains itself \(ping → pong → ping\)/);
  });

  it('a very long chain of nested composites is a located error, not a stack overflow', () => {
    const composites: NonNullable<GraphDocument['composites']> = {};
    const depth = 5000;
    for (let i = 0; i < depth; i++) {
      const inner = i === depth - 1 ? 'lif' : `c${i + 1}`;
      const ports = inner === 'lif' ? {} : { targetPort: 'x' };
      composites[`c${i}`] = {
        nodes: [
          { id: 'x', block: 'input' },
          { id: 'n', block: inner },
          { id: 'y', block: 'output' },
        ],
        edges: [
          { source: 'x', target: 'n', ...ports },
          { source: 'n', target: 'y', ...(inner === 'lif' ? {} : { sourcePort: 'y' }) },
        ],
      };
    }
    const [g, enc] = encoded();
    const c = g.add('c', 'c0', {}, { x: enc });
    g.add('out', 'output', {}, { node: c.node, port: 'y' });
    const got = errors(analyseDocument({ ...doc(g), composites }));
    expect(got).toHaveLength(1);
    expect(got[0]!.path).toBe('nodes[2] "c"');
    expect(got[0]!.message).toMatch(/composites are nested more than 32 deep here$/);
    // ten levels are fine
    composites.c9 = composites[`c${depth - 1}`]!;
    expect(errors(analyseDocument({ ...doc(g), composites }))).toEqual([]);
  });

  it('errors inside a composite point at the instance and the inner node', () => {
    const bad = structuredClone(cbl) as typeof cbl;
    (bad.nodes[1] as NodeSpec).params = { outChannels: 4, groups: 3 };
    const a = analyseDocument({ ...compositeDoc(), composites: { cbl: bad } });
    const got = errors(a);
    expect(got).toHaveLength(1); // s2 is not analysed: its input failed
    expect(got[0]).toMatchObject({ path: 'nodes[2] "s1"', nodeId: 's1', inner: ['conv'], innerPath: ['nodes[1] "conv".params.groups'] });
    expect(formatProblem(got[0]!)).toBe('nodes[2] "s1" › nodes[1] "conv".params.groups: groups 3 does not divide 4 output channels');
  });
});

describe('InferCache', () => {
  it('re-analysis after an edit with a warm cache equals a cold analysis', () => {
    const d = structuredClone(lifCnn());
    const cache = createInferCache();
    analyseDocument(d, cache);
    const fc = d.nodes.find((n) => n.id === 'fc')!;
    fc.params = { outFeatures: 7 };
    const warm = analyseDocument(d, cache);
    const cold = analyseDocument(d);
    expect(warm.output).toEqual({ shape: [7], timed: false, kind: 'analog' });
    expect(warm.paramCount).toBe(cold.paramCount);
    expect(warm.macs).toBe(cold.macs);
    expect(warm.problems).toEqual(cold.problems);
  });
});
