/**
 * The app's limits on what a document may expand to, shown with the document (whose problems they
 * cause) but kept as a preference of this app, not in the file. A model past a default limit gets
 * a located error naming the limit; raising it here lets the canvas, training, profiling and export
 * accept the model.
 */
import { Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { DEFAULT_LIMITS, LIMIT_NAMES, LIMIT_UNITS, type Limits } from '../../../engine/core/limits/limits.js';
import { setLimit, useLimitsStore } from '../state/limits-store.js';
import { Section } from './Section.js';
import { ValueField } from './ValueField.js';

const LABELS: Readonly<Record<keyof Limits, string>> = {
  nodes: 'Nodes',
  tensorElements: 'Largest tensor',
  parameters: 'Parameters',
  activationBytes: 'Activation bytes',
};

export function LimitsSection() {
  const overrides = useLimitsStore((s) => s.overrides);
  const [refused, setRefused] = useState<Partial<Record<keyof Limits, string>>>({});

  const commit = (name: keyof Limits, value: unknown) => {
    if (value !== undefined && (typeof value !== 'number' || !(value > 0))) {
      setRefused((r) => ({ ...r, [name]: `must be above 0; the limit stays ${(overrides[name] ?? DEFAULT_LIMITS[name]).toLocaleString('en-US')}` }));
      return;
    }
    setRefused((r) => ({ ...r, [name]: undefined }));
    setLimit(name, value as number | undefined);
  };

  return (
    <Section title="Limits">
      <Stack gap={6} data-testid="limits-section">
        <Text size="xs" c="dimmed">
          What a model may expand to before it is refused (this app&apos;s setting, not saved in the document).
        </Text>
        {LIMIT_NAMES.map((name) => (
          <ValueField
            key={name}
            label={LABELS[name]}
            field={{ kind: 'number', integer: true, nullable: false }}
            required={false}
            value={overrides[name]}
            defaultValue={DEFAULT_LIMITS[name]}
            description={`limit "${name}": ${LIMIT_UNITS[name]}`}
            errors={refused[name] ? [refused[name]] : []}
            testId={`limit-${name}`}
            onCommit={(v) => commit(name, v)}
          />
        ))}
      </Stack>
    </Section>
  );
}
