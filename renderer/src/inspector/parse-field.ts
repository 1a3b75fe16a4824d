/**
 * Text typed into an inspector field → the parameter value it means. Text that is not a value of
 * the field's kind is an error shown under the field (never a silently dropped edit); an empty
 * optional field means "use the block's default" (the key is removed from the document).
 */
import type { Field } from './schema-fields.js';

export type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** `value: undefined` removes the parameter so that its default applies. `label` names the field in messages. */
export function parseFieldText(field: Field, text: string, required: boolean, label?: string): Parsed {
  const t = text.trim();
  if (t === '' && field.kind !== 'text') return required ? { ok: false, message: `Enter ${expected(field)}${label ? ` for ${label}` : ''}` } : { ok: true, value: undefined };
  // a nullable number's null is written out, so that it never looks like "use the default"
  if (field.kind === 'number' && field.nullable && /^(none|null)$/i.test(t)) return { ok: true, value: null };
  switch (field.kind) {
    case 'number':
      return number(t, field.integer);
    case 'text':
      return t === '' && !required ? { ok: true, value: undefined } : { ok: true, value: text };
    case 'pair': {
      const nums = numbers(t, field.integer);
      if (!nums.ok) return nums;
      const list = nums.value as number[];
      if (list.length === 1) return { ok: true, value: list[0] };
      if (list.length === 2) return { ok: true, value: list };
      return { ok: false, message: 'one number, or two (height, width)' };
    }
    case 'list':
      return numbers(t, field.integer);
    case 'json':
      try {
        return { ok: true, value: JSON.parse(t) };
      } catch (e) {
        return { ok: false, message: `not valid JSON: ${(e as Error).message}` };
      }
    case 'boolean':
      if (/^(true|yes|on|1)$/i.test(t)) return { ok: true, value: true };
      if (/^(false|no|off|0)$/i.test(t)) return { ok: true, value: false };
      return { ok: false, message: 'true or false' };
    case 'enum':
      return field.options.includes(t) ? { ok: true, value: t } : { ok: false, message: `one of ${field.options.join(', ')}` };
    case 'variant':
      return { ok: false, message: 'choose a variant' };
  }
}

/** What a field takes, as the object of "Enter …". */
function expected(field: Field): string {
  switch (field.kind) {
    case 'number':
      return field.integer ? 'a whole number' : 'a number';
    case 'pair':
      return 'one number, or two (height, width)';
    case 'list':
      return 'one or more numbers';
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${field.options.join(', ')}`;
    case 'json':
      return 'a JSON value';
    case 'text':
      return 'text';
    case 'variant':
      return 'a variant';
  }
}

/** The text a field shows for a stored value. */
export function formatFieldValue(field: Field, value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return field.kind === 'number' && field.nullable ? 'none' : 'null';
  if ((field.kind === 'pair' || field.kind === 'list') && Array.isArray(value)) return value.join(', ');
  if (field.kind === 'json' || typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function number(t: string, integer: boolean): Parsed {
  // Number('') and Number(' ') are 0, Number('0x10') is 16: accept plain decimal and exponent forms only
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return { ok: false, message: `"${t}" is not a number` };
  const v = Number(t);
  if (!Number.isFinite(v)) return { ok: false, message: 'too large' };
  if (integer && !Number.isInteger(v)) return { ok: false, message: 'must be a whole number' };
  return { ok: true, value: v };
}

function numbers(t: string, integer: boolean): Parsed {
  const parts = t
    .replace(/^\[|\]$/g, '')
    .split(/\s*[,×x*]\s*|\s+/i)
    .filter((p) => p !== '');
  const out: number[] = [];
  for (const p of parts) {
    const r = number(p, integer);
    if (!r.ok) return r;
    out.push(r.value as number);
  }
  return out.length === 0 ? { ok: false, message: 'enter one or more numbers' } : { ok: true, value: out };
}
