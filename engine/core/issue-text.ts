/**
 * zod's issues as sentences a person reads: "Enter a number for Out features", not "Invalid input:
 * expected number, received undefined". One function per issue code zod reports for a block's
 * parameters or a document field; a message a schema wrote itself (a refine, a `min` with its own
 * text) is already meant for people and is kept.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** The sentence for `issue`; `label` names the field (default: its key, humanised). */
export function issueText(issue: Issue, label: string = labelOf(issue)): string {
  if (issue.code !== 'custom' && !isZodDefault(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return invalidType(label, issue.expected, received(issue.message));
    case 'too_small':
      return tooSmall(label, issue.origin, Number(issue.minimum), issue.inclusive === true);
    case 'too_big':
      return tooBig(label, issue.origin, Number(issue.maximum), issue.inclusive === true);
    case 'invalid_value':
      return `Choose one of ${issue.values.map(String).join(', ')} for ${label}`;
    case 'invalid_union':
      return invalidUnion(label, issue);
    case 'unrecognized_keys':
      return `Unknown ${issue.keys.length === 1 ? 'parameter' : 'parameters'} ${issue.keys.map((k) => `"${k}"`).join(', ')}: this block does not use ${issue.keys.length === 1 ? 'it' : 'them'}`;
    case 'not_multiple_of':
      return `${label} must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_format':
      return `${label} is not a valid ${FORMAT[issue.format] ?? issue.format}`;
    case 'invalid_key':
      return `${label} has a key that is not allowed`;
    case 'invalid_element':
      return `${label} has an entry that is not allowed`;
    case 'custom':
      return issue.message === 'Invalid input' ? `${label} is not valid here` : issue.message;
  }
}

/** `outChannels` → `Out channels`, `vReset` → `V reset`, `init_tau` → `Init tau`. */
export function humanize(key: string): string {
  const words = key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The field an issue is about: its last named key (`surrogate.alpha` → `Alpha`); for a choice of
 * variant or a key, the field that holds it (`surrogate.name` → `Surrogate`).
 */
function labelOf(issue: Issue): string {
  const discriminator = (issue as { discriminator?: unknown }).discriminator;
  const last = issue.path[issue.path.length - 1];
  // a bad key is reported at the key; the field is the record that holds it
  const path = issue.code === 'invalid_key' || (discriminator !== undefined && last === discriminator) ? issue.path.slice(0, -1) : issue.path;
  const key = [...path].reverse().find((k): k is string => typeof k === 'string');
  return key === undefined ? 'This value' : humanize(key);
}

/** zod's own messages start like this; a schema's own text does not. */
function isZodDefault(message: string): boolean {
  return /^(Invalid |Too (small|big)|Unrecognized key)/.test(message) || message === '';
}

/** zod 4 names what it got only in its message (`…, received undefined`). */
function received(message: string): string | undefined {
  return /received (\w+)\s*$/.exec(message)?.[1];
}

const WHAT: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  tuple: 'a list',
  object: 'a group of settings',
};

const FORMAT: Record<string, string> = { url: 'URL', email: 'email address', uuid: 'UUID', regex: 'value', starts_with: 'value', ends_with: 'value', includes: 'value' };

const GOT: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a group of settings',
  null: 'nothing (null)',
};

function invalidType(label: string, expected: string, got: string | undefined): string {
  const want = WHAT[expected] ?? `a ${expected}`;
  if (got === undefined || got === 'undefined') return `Enter ${want} for ${label}`;
  if (expected === 'int' && got === 'number') return `${label} must be a whole number`;
  return `${label} must be ${want}, not ${GOT[got] ?? got}`;
}

function tooSmall(label: string, origin: string, min: number, inclusive: boolean): string {
  if (origin === 'array' || origin === 'set') return `${label} needs at least ${count(inclusive ? min : min + 1, 'value')}`;
  if (origin === 'string') return min <= 1 && inclusive ? `${label} cannot be empty` : `${label} needs at least ${count(inclusive ? min : min + 1, 'character')}`;
  if (!inclusive && min === 0) return `${label} must be greater than 0`;
  return inclusive ? `${label} must be at least ${min}` : `${label} must be greater than ${min}`;
}

function tooBig(label: string, origin: string, max: number, inclusive: boolean): string {
  if (origin === 'array' || origin === 'set') return `${label} takes at most ${count(inclusive ? max : max - 1, 'value')}`;
  if (origin === 'string') return `${label} takes at most ${count(inclusive ? max : max - 1, 'character')}`;
  return inclusive ? `${label} must be at most ${max}` : `${label} must be less than ${max}`;
}

/**
 * A union: a discriminated one names its options; `n | [n, n]` (kernel, stride, padding) is a
 * number or a pair; anything else lists what each form would have needed.
 */
function invalidUnion(label: string, issue: Extract<Issue, { code: 'invalid_union' }>): string {
  const options = (issue as { options?: readonly unknown[] }).options;
  if (Array.isArray(options) && options.length > 0) return `Choose one of ${options.map(String).join(', ')} for ${label}`;
  const branches = issue.errors.map((branch) => branch[0]).filter((i): i is Issue => i !== undefined);
  const scalar = branches.some((i) => i.code === 'invalid_type' && (i.expected === 'number' || i.expected === 'int'));
  const pair = branches.some((i) => (i.code === 'invalid_type' && i.expected === 'tuple') || ((i.code === 'too_big' || i.code === 'too_small') && i.origin === 'array'));
  if (scalar && pair) return `${label} takes one number, or two (height, width)`;
  return `${label} is not in any of the accepted forms`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
