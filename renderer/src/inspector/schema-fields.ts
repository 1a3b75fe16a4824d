/**
 * The inspector's form, generated from a block's zod parameter schema: the schema goes through
 * `z.toJSONSchema` and each property becomes a field of one of a few kinds. A property of a shape
 * this does not know becomes a JSON field, so every parameter stays editable.
 */
import { z } from 'zod';
import { humanize } from '../../../engine/core/issue-text.js';

export { humanize };

export type Field =
  | { readonly kind: 'number'; readonly integer: boolean; readonly nullable: boolean }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly options: readonly string[] }
  | { readonly kind: 'text' }
  /** `3` or `[3, 5]` (kernel, stride, padding). */
  | { readonly kind: 'pair'; readonly integer: boolean }
  /** A list of numbers (`shape`). */
  | { readonly kind: 'list'; readonly integer: boolean }
  /** One of several objects told apart by a constant field (a surrogate gradient and its parameters). */
  | { readonly kind: 'variant'; readonly discriminator: string; readonly variants: readonly Variant[] }
  | { readonly kind: 'json' };

export interface Variant {
  readonly value: string;
  readonly fields: readonly FieldSpec[];
}

export interface FieldSpec {
  readonly key: string;
  readonly label: string;
  readonly required: boolean;
  readonly default?: unknown;
  readonly description?: string;
  readonly field: Field;
}

type Json = Record<string, any>;

const cache = new WeakMap<z.ZodType, readonly FieldSpec[]>();

export function fieldsOf(schema: z.ZodType): readonly FieldSpec[] {
  const hit = cache.get(schema);
  if (hit) return hit;
  let json: Json;
  try {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  } catch {
    json = {};
  }
  const out = objectFields(json);
  cache.set(schema, out);
  return out;
}

export function objectFields(json: Json): FieldSpec[] {
  const props = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set<string>((json.required ?? []) as string[]);
  return Object.entries(props).map(([key, prop]) => ({
    key,
    label: humanize(key),
    required: required.has(key),
    ...(prop.default !== undefined ? { default: prop.default } : {}),
    ...(typeof prop.description === 'string' ? { description: prop.description } : {}),
    field: fieldOf(prop),
  }));
}

export function fieldOf(prop: Json): Field {
  const types = Array.isArray(prop.type) ? (prop.type as string[]) : prop.type ? [prop.type as string] : [];
  const numeric = types.find((t) => t === 'number' || t === 'integer');
  if (numeric && types.every((t) => t === numeric || t === 'null')) return { kind: 'number', integer: numeric === 'integer', nullable: types.includes('null') };
  if (types.length === 1 && types[0] === 'boolean') return { kind: 'boolean' };
  if (types[0] === 'string' && Array.isArray(prop.enum)) return { kind: 'enum', options: prop.enum as string[] };
  if (types.length === 1 && types[0] === 'string') return { kind: 'text' };
  if (types.length === 1 && types[0] === 'array' && isNumeric(prop.items)) return { kind: 'list', integer: prop.items.type === 'integer' };
  const alternatives = (prop.anyOf ?? prop.oneOf) as Json[] | undefined;
  if (alternatives) {
    const pair = asPair(alternatives);
    if (pair) return pair;
    const variant = asVariant(alternatives);
    if (variant) return variant;
  }
  return { kind: 'json' };
}

/** `n | [n, n]`: zod's `union([int, tuple([int, int])])`. */
function asPair(alts: Json[]): Field | null {
  if (alts.length !== 2) return null;
  const scalar = alts.find((a) => isNumeric(a));
  const tuple = alts.find((a) => a.type === 'array' && Array.isArray(a.prefixItems) && a.prefixItems.length === 2 && a.prefixItems.every(isNumeric));
  return scalar && tuple ? { kind: 'pair', integer: scalar.type === 'integer' } : null;
}

/** Objects that each have one property with a constant value: a discriminated union. */
function asVariant(alts: Json[]): Field | null {
  if (!alts.every((a) => a.type === 'object' && a.properties)) return null;
  const first = alts[0]!;
  const discriminator = Object.keys(first.properties).find((k) => alts.every((a) => a.properties[k]?.const !== undefined));
  if (!discriminator) return null;
  return {
    kind: 'variant',
    discriminator,
    variants: alts.map((a) => ({
      value: String(a.properties[discriminator].const),
      fields: objectFields({ ...a, properties: Object.fromEntries(Object.entries(a.properties as Json).filter(([k]) => k !== discriminator)) }),
    })),
  };
}

function isNumeric(p: Json | undefined): p is Json {
  return !!p && (p.type === 'number' || p.type === 'integer');
}

