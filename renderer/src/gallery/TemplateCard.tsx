/** One template of the gallery: its generated thumbnail, paper, presets and reported accuracy. */
import { Anchor, Badge, Button, Checkbox, Group, NativeSelect, Text } from '@mantine/core';
import { useState } from 'react';
import type { TemplateSummary } from '../../../engine/api/studio-api.js';
import { openTemplate } from '../actions/files.js';
import { formatCount } from '../format.js';

export function TemplateCard({ template }: { template: TemplateSummary }) {
  const [presetName, setPresetName] = useState(template.presets[0]?.name);
  const [busy, setBusy] = useState(false);
  const [options, setOptions] = useState<Record<string, boolean>>({});
  const preset = template.presets.find((p) => p.name === presetName) ?? template.presets[0];
  const open = async () => {
    setBusy(true);
    try {
      await openTemplate(template.id, preset?.name, options);
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className="snn-card" data-testid={`template-${template.id}`} aria-label={template.label}>
      <div className="snn-card__thumb">
        {template.thumbnail ? <img src={svgDataUrl(template.thumbnail)} alt={`${template.label} graph`} draggable={false} /> : <Text size="xs" c="dimmed">no preview</Text>}
      </div>
      <div className="snn-card__body">
        <Text fw={600} size="sm">
          {template.label}
        </Text>
        {template.paper && (
          <Text size="xs" c="dimmed" lineClamp={2} title={template.paper.title}>
            {template.paper.link ? (
              <Anchor href={template.paper.link} target="_blank" rel="noreferrer" size="xs" c="dimmed" underline="hover">
                {template.paper.title}
              </Anchor>
            ) : (
              template.paper.title
            )}
            {template.paper.venue ? ` · ${template.paper.venue}` : ''}
            {template.paper.year ? ` ${template.paper.year}` : ''}
          </Text>
        )}
        <Text size="xs" lineClamp={3} mt={4}>
          {template.description}
        </Text>
      </div>
      <div className="snn-card__foot">
        {template.presets.length > 1 && (
          <NativeSelect
            size="xs"
            aria-label="Preset"
            value={preset?.name}
            onChange={(e) => setPresetName(e.currentTarget.value)}
            data={template.presets.map((p) => ({ value: p.name, label: p.label ?? p.name }))}
            data-testid={`preset-${template.id}`}
          />
        )}
        {preset && (
          <Group gap={4} mt={6}>
            {preset.dataset && (
              <Badge size="xs" variant="light" color="gray">
                {preset.dataset}
              </Badge>
            )}
            {preset.timeSteps !== undefined && (
              <Badge size="xs" variant="light" color="gray">
                T={preset.timeSteps}
              </Badge>
            )}
            {preset.params != null && (
              <Badge size="xs" variant="light" color="gray">
                {formatCount(preset.params)} params
              </Badge>
            )}
            {preset.reportedTop1 != null && (
              <Badge size="xs" variant="light" color="teal" title="top-1 accuracy reported by the paper">
                {preset.reportedTop1}% top-1
              </Badge>
            )}
          </Group>
        )}
        {(template.options ?? []).map((o) => (
          <Checkbox
            key={o.name}
            size="xs"
            mt={6}
            label={o.label}
            title={o.description}
            checked={options[o.name] === true}
            onChange={(e) => setOptions({ ...options, [o.name]: e.currentTarget.checked })}
            data-testid={`option-${template.id}-${o.name}`}
          />
        ))}
        <Button size="xs" mt={8} fullWidth onClick={() => void open()} loading={busy} data-testid={`open-template-${template.id}`}>
          Open
        </Button>
      </div>
    </article>
  );
}

function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
