/**
 * Where a run stands, read from its events: epoch, step, ETA and how it ended. The panel's
 * progress line and the status bar both show this one reading.
 */
import type { StartEvent, TrainEvent } from '../../../engine/api/train-events.js';
import type { LiveRun } from './run-store.js';

export interface RunProgress {
  readonly start: StartEvent | null;
  /** 1-based epoch being trained (or the last one, once done); 0 before the first step. */
  readonly epoch: number;
  readonly epochs: number;
  /** Steps done over the whole run, and planned. */
  readonly step: number;
  readonly totalSteps: number;
  /** 0..1 */
  readonly fraction: number;
  readonly etaSeconds: number | null;
  readonly paused: boolean;
  /** Test accuracy after the last completed epoch (fraction). */
  readonly testAccuracy: number | null;
  readonly ended: { readonly kind: 'finished' | 'stopped' } | { readonly kind: 'failed'; readonly message: string; readonly step?: number } | null;
}

export function runProgress(events: readonly TrainEvent[]): RunProgress {
  let start: StartEvent | null = null;
  let epoch = 0;
  let step = 0;
  let eta: number | null = null;
  let paused = false;
  let testAccuracy: number | null = null;
  let ended: RunProgress['ended'] = null;
  for (const e of events) {
    switch (e.type) {
      case 'start':
        start = e;
        ended = null;
        paused = false;
        step = e.resumedAtEpoch !== undefined ? e.resumedAtEpoch * e.stepsPerEpoch + (e.resumedAtBatch ?? 0) : 0;
        epoch = e.resumedAtEpoch ?? 0;
        break;
      case 'step':
        epoch = e.epoch + 1;
        step = e.step;
        eta = e.etaSeconds;
        break;
      case 'epoch':
        epoch = e.epoch;
        step = e.step;
        testAccuracy = e.testAccuracy;
        break;
      case 'paused':
        paused = true;
        break;
      case 'resumed':
        paused = false;
        break;
      case 'done':
        testAccuracy = e.epochs > 0 ? e.testAccuracy : testAccuracy;
        ended = { kind: e.cancelled ? 'stopped' : 'finished' };
        eta = null;
        paused = false;
        break;
      case 'error':
        ended = e.step === undefined ? { kind: 'failed', message: e.message } : { kind: 'failed', message: e.message, step: e.step };
        eta = null;
        paused = false;
        break;
    }
  }
  const epochs = start?.epochs ?? 0;
  const totalSteps = start ? start.epochs * start.stepsPerEpoch : 0;
  const fraction = ended?.kind === 'finished' ? 1 : totalSteps > 0 ? Math.min(1, step / totalSteps) : 0;
  return { start, epoch, epochs, step, totalSteps, fraction, etaSeconds: eta, paused, testAccuracy, ended };
}

/** 45 s, 3:07, 1:02:09: an ETA as a clock reads. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** What a failed run says: its message, with the step where it went wrong when there is one. */
export function failureText(ended: Extract<NonNullable<RunProgress['ended']>, { kind: 'failed' }>): string {
  // the engine's own message may already name the step
  return ended.step === undefined || ended.message.includes(`step ${ended.step}`) ? ended.message : `${ended.message} (first at step ${ended.step})`;
}

/** What the panel's badge and the status bar say about the run this window trains. */
export type RunStatusName = 'idle' | 'starting' | 'running' | 'paused' | 'stopping' | 'finished' | 'stopped' | 'failed';

export function liveStatus(live: LiveRun | null, starting: boolean, p: RunProgress): RunStatusName {
  if (starting) return 'starting';
  if (!live) return 'idle';
  if (live.error || p.ended?.kind === 'failed') return 'failed';
  if (live.phase === 'ended') return p.ended?.kind ?? 'stopped';
  if (live.phase === 'stopping') return 'stopping';
  return p.paused ? 'paused' : 'running';
}
