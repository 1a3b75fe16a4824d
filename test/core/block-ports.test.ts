// blockPorts: the one port lookup the canvas, the inspector and the layout share.
import { describe, expect, it } from 'vitest';
import { findBlock } from '../../engine/core/blocks/catalogue.js';
import { blockPorts } from '../../engine/core/blocks/types.js';

const names = (ports: { inputs: readonly { name: string }[]; outputs: readonly { name: string }[] }) => ({
  inputs: ports.inputs.map((p) => p.name),
  outputs: ports.outputs.map((p) => p.name),
});

describe('blockPorts', () => {
  const sdsa = findBlock('sdsa_core')!;

  it('reads ports that depend on a parameter from the parsed parameters (defaults filled in)', () => {
    expect(names(blockPorts(sdsa, {}))).toEqual({ inputs: ['k', 'v'], outputs: ['out'] });
    expect(names(blockPorts(sdsa, { form: 'paper' }))).toEqual({ inputs: ['q', 'k'], outputs: ['out'] });
  });

  it('still gives the ports of a node whose other parameters are invalid', () => {
    expect(names(blockPorts(sdsa, { form: 'paper', heads: -1 }))).toEqual({ inputs: ['q', 'k'], outputs: ['out'] });
  });

  it('gives fixed ports whatever the parameters', () => {
    expect(names(blockPorts(findBlock('lif')!, { tau: 'not a number' }))).toEqual({ inputs: ['in'], outputs: ['out'] });
  });
});
