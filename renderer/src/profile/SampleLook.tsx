/**
 * A look inside the chosen neuron layer on one test sample: its spike raster and the membrane trace
 * of a few of its neurons (the ones typed, or the most active). The profile brings the rasters of one sample; another sample, or the
 * membrane, is a `sampleOnly` profile job (one sample run, nothing measured), started when the user
 * picks the sample or the layer.
 */
import { Button, Group, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { ProfileOptions, ProfileResult, ProfileRowJson, SampleViewResult } from '../../../engine/api/studio-api.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { MembraneChart } from './MembraneChart.js';
import { parseNeuronList } from './neuron-list.js';
import { PngButton, saveProfilePng } from './PngButton.js';
import { useSampleJob } from './profile-job.js';

export interface SampleSource {
  readonly document: GraphDocument;
  /** The weights and dataset the profile used (a run, or none: the seeded weights). */
  readonly options: Pick<ProfileOptions, 'run' | 'documentPath'>;
}

type RasterJson = ProfileResult['rasters'][number];

export function SampleLook({ result, row, source }: { result: ProfileResult; row: ProfileRowJson; source: SampleSource }) {
  const { state, start } = useSampleJob();
  const [sample, setSample] = useState(result.sample);
  const [neuronText, setNeuronText] = useState('');
  const [typo, setTypo] = useState<string | null>(null);
  const neuronLayer = !row.children && row.membraneUpdates > 0;
  const layerNeurons = row.membraneUpdates / result.profile.timeSteps;
  // the last job's view, or until one comes the profile's own sample (rasters only)
  const [view, setView] = useState<SampleViewResult>(result);
  useEffect(() => {
    if (state.phase === 'done') setView(state.result);
  }, [state]);
  const fetch = (s: number, neurons?: number[]) =>
    void start(source.document, { ...source.options, sample: s, sampleOnly: true, ...(neuronLayer ? { membrane: { node: row.path, ...(neurons ? { neurons } : {}) } } : {}) });
  const show = () => {
    const parsed = parseNeuronList(neuronText, layerNeurons);
    setTypo('error' in parsed ? parsed.error : null);
    if (!('error' in parsed)) fetch(sample, parsed.neurons);
  };
  useEffect(() => {
    // a newly picked layer: its membrane on the sample shown, its most active neurons
    setNeuronText('');
    setTypo(null);
    if (neuronLayer) fetch(view.sample);
  }, [row.path]);

  if (!neuronLayer) return null;
  const raster = view.rasters.find((r) => row.writes.some((w) => w.tensor === r.tensor));
  const membrane = view.membrane?.node === row.path ? view.membrane : undefined;
  const name = result.profile.name;
  return (
    <Stack gap={4} data-testid="profile-look">
      <Group gap={4} wrap="nowrap">
        <Text size="xs">Sample</Text>
        <NumberInput size="xs" w={90} min={0} max={9_999_999} value={sample} onChange={(v) => typeof v === 'number' && setSample(v)} aria-label="Test sample shown" data-testid="profile-sample" />
        <TextInput
          size="xs"
          style={{ flex: 1 }}
          placeholder="neurons: most active"
          value={neuronText}
          onChange={(e) => setNeuronText(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Enter' && show()}
          aria-label="Neurons traced (indices, comma separated)"
          data-testid="profile-neurons"
        />
        <Button size="compact-xs" variant="default" onClick={show} loading={state.phase === 'running'} data-testid="profile-sample-show">
          Show
        </Button>
      </Group>
      {typo ? (
        <Text size="xs" c="red" data-testid="profile-neurons-error">
          {typo}
        </Text>
      ) : null}
      {state.phase === 'failed' ? (
        <Text size="xs" c="red" data-testid="profile-look-error">
          {state.error}
        </Text>
      ) : null}
      {raster ? <Raster raster={raster} sample={view.sample} profileName={name} /> : null}
      {membrane ? <MembraneChart trace={membrane} sample={view.sample} onPng={(title, png) => void saveProfilePng(name, title, png)} /> : null}
    </Stack>
  );
}

/** The layer's spikes on the sample: one row per neuron shown, one column per step. */
function Raster({ raster, sample, profileName }: { raster: RasterJson; sample: number; profileName: string }) {
  const svg = useRef<SVGSVGElement>(null);
  const T = raster.spikes.length;
  const n = raster.shown.length;
  const cell = Math.max(2, Math.min(12, Math.floor(200 / Math.max(n, 1))));
  const width = 280;
  const step = width / T;
  const layer = raster.tensor.replace(/:out$/, '');
  return (
    <Stack gap={2} data-testid="profile-raster" data-sample={sample}>
      <Group gap={4} wrap="nowrap">
        <Text size="xs" style={{ flex: 1 }}>
          Spikes on sample {sample}: {n} of {raster.neurons} neurons × {T} steps
        </Text>
        <PngButton svg={svg} title={`${layer} spikes, sample ${sample}`} profileName={profileName} testId="profile-png-raster" />
      </Group>
      <svg ref={svg} width={width} height={n * cell} role="img" aria-label={`spike raster of ${raster.tensor}`}>
        {raster.spikes.flatMap((row, t) => row.flatMap((s, k) => (s ? [<rect key={`${t}:${k}`} x={t * step + 1} y={k * cell} width={step - 2} height={Math.max(1, cell - 1)} fill="currentColor" />] : [])))}
      </svg>
    </Stack>
  );
}
