/** Every catalogue block has a help row: a formula, and a paper where the block comes from one. */
import { describe, expect, it } from 'vitest';
import { allBlocks } from '../../engine/core/blocks/catalogue.js';
import { z } from 'zod';
import { BLOCK_HELP, blockHelp, PARAM_MEANING } from '../../engine/core/blocks/help.js';

describe('the block help table', () => {
  it('has a formula for every block of the catalogue, and no row for a block that does not exist', () => {
    const ids = allBlocks().map((b) => b.id);
    expect(ids.filter((id) => !blockHelp(id)?.formula)).toEqual([]);
    expect(Object.keys(BLOCK_HELP).filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('cites papers with a link; every spiking neuron and every attention block names its paper', () => {
    for (const b of allBlocks()) {
      const paper = blockHelp(b.id)?.paper;
      if (paper) expect(paper.link, b.id).toMatch(/^https:\/\//);
      if (b.category === 'neurons' || b.category === 'attention') expect(paper, b.id).toBeDefined();
    }
  });

  it('gives every parameter of every block a meaning', () => {
    const keys = new Set(allBlocks().flatMap((b) => Object.keys((z.toJSONSchema(b.params, { io: 'input', unrepresentable: 'any' }) as { properties?: object }).properties ?? {})));
    expect([...keys].filter((k) => !Object.hasOwn(PARAM_MEANING, k))).toEqual([]);
  });

  it('looks up own keys only', () => {
    expect(blockHelp('constructor')).toBeUndefined();
  });
});
