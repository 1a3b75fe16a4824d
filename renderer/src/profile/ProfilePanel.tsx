/**
 * The profiler view: run a profile of the document on test samples (in the host's worker, with a
 * progress bar and Cancel), then a sortable table of its nodes (composites open to their insides),
 * the totals under the three energy conventions side by side, per-step firing rates of a chosen
 * row, a look inside a neuron layer on a chosen sample (spike raster, membrane trace), charts as PNG
 * and the profile as CSV/JSON. Props say what to profile; the panel owns the job.
 */
import { Button, Group, NumberInput, Progress, ScrollArea, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconCopy, IconFileExport, IconPlayerPlay, IconPlayerStop } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ProfileResult, ProfileRowJson } from '../../../engine/api/studio-api.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { CONVENTION_NOTES, CONVENTIONS, type Convention } from '../../../engine/core/profile/conventions.js';
import { FOLDED_MACS_HINT } from '../state/folded-macs.js';
import { flattenRows, meanRate } from '../../../engine/core/profile/export.js';
import { formatCount } from '../format.js';
import { PngButton } from './PngButton.js';
import { copyProfileJson, exportProfileCsv } from './profile-export.js';
import { useProfileJob } from './profile-job.js';
import { keepProfile, setProfileConvention, useProfileStore } from './profile-store.js';
import { useDocumentStore } from '../state/document-store.js';
import { nextSort, stepRates, visibleRows, type SortKey, type SortState } from './profile-table.js';
import { SampleLook, type SampleSource } from './SampleLook.js';

export interface ProfilePanelProps {
  /** The document to profile (as the canvas holds it). */
  readonly document: GraphDocument;
  /** Where the document is saved (null: never saved); with `run`, that run's latest checkpoint gives the weights. */
  readonly documentPath: string | null;
  /** A run of the document to take weights from; null or absent: the document's seeded weights. */
  readonly run?: string | null;
  /** Called with a row's node path (`block1.attn.q_lif`) when the user picks it, to reveal it on the canvas. */
  readonly onSelectNode?: (path: string) => void;
}

const COLUMNS: readonly { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'node', label: 'Node', numeric: false },
  { key: 'params', label: 'Params', numeric: true },
  { key: 'macs', label: 'MACs', numeric: true },
  { key: 'frIn', label: 'fr in', numeric: true },
  { key: 'frOut', label: 'fr out', numeric: true },
  { key: 'energy', label: 'Energy', numeric: true },
  { key: 'time', label: 'ms/img', numeric: true },
];

