import { describe, expect, it } from 'vitest';
import { findBlock } from '../../engine/core/blocks/catalogue.js';
import { formatFieldValue, parseFieldText } from '../../renderer/src/inspector/parse-field.js';
import { fieldsOf, humanize, type Field } from '../../renderer/src/inspector/schema-fields.js';
import { schemaErrorsByKey } from '../../renderer/src/inspector/ParamsForm.js';

const int: Field = { kind: 'number', integer: true, nullable: false };
const real: Field = { kind: 'number', integer: false, nullable: false };

describe('inspector fields from block schemas', () => {
  it('generates one field per parameter, of the kind the schema says', () => {
    const conv = fieldsOf(findBlock('conv2d')!.params);
    const byKey = Object.fromEntries(conv.map((f) => [f.key, f]));
    expect(byKey.outChannels).toMatchObject({ required: true, field: int, label: 'Out channels' });
    expect(byKey.kernel).toMatchObject({ required: false, default: 3, field: { kind: 'pair', integer: true } });
    expect(byKey.bias).toMatchObject({ default: false, field: { kind: 'boolean' } });
    expect(byKey.init).toMatchObject({ field: { kind: 'enum', options: ['default', 'trunc_normal'] } });
  });

  it('turns a discriminated union into variants with their own fields, and nullable numbers', () => {
    const lif = Object.fromEntries(fieldsOf(findBlock('lif')!.params).map((f) => [f.key, f]));
    expect(lif.vReset!.field).toEqual({ kind: 'number', integer: false, nullable: true });
    const surrogate = lif.surrogate!.field;
    expect(surrogate.kind).toBe('variant');
    if (surrogate.kind !== 'variant') return;
    expect(surrogate.discriminator).toBe('name');
    expect(surrogate.variants.map((v) => v.value)).toContain('atan');
    expect(surrogate.variants.find((v) => v.value === 'piecewise_leaky_relu')!.fields.map((f) => f.key)).toEqual(['w', 'c']);
  });

  it('lists integer arrays as lists', () => {
    expect(fieldsOf(findBlock('reshape')!.params)[0]).toMatchObject({ key: 'shape', required: true, field: { kind: 'list', integer: true } });
  });

  it('humanizes keys', () => {
    expect(humanize('outChannels')).toBe('Out channels');
    expect(humanize('init_tau')).toBe('Init tau');
  });
});

describe('parsing what the user types', () => {
  it('parses numbers, and shows text that is not one as an error instead of dropping it', () => {
    expect(parseFieldText(int, '128', true)).toEqual({ ok: true, value: 128 });
    expect(parseFieldText(real, ' 1e-3 ', true)).toEqual({ ok: true, value: 0.001 });
    expect(parseFieldText(real, '-.5', true)).toEqual({ ok: true, value: -0.5 });
    expect(parseFieldText(int, '12a', true)).toEqual({ ok: false, message: '"12a" is not a number' });
    expect(parseFieldText(int, '0x10', true).ok).toBe(false);
    expect(parseFieldText(int, '2.5', true)).toEqual({ ok: false, message: 'must be a whole number' });
  });

  it('treats an empty field as the default or as missing, and "none" as null', () => {
    expect(parseFieldText(int, '', false)).toEqual({ ok: true, value: undefined });
    expect(parseFieldText(int, '  ', true)).toEqual({ ok: false, message: 'Enter a whole number' });
    expect(parseFieldText(int, '', true, 'Out features')).toEqual({ ok: false, message: 'Enter a whole number for Out features' });
    const nullable: Field = { kind: 'number', integer: false, nullable: true };
    expect(parseFieldText(nullable, '', false)).toEqual({ ok: true, value: undefined });
    expect(parseFieldText(nullable, 'none', false)).toEqual({ ok: true, value: null });
    expect(parseFieldText(nullable, '0.5', false)).toEqual({ ok: true, value: 0.5 });
  });

  it('parses pairs and lists in the forms people write them', () => {
    const pair: Field = { kind: 'pair', integer: true };
    expect(parseFieldText(pair, '3', false)).toEqual({ ok: true, value: 3 });
    expect(parseFieldText(pair, '3, 5', false)).toEqual({ ok: true, value: [3, 5] });
    expect(parseFieldText(pair, '3x5', false)).toEqual({ ok: true, value: [3, 5] });
    expect(parseFieldText(pair, '3 5 7', false).ok).toBe(false);
    expect(parseFieldText({ kind: 'list', integer: true }, '[64, 8, 8]', true)).toEqual({ ok: true, value: [64, 8, 8] });
  });

  it('parses JSON, booleans and enums', () => {
    expect(parseFieldText({ kind: 'json' }, '{"a":1}', false)).toEqual({ ok: true, value: { a: 1 } });
    expect(parseFieldText({ kind: 'json' }, '{a', false).ok).toBe(false);
    expect(parseFieldText({ kind: 'boolean' }, 'yes', false)).toEqual({ ok: true, value: true });
    expect(parseFieldText({ kind: 'enum', options: ['add', 'and'] }, 'or', false)).toEqual({ ok: false, message: 'one of add, and' });
  });

  it('formats stored values back into the text a field shows', () => {
    expect(formatFieldValue({ kind: 'pair', integer: true }, [3, 5])).toBe('3, 5');
    expect(formatFieldValue({ kind: 'number', integer: false, nullable: true }, null)).toBe('none');
    expect(formatFieldValue(int, undefined)).toBe('');
  });

  it('reports what the schema says about stored values, by parameter', () => {
    const schema = findBlock('conv2d')!.params;
    const errors = schemaErrorsByKey(schema, { outChannels: -4, kernal: 3 });
    expect(errors.get('outChannels')).toHaveLength(1);
    expect([...errors.values()].flat().join(' ')).toContain('Unknown parameter "kernal": this block does not use it');
    expect(errors.get('outChannels')).toEqual(['Out channels must be greater than 0']);
    expect(schemaErrorsByKey(findBlock('linear')!.params, {}).get('outFeatures')).toEqual(['Enter a number for Out features']);
    expect(schemaErrorsByKey(schema, { outChannels: 4 }).size).toBe(0);
  });
});
