/** The graph's ports: `input` reads the document input (or a composite's input port), `output` marks a result. */
import { z } from 'zod';
import { fail } from '../problems.js';
import type { PrimitiveBlock } from './types.js';

export const input: PrimitiveBlock<{ name: string }> = {
  kind: 'primitive',
  id: 'input',
  label: 'Input',
  category: 'io',
  description: 'The data entering the graph: the document input (an image, a vector or event frames), or a port of a composite block.',
  params: z.strictObject({ name: z.string().min(1).default('x') }),
  inputs: [],
  outputs: [{ name: 'out' }],
  // the graph walk binds inputs itself (it knows the document and the composite's ports)
  infer: () => fail('input nodes are bound by the graph walk'),
  lower: () => fail('input nodes are bound by the lowering walk'),
};

export const output: PrimitiveBlock<{ name: string }> = {
  kind: 'primitive',
  id: 'output',
  label: 'Output',
  category: 'io',
  description: 'Marks a result: the model output (class scores) in a document, or an output port of a composite block.',
  params: z.strictObject({ name: z.string().min(1).default('y') }),
  inputs: [{ name: 'in' }],
  outputs: [],
  infer: () => ({ outputs: {} }),
  lower: () => ({}),
};

export const IO_BLOCKS = [input, output];
