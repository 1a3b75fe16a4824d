/**
 * The document's training settings, edited like any other part of it: each change is an undoable
 * edit of the `training` block (or of T), saved with the document, and what the next run uses.
 */
import { Stack, Text } from '@mantine/core';
import type { z } from 'zod';
import { documentSchema, trainingSettingsSchema } from '../../../engine/core/document/schema.js';
import { ValueField } from '../inspector/ValueField.js';
import { editDocument, useDocument } from '../state/document-store.js';
import { SETTING_FIELDS, settingValue, withSetting, type SettingField } from './training-fields.js';

export function SettingsSection() {
  const doc = useDocument();
  const training = (doc.training ?? {}) as Readonly<Record<string, unknown>>;
  return (
    <Stack gap={6} data-testid="settings-section">
      <Text size="xs" c="dimmed">
        Saved in the document; a run trains the values set when it starts.
      </Text>
      <div className="snn-run__settings">
        {SETTING_FIELDS.map((f) => {
          const value = settingValue(doc, f.key);
          return (
            <ValueField
              key={f.key}
              label={f.label}
              field={f.field}
              required={f.key === 'timeSteps'}
              value={value}
              defaultValue={f.defaultFor(training)}
              description={f.description}
              errors={errorsOf(f, value)}
              testId={`setting-${f.key}`}
              onCommit={(v) => editDocument((d) => withSetting(d, f.key, v), { coalesceKey: `training:${f.key}` })}
            />
          );
        })}
      </div>
    </Stack>
  );
}

/** What the document schema says about a stored value (a negative learning rate, T of 0). */
function errorsOf(f: SettingField, value: unknown): string[] {
  if (value === undefined) return [];
  const schema: z.ZodType | undefined = f.key === 'timeSteps' ? documentSchema.shape.timeSteps : (trainingSettingsSchema.shape as Record<string, z.ZodType>)[f.key];
  const r = schema?.safeParse(value);
  return r && !r.success ? r.error.issues.map((i) => i.message) : [];
}
