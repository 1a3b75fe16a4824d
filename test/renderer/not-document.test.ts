/** Opening a file that is not a graph document: what it is not and why, from the parser's own problems. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocumentText } from '../../engine/core/document/load.js';
import { formatProblem } from '../../engine/core/problems.js';
import { explainOpenError, explainProblems } from '../../renderer/src/dialogs/not-document.js';
import { buildTemplate } from '../../templates/index.js';

/** What the dialog says about `text`, as the host reports it (`name is not a graph document: …`). */
function explain(name: string, text: string) {
  const parsed = parseDocumentText(text);
  if (parsed.ok) throw new Error('expected a failure');
  const shown = parsed.problems.slice(0, 5).map(formatProblem).join('; ');
  return explainOpenError(`openDocument: ${name} is not a graph document: ${shown}`, 'file')!;
}

describe('a file that is not a graph document', () => {
  it('an npm package.json: JSON, but not an SNN Studio graph', () => {
    const e = explain('package.json', readFileSync('package.json', 'utf8'));
    expect(e.title).toBe('package.json is not a graph document');
    expect(e.summary).toMatch(/^The file is JSON, but not an SNN Studio graph/);
    expect(e.reasons).toEqual(['Its "version" is "0.1.0"; a graph document\'s version is a whole number (1 today).']);
  });

  it('some other JSON object: names the fields a graph has and it lacks', () => {
    const e = explain('settings.json', '{"theme": "dark"}');
    expect(e.summary).toMatch(/^The file is JSON, but not an SNN Studio graph/);
    expect(e.reasons).toEqual(['It has no name, time steps, input, nodes or edges.']);
  });

  it('not JSON at all, a JSON list, a newer version', () => {
    expect(explain('notes.txt', 'hello').summary).toMatch(/^The file is not JSON/);
    expect(explain('notes.txt', 'hello').reasons[0]).toMatch(/^The JSON parser says: /);
    expect(explain('list.json', '[1, 2]').summary).toMatch(/holds a list or a single value/);
    const newer = explain('future.snn.json', '{"format": "snn-studio/graph", "version": 99}');
    expect(newer.summary).toBe('The file is a graph document from a newer version of SNN Studio.');
    expect(newer.reasons[0]).toContain('update SNN Studio');
  });

  it('a graph with an invalid part: the located reason, in words', () => {
    const e = explain('model.snn.json', JSON.stringify({ ...buildTemplate('lif-cnn'), nodes: 3 }));
    expect(e.summary).toMatch(/^The file is a graph document, but some of it is not valid/);
    expect(e.reasons).toEqual(['nodes should be a list, not a number.']);
  });

  it('an error that is not about the document is left to the status bar', () => {
    expect(explainOpenError('cannot read model.snn.json: EACCES', 'model.snn.json')).toBeUndefined();
    expect(explainProblems('x.json', ['nodes[2] "conv": unknown block "convv"']).reasons).toEqual(['nodes[2] "conv": unknown block "convv"']);
  });
});
