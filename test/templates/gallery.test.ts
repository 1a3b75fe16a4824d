/**
 * The gallery API the host and CLI use: listTemplates is plain JSON with unique ids and preset
 * names, buildTemplate gives a schema-valid document for every preset, and unknown names fail with
 * the list of valid ones.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../engine/core/document/load.js';
import { templateSummarySchema } from '../../engine/api/studio-api.js';
import { buildTemplate, listTemplates, UnknownTemplateError } from '../../templates/index.js';

describe('template gallery', () => {
  const templates = listTemplates();

  it('lists plain JSON the StudioApi accepts, with unique ids and lower-case preset names', () => {
    expect(JSON.parse(JSON.stringify(templates))).toEqual(templates);
    expect(new Set(templates.map((t) => t.id)).size).toBe(templates.length);
    for (const t of templates) {
      expect(templateSummarySchema.safeParse(t).success, t.id).toBe(true);
      expect(t.presets.length, t.id).toBeGreaterThan(0);
      expect(new Set(t.presets.map((p) => p.name)).size, t.id).toBe(t.presets.length);
      for (const p of t.presets) expect(p.name, t.id).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
    }
    expect(templates.map((t) => t.id)).toEqual(expect.arrayContaining(['lif-cnn', 'spikformer', 'qkformer']));
  });

  it('every preset builds a document that passes the document schema unchanged', () => {
    for (const t of templates) {
      for (const p of t.presets) {
        const doc = buildTemplate(t.id, p.name);
        const parsed = parseDocument(JSON.parse(JSON.stringify(doc)));
        expect(parsed.ok ? [] : parsed.problems, `${t.id}/${p.name}`).toEqual([]);
        if (parsed.ok) expect(parsed.doc).toEqual(JSON.parse(JSON.stringify(doc)));
      }
    }
  });

  it('builds the first preset when none is named', () => {
    expect(buildTemplate('spikformer').meta?.preset).toBe('4-384');
    expect(buildTemplate('qkformer').meta?.preset).toBe('hst-4-384');
  });

  it('names the valid templates and presets when a name is unknown', () => {
    expect(() => buildTemplate('spikeformer')).toThrow(UnknownTemplateError);
    expect(() => buildTemplate('spikeformer')).toThrow(/unknown template "spikeformer"; templates: lif-cnn, spikformer, qkformer/);
    expect(() => buildTemplate('spikformer', '4-385')).toThrow(/template "spikformer" has no preset "4-385"; presets: 4-384, 4-384-cifar100,/);
  });
});
