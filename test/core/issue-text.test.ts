/**
 * The sentence for each zod issue code that a block's parameters or a document field can produce
 * in the inspector (the codes found by parsing every catalogue block's parameters with wrong
 * values), and that a schema's own message is kept.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findBlock } from '../../engine/core/blocks/catalogue.js';
import { humanize, issueText } from '../../engine/core/issue-text.js';

/** The sentences for what `schema` says about `value`. */
function texts(schema: z.ZodType, value: unknown): string[] {
  const r = schema.safeParse(value);
  if (r.success) throw new Error(`expected ${JSON.stringify(value)} to fail`);
  return r.error.issues.map((i) => issueText(i));
}

const params = (block: string) => findBlock(block)!.params;

describe('a sentence for each zod issue code', () => {
  it('invalid_type: a missing value asks for one, a wrong one says what it must be', () => {
    expect(texts(params('linear'), {})).toEqual(['Enter a number for Out features']);
    expect(texts(params('linear'), { outFeatures: 'ten' })).toEqual(['Out features must be a number, not text']);
    expect(texts(params('linear'), { outFeatures: 2.5 })).toEqual(['Out features must be a whole number']);
    expect(texts(params('linear'), { outFeatures: 4, bias: 'yes' })).toEqual(['Bias must be true or false, not text']);
    expect(texts(z.object({ shape: z.array(z.number()) }), { shape: 3 })).toEqual(['Shape must be a list, not a number']);
    expect(texts(z.object({ name: z.string() }), { name: null })).toEqual(['Name must be text, not nothing (null)']);
  });

  it('too_small: numbers, lists and text', () => {
    expect(texts(params('conv2d'), { outChannels: 0 })).toEqual(['Out channels must be greater than 0']);
    expect(texts(z.object({ heads: z.number().min(1) }), { heads: 0 })).toEqual(['Heads must be at least 1']);
    expect(texts(z.object({ shape: z.array(z.number()).min(1) }), { shape: [] })).toEqual(['Shape needs at least 1 value']);
    expect(texts(z.object({ name: z.string().min(1) }), { name: '' })).toEqual(['Name cannot be empty']);
  });

  it('too_big: numbers and lists', () => {
    expect(texts(z.object({ p: z.number().max(1) }), { p: 2 })).toEqual(['P must be at most 1']);
    expect(texts(z.object({ rate: z.number().lt(1) }), { rate: 1 })).toEqual(['Rate must be less than 1']);
    expect(texts(z.object({ shape: z.array(z.number()).max(3) }), { shape: [1, 2, 3, 4] })).toEqual(['Shape takes at most 3 values']);
  });

  it('invalid_value: names the choices', () => {
    expect(texts(params('sew'), { mode: 'xor' })).toEqual(['Choose one of add, iand, and for Mode']);
  });

  it('invalid_union: a kernel is one number or two; a variant names its choices under its own field', () => {
    expect(texts(params('conv2d'), { outChannels: 4, kernel: [1, 2, 3] })).toEqual(['Kernel takes one number, or two (height, width)']);
    expect(texts(params('lif'), { surrogate: { name: 'nope' } })[0]).toMatch(/^Choose one of sigmoid, atan, .* for Surrogate$/);
    expect(texts(z.object({ v: z.union([z.string(), z.boolean()]) }), { v: 3 })).toEqual(['V is not in any of the accepted forms']);
  });

  it('unrecognized_keys: names the unknown parameter', () => {
    expect(texts(params('conv2d'), { outChannels: 4, kernal: 3 })).toEqual(['Unknown parameter "kernal": this block does not use it']);
  });

  it('not_multiple_of, invalid_format, invalid_key and invalid_element', () => {
    expect(texts(z.object({ dim: z.number().multipleOf(8) }), { dim: 12 })).toEqual(['Dim must be a multiple of 8']);
    expect(texts(z.object({ link: z.url() }), { link: 'not a url' })).toEqual(['Link is not a valid URL']);
    expect(texts(z.object({ m: z.record(z.string().min(2), z.number()) }), { m: { a: 1 } })).toEqual(['M has a key that is not allowed']);
    // no catalogue schema reports invalid_element (zod 4 reports a bad map value as its own type issue)
    const element = { code: 'invalid_element', origin: 'set', key: 0, issues: [], path: ['m'], message: 'Invalid element' } as unknown as z.core.$ZodIssue;
    expect(issueText(element)).toBe('M has an entry that is not allowed');
  });

  it('custom: a refine that says nothing gets a sentence; a schema\'s own message is kept', () => {
    expect(texts(z.object({ x: z.number().refine((v) => v !== 3) }), { x: 3 })).toEqual(['X is not valid here']);
    expect(texts(z.object({ x: z.number().refine((v) => v !== 3, 'three is reserved') }), { x: 3 })).toEqual(['three is reserved']);
    expect(texts(params('lif'), { tau: -1 })).toEqual(['tau must be > 1 (1/tau is the leak per step)']);
  });

  it('labels come from keys', () => {
    expect(humanize('outChannels')).toBe('Out channels');
    expect(humanize('init_tau')).toBe('Init tau');
  });
});
