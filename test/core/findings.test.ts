/**
 * Severities: each kind of finding has one severity (errors: the graph cannot run; warnings: likely
 * mistakes; info: design facts), the published templates open with no errors or warnings, and the
 * once-per-document summary counts the facts.
 */
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { spikeDrivenSummary } from '../../engine/core/graph/summary.js';
import { FINDING_SEVERITY, formatProblem, type Problem } from '../../engine/core/problems.js';
import { GraphBuilder, type PortRef } from '../../templates/builder.js';
import { buildTemplate, listTemplates } from '../../templates/index.js';

function doc(g: GraphBuilder, input: GraphDocument['input'] = { shape: [3, 8, 8], kind: 'image' }): GraphDocument {
  return { format: 'snn-studio/graph', version: 1, name: 't', timeSteps: 4, input, nodes: [...g.nodes], edges: [...g.edges] };
}

function encoded(): [GraphBuilder, PortRef] {
  const g = new GraphBuilder();
  const x = g.add('x', 'input');
  return [g, g.add('enc', 'direct_encoder', {}, x)];
}

function only(problems: readonly Problem[]): Problem {
  expect(problems.map(formatProblem)).toHaveLength(1);
  return problems[0]!;
}

describe('the severity of each kind of finding', () => {
  it('the table gives warnings for likely mistakes and info for design facts', () => {
    expect(FINDING_SEVERITY).toEqual({ 'block-check': 'warning', 'macs-on-counts': 'info', 'not-spike-driven': 'info', 'folds-on-spikes': 'info' });
  });

  it('a block check that still runs (SEW AND on spike counts) is a warning', () => {
    const [g, enc] = encoded();
    const s1 = g.add('lif1', 'lif', {}, g.add('conv1', 'conv2d', { outChannels: 4 }, enc));
    const s2 = g.add('lif2', 'lif', {}, g.add('conv2', 'conv2d', { outChannels: 4 }, s1));
    const counts = g.add('add', 'sew', { mode: 'add' }, { a: s2, b: s1 });
    const and = g.add('and', 'sew', { mode: 'and' }, { a: counts, b: s1 });
    g.add('y', 'output', {}, g.add('pool', 'global_avgpool', {}, and));
    const a = analyseDocument(doc(g));
    const p = only(a.problems.filter((q) => q.code === 'block-check'));
    expect(p).toMatchObject({ severity: 'warning', nodeId: 'and', message: 'AND expects binary spikes on both inputs' });
    expect(a.problems.filter((q) => q.severity === 'error').map(formatProblem)).toEqual([]);
  });

  it('a synapse that reads spike counts is info (MACs on counts)', () => {
    const [g, enc] = encoded();
    const s1 = g.add('lif1', 'lif', {}, g.add('conv1', 'conv2d', { outChannels: 4 }, enc));
    const s2 = g.add('lif2', 'lif', {}, g.add('conv2', 'conv2d', { outChannels: 4 }, s1));
    const counts = g.add('add', 'sew', {}, { a: s2, b: s1 });
    g.add('y', 'output', {}, g.add('conv3', 'conv2d', { outChannels: 4 }, counts));
    const p = only(analyseDocument(doc(g)).problems);
    expect(p).toMatchObject({ severity: 'info', code: 'macs-on-counts', nodeId: 'conv3' });
  });

  it('a synapse that reads analog values past the encoder is info (not spike-driven)', () => {
    const [g, enc] = encoded();
    const c1 = g.add('conv1', 'conv2d', { outChannels: 4 }, enc);
    g.add('y', 'output', {}, g.add('conv2', 'conv2d', { outChannels: 4 }, c1));
    const p = only(analyseDocument(doc(g)).problems);
    expect(p).toMatchObject({ severity: 'info', code: 'not-spike-driven', nodeId: 'conv2' });
  });

  it('a finding inside a composite keeps its kind and severity at the document level', () => {
    const a = analyseDocument(buildTemplate('spikformer', 'tiny'));
    const inner = a.problems.filter((p) => p.inner !== undefined && p.inner.length > 0);
    expect(inner.length).toBeGreaterThan(0);
    for (const p of inner) expect(p).toMatchObject({ severity: 'info', code: 'macs-on-counts' });
  });

  it('errors (the graph cannot run) carry no finding code', () => {
    const [g, enc] = encoded();
    g.add('lif', 'lif', {}, enc);
    g.add('bad', 'conv2d', { outChannels: -1 }, enc);
    g.add('ghost', 'no_such_block', {}, enc);
    g.add('y', 'output', {}, g.add('conv', 'conv2d', { outChannels: 4 }, enc));
    const a = analyseDocument({ ...doc(g), nodes: [...g.nodes, { id: 'lonely', block: 'lif' }] });
    const errors = a.problems.filter((p) => p.severity === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(3);
    for (const p of errors) expect(p.code).toBeUndefined();
    expect(a.ok).toBe(false);
  });
});

describe('templates open clean', () => {
  const presets = listTemplates().flatMap((t) => t.presets.map((p) => [t.id, p.name] as const));
  it.each(presets)('%s %s: no errors and no warnings', (id, preset) => {
    const a = analyseDocument(buildTemplate(id, preset));
    expect(a.problems.filter((p) => p.severity !== 'info').map(formatProblem)).toEqual([]);
  });
});

describe('the spike-driven summary', () => {
  it('says once per document how much is spike-driven and how many layers read counts', () => {
    const s = spikeDrivenSummary(analyseDocument(buildTemplate('spikformer', '4-384')));
    expect(s?.text).toBe('72% of MACs spike-driven; 16 layers read spike counts');
    expect(s?.countsLayers).toBe(16);
  });

  it('names analog readers and uses the singular for one layer', () => {
    const [g, enc] = encoded();
    const c1 = g.add('conv1', 'conv2d', { outChannels: 4 }, enc);
    g.add('y', 'output', {}, g.add('conv2', 'conv2d', { outChannels: 4 }, c1));
    expect(spikeDrivenSummary(analyseDocument(doc(g)))?.text).toBe('0% of MACs spike-driven; 1 layer reads analog values');
  });

  it('is absent for a model without synapses', () => {
    const g = new GraphBuilder();
    g.add('y', 'output', {}, g.add('lif', 'lif', {}, g.add('enc', 'direct_encoder', {}, g.add('x', 'input'))));
    expect(spikeDrivenSummary(analyseDocument(doc(g)))).toBeUndefined();
  });
});