export function ProfilePanel({ document, documentPath, run = null, onSelectNode }: ProfilePanelProps) {
  const { state, start, cancel } = useProfileJob();
  const [samples, setSamples] = useState(256);
  const convention = useProfileStore((s) => s.convention);
  const session = useDocumentStore((s) => s.session);
  // the last result of this document, kept for the canvas (and shown again when the tab reopens)
  const kept = useProfileStore((s) => (s.session === session ? s.result : null));
  const running = state.phase === 'running';
  const shown = state.phase === 'done' ? state.result : state.phase === 'idle' ? kept : null;
  useEffect(() => {
    if (state.phase === 'done') keepProfile(state.result);
  }, [state]);

  const onStart = () => void start(document, { samples, ...(run === null ? {} : { run, documentPath }) });

  return (
    <Stack gap={6} p="xs" className="snn-profile" data-testid="profile-panel">
      <Group gap="xs" wrap="nowrap">
        <Button size="compact-sm" leftSection={<IconPlayerPlay size={14} />} onClick={onStart} disabled={running} data-testid="profile-start">
          Profile
        </Button>
        <NumberInput size="xs" w={110} min={1} max={100_000} value={samples} onChange={(v) => typeof v === 'number' && setSamples(v)} aria-label="Test samples" suffix=" samples" disabled={running} />
        <Text size="xs" c="dimmed">
          {run === null ? 'seeded weights (no run chosen)' : `weights of run ${run}`}
        </Text>
        {running ? (
          <Button size="compact-sm" variant="default" leftSection={<IconPlayerStop size={14} />} onClick={cancel} data-testid="profile-cancel">
            Cancel
          </Button>
        ) : null}
        {shown ? (
          <Group gap={4} ml="auto">
            <SegmentedControl size="xs" value={convention} onChange={(v) => setProfileConvention(v as Convention)} data={CONVENTIONS.map((c) => ({ value: c, label: c }))} data-testid="profile-convention" />
            <Button size="compact-sm" variant="default" leftSection={<IconFileExport size={14} />} onClick={() => void exportProfileCsv(shown)}>
              CSV
            </Button>
            <Button size="compact-sm" variant="default" leftSection={<IconCopy size={14} />} onClick={() => void copyProfileJson(shown)}>
              JSON
            </Button>
          </Group>
        ) : null}
      </Group>
      {running ? <Progress size="sm" value={state.total === 0 ? 0 : (100 * state.done) / state.total} animated data-testid="profile-progress" /> : null}
      {state.phase === 'failed' ? (
        <Text size="xs" c="red">
          {state.error}
        </Text>
      ) : null}
      {state.phase === 'cancelled' ? (
        <Text size="xs" c="dimmed">
          Profile cancelled.
        </Text>
      ) : null}
      {state.phase === 'idle' && !shown ? (
        <Text size="xs" c="dimmed">
          Runs the model on test samples of its dataset and measures, per node, firing rates, synaptic operations, energy under the paper, syops and NeuroBench conventions, and time.
        </Text>
      ) : null}
      {shown ? <ProfileResultView result={shown} convention={convention} onSelectNode={onSelectNode} source={{ document, options: run === null ? {} : { run, documentPath } }} /> : null}
    </Stack>
  );
}

let resultCount = 0;

