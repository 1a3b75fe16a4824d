/** The gallery thumbnails: longest-path layering, and a deterministic SVG drawn from it. */
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { layerGraph } from '../../engine/host/templates/graph-layering.js';
import { renderThumbnail } from '../../engine/host/templates/thumbnail-svg.js';
import { buildTemplate, listTemplates } from '../../templates/index.js';
import { lifCnn } from '../../templates/lif-cnn.js';

const body = (nodes: string[], edges: [string, string][]) => ({
  nodes: nodes.map((id) => ({ id, block: id.startsWith('lif') ? 'lif' : 'conv2d' })),
  edges: edges.map(([source, target]) => ({ source, target })),
});

describe('layerGraph', () => {
  it('puts each node one layer after its longest incoming path', () => {
    // a residual: x → a → b → add, with a skip x → add
    const l = layerGraph(body(['x', 'a', 'b', 'add'], [['x', 'a'], ['a', 'b'], ['b', 'add'], ['x', 'add']]));
    expect(l.nodes.map((n) => n.layer)).toEqual([0, 1, 2, 3]);
    expect(l.layerCount).toBe(4);
    expect(l.width).toBe(1);
  });

  it('orders a layer by where its inputs sit, then by document order', () => {
    // two branches from two sources; the children follow their parents' order, not the array's
    const l = layerGraph(body(['s1', 's2', 'c2', 'c1'], [['s1', 'c1'], ['s2', 'c2']]));
    const slot = Object.fromEntries(l.nodes.map((n) => [['s1', 's2', 'c2', 'c1'][n.index], n.slot]));
    expect(slot).toEqual({ s1: 0, s2: 1, c1: 0, c2: 1 });
    expect(l.width).toBe(2);
  });

  it('copes with what a broken document holds: cycles, missing ends, self loops', () => {
    const l = layerGraph(body(['a', 'b', 'c', 'd'], [['a', 'b'], ['b', 'c'], ['c', 'b'], ['a', 'ghost'], ['d', 'd']]));
    expect(l.edges).toEqual([[0, 1], [1, 2], [2, 1]]);
    expect(l.nodes.map((n) => n.layer)).toEqual([0, 1, 1, 0]);
    expect(layerGraph({ nodes: [], edges: [] })).toEqual({ nodes: [], edges: [], layerCount: 0, width: 0 });
  });
});

describe('renderThumbnail', () => {
  it('draws one block per node and one curve per edge, coloured by category', () => {
    const doc = lifCnn();
    const svg = renderThumbnail(doc);
    expect(svg.match(/<rect /g)).toHaveLength(doc.nodes.length);
    expect(svg.match(/<path /g)).toHaveLength(doc.edges.length);
    expect(svg).toContain('fill="#f59e0b"'); // the LIF neurons
    expect(svg).toContain(`rx="11"`); // neurons are pills
    expect(svg).not.toMatch(/NaN|undefined|-0[ "]/);
  });

  it('is deterministic, and folds a long chain towards a card shape', () => {
    const doc = lifCnn();
    expect(renderThumbnail(doc)).toBe(renderThumbnail(structuredClone(doc)));
    const [, , w, h] = renderThumbnail(doc).match(/viewBox="([\d. ]+)"/)![1]!.split(' ').map(Number);
    expect(w! / h!).toBeGreaterThan(1);
    expect(w! / h!).toBeLessThan(4);
  });

  it('escapes the document name, the only text in it', () => {
    const doc = { ...lifCnn(), name: '<script>alert("x")</script> & co' } as GraphDocument;
    const svg = renderThumbnail(doc);
    expect(svg).toContain('<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</title>');
    expect(svg).not.toContain('<script');
  });

  it('draws every template of the gallery', () => {
    for (const t of listTemplates()) {
      const svg = renderThumbnail(buildTemplate(t.id));
      expect(svg, t.id).toMatch(/^<svg [^>]*viewBox="0 0 [\d.]+ [\d.]+"[^>]*>.*<\/svg>$/s);
      expect(svg, t.id).not.toContain(`fill="#a1a1aa"`); // every block resolved to a category
    }
  });
});
