/**
 * Save as PNG for a profile chart drawn as SVG: the chart as an image (svg-png.ts), written where the
 * user chooses through the host's file API, as the run panel saves its charts.
 */
import { ActionIcon, Tooltip } from '@mantine/core';
import { IconPhoto } from '@tabler/icons-react';
import type { RefObject } from 'react';
import { errorMessage } from '../api.js';
import { exportChartPng } from '../run/artifact-actions.js';
import { notify } from '../state/view-store.js';
import { resolvedScheme, useThemeStore } from '../state/theme-store.js';
import { svgPng } from './svg-png.js';

export function PngButton({ svg, title, profileName, testId }: { svg: RefObject<SVGSVGElement | null>; title: string; profileName: string; testId: string }) {
  const dark = useThemeStore((s) => resolvedScheme(s) === 'dark');
  const save = async () => {
    if (!svg.current) return;
    try {
      await saveProfilePng(profileName, title, await svgPng(svg.current, title, dark));
    } catch (e) {
      notify('error', `Could not draw the chart: ${errorMessage(e)}`);
    }
  };
  return (
    <Tooltip label="Save this chart as PNG" openDelay={400}>
      <ActionIcon size="xs" variant="subtle" color="gray" aria-label={`save the ${title} chart as PNG`} data-testid={testId} onClick={() => void save()}>
        <IconPhoto size={12} />
      </ActionIcon>
    </Tooltip>
  );
}

/** `png`: a data URL; the file is suggested as `<document>-profile-<chart>.png`. */
export function saveProfilePng(profileName: string, title: string, png: string): Promise<void> {
  return exportChartPng(`${profileName}-profile`, title, png);
}
