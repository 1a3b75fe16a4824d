import { describe, expect, it } from 'vitest';
import { allBlocks } from '../../engine/core/blocks/catalogue.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { buildFlow, type FlowInput } from '../../renderer/src/canvas/flow-model.js';
import { updateBody } from '../../renderer/src/document/body.js';
import { connect, setParam } from '../../renderer/src/document/ops.js';
import { paletteGroups } from '../../renderer/src/palette/palette-groups.js';
import { placeProblem } from '../../renderer/src/problems/locate.js';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { GraphBuilder } from '../../templates/builder.js';
import { buildTemplate } from '../../templates/index.js';
import { cnn } from './fixtures.js';

function input(doc = cnn(), showFacts = false): FlowInput {
  const analysis = analyseDocument(doc);
  return {
    body: doc,
    info: analysis.body,
    problems: analysis.problems,
    scopePath: [],
    composites: {},
    timeSteps: doc.timeSteps,
    selectedNodes: new Set(),
    selectedEdges: new Set(),
    dragPositions: null,
    autoPositions: null,
    sizes: new Map(),
    readOnly: false,
    showFacts,
  };
}

describe('the canvas view model', () => {
  it('labels every edge with its shape and kind, and every node with its parameter count', () => {
    const flow = buildFlow(input(), null);
    expect(flow.edges.every((e) => e.data?.shape !== undefined)).toBe(true);
    expect(flow.edges.find((e) => e.source === 'lif1')!.data).toEqual({ shape: '[4,B,32,28,28]', kind: 'spikes', errors: [] });
    expect(flow.nodes.find((n) => n.id === 'conv1')!.data.paramCount).toBe(288);
  });

  it('keeps the objects of nodes an edit did not change', () => {
    const first = buildFlow(input(), null);
    const edited = updateBody(cnn(), null, (b) => setParam(b, 'fc', ['bias'], false));
    const second = buildFlow(input(edited), first);
    const changed = second.nodes.filter((n, i) => n !== first.nodes[i]).map((n) => n.id);
    expect(changed).toEqual(['fc']);
  });

  it('puts a wiring error on the wire and a parameter error on the node', () => {
    // a Linear takes [D] or tokens [N,D], not the encoder's [1,28,28]
    const wired = updateBody(cnn(), null, (b) => connect(b, { source: 'encoder', sourcePort: 'out', target: 'fc', targetPort: 'in' }));
    const flow = buildFlow(input(wired), null);
    expect(flow.edges.find((e) => e.id === 'encoder.out>fc.in')!.data!.errors).toEqual([expect.stringContaining('expects [D]')]);
    expect(flow.nodes.find((n) => n.id === 'fc')!.data.errors).toEqual([]);
    const bad = updateBody(cnn(), null, (b) => setParam(b, 'conv1', ['outChannels'], -1));
    expect(buildFlow(input(bad), null).nodes.find((n) => n.id === 'conv1')!.data.errors).toHaveLength(1);
  });
});

describe('design facts on the canvas', () => {
  it('shows no fact on a block unless the analysis is on, and counts those inside a composite apart from problems', () => {
    const doc = buildTemplate('spikformer', 'tiny');
    const off = buildFlow(input(doc), null).nodes.find((n) => n.id === 'block1')!.data;
    expect(off).toMatchObject({ errors: [], warnings: [], facts: [], insideProblems: 0, insideFacts: 0 });
    const on = buildFlow(input(doc, true), null).nodes.find((n) => n.id === 'block1')!.data;
    expect(on).toMatchObject({ insideProblems: 0, insideFacts: 4 });
  });

  it('puts a fact about the node itself on that node when the analysis is on', () => {
    const g = new GraphBuilder();
    const c1 = g.add('conv1', 'conv2d', { outChannels: 4 }, g.add('enc', 'direct_encoder', {}, g.add('x', 'input')));
    g.add('y', 'output', {}, g.add('conv2', 'conv2d', { outChannels: 4 }, c1));
    const doc: GraphDocument = { format: 'snn-studio/graph', version: 1, name: 't', timeSteps: 2, input: { shape: [1, 8, 8], kind: 'image' }, nodes: [...g.nodes], edges: [...g.edges] };
    const facts = (on: boolean) => buildFlow(input(doc, on), null).nodes.flatMap((n) => n.data.facts.map((f) => `${n.id}: ${f}`));
    expect(facts(false)).toEqual([]);
    expect(facts(true)).toEqual(['conv2: reads analog values, not binary spikes: it multiplies (MACs) and is not spike-driven here']);
  });
});

describe('problems placed in the scope on screen', () => {
  it('maps a problem inside a composite onto the inner node and its wire', () => {
    const p = {
      severity: 'error' as const,
      path: 'nodes[3] "block1"',
      nodeId: 'block1',
      inner: ['attn', 'q_lin'],
      innerPath: ['nodes[1] "attn"', 'nodes[2] "q_lin" port in'],
      port: 'in',
      message: 'expects [N,D]',
    };
    const body = { nodes: [{ id: 'q_lin', block: 'linear' }, { id: 'x', block: 'input' }], edges: [{ source: 'x', target: 'q_lin' }] };
    expect(placeProblem(p, [], body)).toEqual({ at: 'inside', nodeId: 'block1', path: ['attn', 'q_lin'] });
    expect(placeProblem(p, ['block1'], body)).toEqual({ at: 'inside', nodeId: 'attn', path: ['q_lin'] });
    expect(placeProblem(p, ['block1', 'attn'], body)).toEqual({ at: 'node', nodeId: 'q_lin', edgeId: 'x.out>q_lin.in' });
    expect(placeProblem(p, ['other'], body)).toEqual({ at: 'elsewhere' });
  });
});

describe('the palette', () => {
  it('groups blocks in building order, with My blocks first, and searches labels, ids and keywords', () => {
    const groups = paletteGroups(allBlocks(), { mine: { label: 'My stage', nodes: [], edges: [] } }, '');
    expect(groups.map((g) => g.id).slice(0, 4)).toEqual(['mine', 'encoders', 'neurons', 'layers']);
    const found = paletteGroups(allBlocks(), {}, 'poisson');
    expect(found.flatMap((g) => g.items.map((i) => i.id))).toEqual(['rate_encoder']);
    expect(paletteGroups(allBlocks(), {}, 'conv')[0]!.items[0]!.id).toBe('conv2d');
    expect(paletteGroups(allBlocks(), {}, 'zzzz')).toEqual([]);
  });
});