export function ProfileResultView({ result, convention, onSelectNode, source }: { result: ProfileResult; convention: Convention; onSelectNode: ((path: string) => void) | undefined; source: SampleSource }) {
  // a new profile (other weights, other samples) starts the look inside afresh
  const resultKey = useMemo(() => ++resultCount, [result]);
  const [sort, setSort] = useState<SortState>({ key: 'order', descending: false });
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [chosen, setChosen] = useState<ProfileRowJson | null>(null);
  const p = result.profile;
  const rows = useMemo(() => visibleRows(p.rows, open, sort, convention), [p.rows, open, sort, convention]);
  const total = p.totals.energy[convention].pj || 1;
  const toggle = (path: string) => setOpen((s) => (s.has(path) ? new Set([...s].filter((x) => x !== path)) : new Set([...s, path])));

  return (
    <Group align="stretch" gap="md" wrap="nowrap" className="snn-profile__result">
      <ScrollArea className="snn-panel__scroll" type="auto" scrollbarSize={8} style={{ flex: 1 }}>
        <Table striped highlightOnHover stickyHeader verticalSpacing={2} horizontalSpacing="xs" style={{ whiteSpace: 'nowrap' }} data-testid="profile-table">
          <Table.Thead>
            <Table.Tr>
              {COLUMNS.map((c) => (
                <Table.Th key={c.key} ta={c.numeric ? 'right' : 'left'} onClick={() => setSort((s) => nextSort(s, c.key))} style={{ cursor: 'pointer' }} aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  {c.label}
                  {sort.key === c.key ? (sort.descending ? ' ↓' : ' ↑') : ''}
                </Table.Th>
              ))}
              <Table.Th ta="right">E share</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(({ row, depth, open: isOpen, hasChildren }) => (
              <Table.Tr
                key={row.path}
                onClick={() => {
                  setChosen(row);
                  onSelectNode?.(row.path);
                }}
                data-path={row.path}
              >
                <Table.Td ff="monospace" style={{ paddingLeft: 6 + depth * 14 }}>
                  {hasChildren ? (
                    <span
                      role="button"
                      aria-label={isOpen ? `Close ${row.id}` : `Open ${row.id}`}
                      onClick={(e) => {
                        e.stopPropagation();
                        toggle(row.path);
                      }}
                    >
                      {isOpen ? <IconChevronDown size={11} /> : <IconChevronRight size={11} />}
                    </span>
                  ) : null}{' '}
                  {row.id} <Text span size="xs" c="dimmed">{row.block}</Text>
                </Table.Td>
                <Table.Td ta="right" ff="monospace">{row.params > 0 ? formatCount(row.params) : ''}</Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {row.macs > 0 ? formatCount(row.macs) : ''}
                  {row.foldedMacs === undefined ? null : (
                    <Text span size="xs" c="dimmed" title={FOLDED_MACS_HINT} data-testid="profile-folded-macs">
                      {' '}→ {formatCount(row.foldedMacs)} folded
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">{rate(meanRate(row.reads))}</Table.Td>
                <Table.Td ta="right" ff="monospace">{rate(meanRate(row.writes))}</Table.Td>
                <Table.Td ta="right" ff="monospace">{row.energy[convention].pj > 0 ? energy(row.energy[convention].pj) : ''}</Table.Td>
                <Table.Td ta="right" ff="monospace">{row.timeMs === undefined ? '' : row.timeMs.toFixed(3)}</Table.Td>
                <Table.Td ta="right" ff="monospace">{row.energy[convention].pj > 0 ? `${((100 * row.energy[convention].pj) / total).toFixed(1)}%` : ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      <ScrollArea w={310} type="auto" scrollbarSize={8} style={{ flexShrink: 0 }} data-testid="profile-side">
        <Stack gap={6} w={300}>
          <Totals result={result} />
          <StepMultiples rows={p.rows} onChoose={setChosen} />
          {chosen ? <StepRates row={chosen} timeSteps={p.timeSteps} profileName={p.name} /> : null}
          {chosen ? <SampleLook key={resultKey} result={result} row={chosen} source={source} /> : null}
        </Stack>
      </ScrollArea>
    </Group>
  );
}

function Totals({ result }: { result: ProfileResult }) {
  const t = result.profile.totals;
  return (
    <Stack gap={2} data-testid="profile-totals">
      <Table verticalSpacing={1} horizontalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>per image</Table.Th>
            {CONVENTIONS.map((c) => (
              <Table.Th key={c} ta="right" title={CONVENTION_NOTES[c]}>
                {c}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <Table.Tr>
            <Table.Td>MACs</Table.Td>
            {CONVENTIONS.map((c) => (
              <Table.Td key={c} ta="right" ff="monospace">{formatCount(t.energy[c].macs)}</Table.Td>
            ))}
          </Table.Tr>
          <Table.Tr>
            <Table.Td>ACs (SOPs)</Table.Td>
            {CONVENTIONS.map((c) => (
              <Table.Td key={c} ta="right" ff="monospace">{formatCount(t.energy[c].acs)}</Table.Td>
            ))}
          </Table.Tr>
          <Table.Tr>
            <Table.Td>energy</Table.Td>
            {CONVENTIONS.map((c) => (
              <Table.Td key={c} ta="right" ff="monospace">{energy(t.energy[c].pj)}</Table.Td>
            ))}
          </Table.Tr>
        </Table.Tbody>
      </Table>
      {t.foldedMacs !== t.macs ? (
        <Text size="xs" c="dimmed" title={FOLDED_MACS_HINT} data-testid="profile-folded-total">
          Dense MACs {formatCount(t.macs)} as built, {formatCount(t.foldedMacs)} folded (deployed: each linear chain on spikes as one conv). paper charges the deployed form; syops and neurobench the layers as built.
        </Text>
      ) : null}
      <Text size="xs" c="dimmed">
        {result.samples} samples of {result.dataset}, {result.weights === 'seeded' ? `seeded weights (seed ${result.seed})` : 'trained weights'}
        {result.accuracy === undefined ? '' : `, accuracy ${(100 * result.accuracy).toFixed(1)}%`}. Latency {(t.timeMs ?? 0).toFixed(3)} ms/image; peak activations {(t.peakActivationBytes / 1024).toFixed(0)} KiB; activation sparsity {(100 * t.activationSparsity).toFixed(1)}%; E_MAC {result.profile.costs.macPj} pJ, E_AC {result.profile.costs.acPj} pJ.
      </Text>
    </Stack>
  );
}

/** Per-step firing rate of the chosen row's spike output, as bars. */
function StepRates({ row, timeSteps, profileName }: { row: ProfileRowJson; timeSteps: number; profileName: string }) {
  const svg = useRef<SVGSVGElement>(null);
  const steps = stepRates(row);
  if (!steps) return <Text size="xs" c="dimmed">{row.path} writes no spikes.</Text>;
  const max = Math.max(...steps, 1e-9);
  return (
    <Stack gap={2} data-testid="profile-steps">
      <Group gap={4} wrap="nowrap">
        <Text size="xs" style={{ flex: 1 }}>
          {row.path}: firing rate per time step (T={timeSteps})
        </Text>
        <PngButton svg={svg} title={`${row.path} firing rate per step`} profileName={profileName} testId="profile-png-steps" />
      </Group>
      <svg ref={svg} width={280} height={60} role="img" aria-label={`firing rate per time step of ${row.path}`}>
        {steps.map((r, t) => {
          const w = 280 / steps.length;
          const h = (50 * r) / max;
          return (
            <g key={t}>
              <rect x={t * w + 2} y={52 - h} width={w - 4} height={h} fill="var(--mantine-color-blue-6)">
                <title>{`t=${t + 1}: ${(100 * r).toFixed(2)}%`}</title>
              </rect>
            </g>
          );
        })}
        <line x1={0} x2={280} y1={52} y2={52} stroke="currentColor" strokeOpacity={0.3} />
      </svg>
    </Stack>
  );
}

/** Every neuron layer's firing rate per time step, one small chart each, on a shared scale. */
function StepMultiples({ rows, onChoose }: { rows: readonly ProfileRowJson[]; onChoose: (row: ProfileRowJson) => void }) {
  const neurons = flattenRows(rows).filter((r) => !r.children && r.membraneUpdates > 0 && stepRates(r) !== undefined);
  if (neurons.length === 0) return null;
  const max = Math.max(1e-9, ...neurons.flatMap((r) => stepRates(r)!));
  return (
    <Stack gap={2} data-testid="profile-multiples">
      <Text size="xs">Firing rate per time step (scale 0–{(100 * max).toFixed(1)}%)</Text>
      <ScrollArea.Autosize mah={160} type="auto" scrollbarSize={6}>
        <Group gap={4}>
          {neurons.map((r) => {
            const steps = stepRates(r)!;
            const w = 64 / steps.length;
            return (
              <svg key={r.path} width={68} height={30} role="img" aria-label={`firing rate per step of ${r.path}`} onClick={() => onChoose(r)} style={{ cursor: 'pointer' }}>
                <title>{r.path}</title>
                {steps.map((x, t) => (
                  <rect key={t} x={2 + t * w} y={28 - (26 * x) / max} width={Math.max(1, w - 1)} height={(26 * x) / max} fill="var(--mantine-color-blue-6)" />
                ))}
                <line x1={0} x2={68} y1={28} y2={28} stroke="currentColor" strokeOpacity={0.3} />
              </svg>
            );
          })}
        </Group>
      </ScrollArea.Autosize>
    </Stack>
  );
}

function rate(x: number | undefined): string {
  return x === undefined ? '' : `${(100 * x).toFixed(x < 0.01 ? 2 : 1)}%`;
}

/** pJ per image in the unit that reads best. */
function energy(pj: number): string {
  if (pj >= 1e9) return `${(pj / 1e9).toPrecision(3)} mJ`;
  if (pj >= 1e6) return `${(pj / 1e6).toPrecision(3)} µJ`;
  if (pj >= 1e3) return `${(pj / 1e3).toPrecision(3)} nJ`;
  return `${pj.toPrecision(3)} pJ`;
}
