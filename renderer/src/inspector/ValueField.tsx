/**
 * One editable value of the inspector. Text-like fields keep what the user types as a draft:
 * every keystroke that parses is committed (merged into one undo step), text that does not parse
 * stays on screen with its error until it is fixed, and the stored value wins again as soon as it
 * changes from elsewhere (undo, another window of the same field).
 */
import { ActionIcon, NativeSelect, Switch, TextInput, Tooltip } from '@mantine/core';
import { IconArrowBackUp } from '@tabler/icons-react';
import { useId, useState } from 'react';
import { formatFieldValue, parseFieldText } from './parse-field.js';
import type { Field } from './schema-fields.js';

export interface ValueFieldProps {
  readonly label: string;
  readonly field: Exclude<Field, { kind: 'variant' }>;
  readonly required: boolean;
  /** The stored value (undefined: not set, the default applies). */
  readonly value: unknown;
  readonly defaultValue?: unknown;
  /** Errors about the stored value (schema checks, shape rules), shown under the field. */
  readonly errors?: readonly string[];
  readonly description?: string;
  readonly readOnly?: boolean;
  readonly testId?: string;
  /** `undefined` removes the value (back to the default). */
  readonly onCommit: (value: unknown) => void;
}

export function ValueField(props: ValueFieldProps) {
  const { field } = props;
  if (field.kind === 'boolean') return <BooleanField {...props} />;
  if (field.kind === 'enum') return <EnumField {...props} options={field.options} />;
  return <TextField {...props} />;
}

function TextField({ label, field, required, value, defaultValue, errors = [], description, readOnly, testId, onCommit }: ValueFieldProps) {
  const formatted = formatFieldValue(field, value);
  const [draft, setDraft] = useState<{ text: string; base: string } | null>(null);
  const text = draft && draft.base === formatted ? draft.text : formatted;
  const parsed = draft && draft.base === formatted ? parseFieldText(field, draft.text, required, label) : null;
  const parseError = parsed && !parsed.ok ? parsed.message : undefined;
  const shown = parseError ? [parseError] : errors;
  const placeholder = defaultValue !== undefined ? `${formatFieldValue(field, defaultValue)} (default)` : required ? 'required' : undefined;
  const hint = field.kind === 'number' && field.nullable ? 'a number, or "none"' : undefined;

  const change = (next: string) => {
    const r = parseFieldText(field, next, required, label);
    if (r.ok) {
      onCommit(r.value);
      setDraft({ text: next, base: formatFieldValue(field, r.value) });
    } else {
      setDraft({ text: next, base: formatted });
    }
  };

  return (
    <TextInput
      size="xs"
      label={<FieldLabel label={label} description={description} reset={value !== undefined && defaultValue !== undefined && !readOnly ? () => { setDraft(null); onCommit(undefined); } : undefined} />}
      title={hint}
      value={text}
      placeholder={placeholder}
      readOnly={readOnly}
      error={shown.length > 0 ? shown.join('; ') : undefined}
      spellCheck={false}
      autoComplete="off"
      classNames={{ input: field.kind === 'text' ? undefined : 'snn-mono-input' }}
      data-testid={testId}
      onChange={(e) => change(e.currentTarget.value)}
      onBlur={() => {
        // a valid draft gives way to the canonical form of its value; an invalid one stays, with its error
        if (draft && parseFieldText(field, draft.text, required).ok) setDraft(null);
      }}
    />
  );
}

function BooleanField({ label, value, defaultValue, errors = [], description, readOnly, testId, onCommit }: ValueFieldProps) {
  const checked = (value ?? defaultValue) === true;
  return (
    <div className="snn-field">
      <Switch
        size="xs"
        label={<FieldLabel label={label} description={description} reset={value !== undefined && defaultValue !== undefined && !readOnly ? () => onCommit(undefined) : undefined} />}
        checked={checked}
        disabled={readOnly}
        data-testid={testId}
        onChange={(e) => onCommit(e.currentTarget.checked)}
        error={errors.length > 0 ? errors.join('; ') : undefined}
      />
    </div>
  );
}

function EnumField({ label, value, defaultValue, errors = [], description, readOnly, testId, onCommit, options }: ValueFieldProps & { options: readonly string[] }) {
  const current = typeof value === 'string' ? value : typeof defaultValue === 'string' ? defaultValue : '';
  const known = options.includes(current);
  const data = [...(known ? [] : [{ value: current, label: current === '' ? 'choose…' : `${current} (unknown)` }]), ...options.map((o) => ({ value: o, label: o === defaultValue ? `${o} (default)` : o }))];
  return (
    <NativeSelect
      size="xs"
      label={<FieldLabel label={label} description={description} reset={value !== undefined && defaultValue !== undefined && !readOnly ? () => onCommit(undefined) : undefined} />}
      data={data}
      value={current}
      disabled={readOnly}
      data-testid={testId}
      error={errors.length > 0 ? errors.join('; ') : undefined}
      onChange={(e) => onCommit(e.currentTarget.value)}
    />
  );
}

export function FieldLabel({ label, description, reset }: { label: string; description?: string | undefined; reset?: (() => void) | undefined }) {
  const id = useId();
  return (
    <span className="snn-field-label" id={id}>
      <span title={description}>{label}</span>
      {reset && (
        <Tooltip label="Reset to default" openDelay={400}>
          <ActionIcon
            size={14}
            variant="subtle"
            color="gray"
            aria-label={`reset ${label} to default`}
            onClick={(e) => {
              e.preventDefault();
              reset();
            }}
          >
            <IconArrowBackUp size={11} />
          </ActionIcon>
        </Tooltip>
      )}
    </span>
  );
}
