/** The document "Blank graph" opens: an input and an output, ready for blocks in between. */
import { DOCUMENT_FORMAT, DOCUMENT_VERSION, type GraphDocument } from '../../../engine/core/document/schema.js';

export function blankDocument(): GraphDocument {
  return {
    format: DOCUMENT_FORMAT,
    version: DOCUMENT_VERSION,
    name: 'Untitled',
    timeSteps: 4,
    input: { shape: [3, 32, 32], kind: 'image' },
    nodes: [
      { id: 'input', block: 'input', position: { x: 0, y: 0 } },
      { id: 'output', block: 'output', position: { x: 640, y: 0 } },
    ],
    edges: [],
  };
}
