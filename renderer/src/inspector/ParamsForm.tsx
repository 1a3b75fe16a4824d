/**
 * A node's parameters as a form generated from its block's schema. Errors come from two places:
 * the schema itself (checked here as the user types) and the graph analysis (a shape rule that a
 * parameter breaks, such as heads that do not divide the dimension), matched to the field by path.
 */
import { NativeSelect, Stack, Text } from '@mantine/core';
import type { z } from 'zod';
import { issueText } from '../../../engine/core/issue-text.js';
import { fieldsOf, type Field, type FieldSpec } from './schema-fields.js';
import { FieldLabel, ValueField } from './ValueField.js';

export interface ParamsFormProps {
  readonly nodeId: string;
  readonly schema: z.ZodType;
  readonly params: Readonly<Record<string, unknown>>;
  /** Analysis problems of this node, by parameter key. */
  readonly problemsByKey: ReadonlyMap<string, readonly string[]>;
  readonly readOnly: boolean;
  readonly onSet: (key: string, value: unknown) => void;
}

export function ParamsForm({ nodeId, schema, params, problemsByKey, readOnly, onSet }: ParamsFormProps) {
  const fields = fieldsOf(schema);
  if (fields.length === 0) return <Text size="xs" c="dimmed">This block has no parameters.</Text>;
  const schemaErrors = schemaErrorsByKey(schema, params);
  const known = new Set(fields.map((f) => f.key));
  const stray = [...schemaErrors].filter(([k]) => !known.has(k)).flatMap(([, m]) => m);
  return (
    <Stack gap={6}>
      {stray.length > 0 && (
        <Text size="xs" c="red" data-testid="params-stray-errors">
          {stray.join('; ')}
        </Text>
      )}
      {fields.map((spec) => {
        const errors = unique([...(schemaErrors.get(spec.key) ?? []), ...(problemsByKey.get(spec.key) ?? [])]);
        if (spec.field.kind === 'variant') {
          return <VariantField key={`${nodeId}:${spec.key}`} spec={spec} field={spec.field} value={params[spec.key]} errors={errors} readOnly={readOnly} onSet={(v) => onSet(spec.key, v)} nodeId={nodeId} />;
        }
        return (
          <ValueField
            key={`${nodeId}:${spec.key}`}
            label={spec.label}
            field={spec.field}
            required={spec.required}
            value={params[spec.key]}
            defaultValue={spec.default}
            description={spec.description ?? spec.key}
            errors={errors}
            readOnly={readOnly}
            testId={`param-${spec.key}`}
            onCommit={(v) => onSet(spec.key, v)}
          />
        );
      })}
    </Stack>
  );
}

/** A discriminated union (surrogate gradients): a choice of variant, then that variant's own fields. */
function VariantField({ spec, field, value, errors, readOnly, onSet, nodeId }: { spec: FieldSpec; field: Extract<Field, { kind: 'variant' }>; value: unknown; errors: readonly string[]; readOnly: boolean; onSet: (v: unknown) => void; nodeId: string }) {
  const effective = (isObject(value) ? value : isObject(spec.default) ? spec.default : {}) as Record<string, unknown>;
  const chosen = String(effective[field.discriminator] ?? '');
  const variant = field.variants.find((v) => v.value === chosen);
  return (
    <div className="snn-variant">
      <NativeSelect
        size="xs"
        label={<FieldLabel label={spec.label} description={spec.key} reset={value !== undefined && spec.default !== undefined && !readOnly ? () => onSet(undefined) : undefined} />}
        data={field.variants.map((v) => ({ value: v.value, label: v.value === (spec.default as Record<string, unknown> | undefined)?.[field.discriminator] ? `${v.value} (default)` : v.value }))}
        value={chosen}
        disabled={readOnly}
        data-testid={`param-${spec.key}`}
        error={errors.length > 0 ? errors.join('; ') : undefined}
        onChange={(e) => onSet({ [field.discriminator]: e.currentTarget.value })}
      />
      {variant && variant.fields.length > 0 && (
        <Stack gap={6} className="snn-variant__fields">
          {variant.fields.map((sub) =>
            sub.field.kind === 'variant' ? null : (
              <ValueField
                key={`${nodeId}:${spec.key}.${chosen}.${sub.key}`}
                label={sub.label}
                field={sub.field}
                required={sub.required}
                value={isObject(value) ? (value as Record<string, unknown>)[sub.key] : undefined}
                defaultValue={sub.default}
                description={`${spec.key}.${sub.key}`}
                readOnly={readOnly}
                testId={`param-${spec.key}-${sub.key}`}
                onCommit={(v) => {
                  const { [sub.key]: _old, ...rest } = effective;
                  onSet(v === undefined ? rest : { ...rest, [sub.key]: v });
                }}
              />
            ),
          )}
        </Stack>
      )}
    </div>
  );
}

/** Schema errors of the stored parameters, by top-level key (what zod says about what is stored). */
export function schemaErrorsByKey(schema: z.ZodType, params: Readonly<Record<string, unknown>>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const r = schema.safeParse(params);
  if (r.success) return out;
  for (const issue of r.error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : '';
    out.set(key, [...(out.get(key) ?? []), issueText(issue)]);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}
