/**
 * What a training run reports, one typed event at a time. The schemas live in the API
 * (engine/api/train-events.ts) because the same objects reach the app, the CLI's `--json` lines and
 * a run folder's metrics.jsonl; the runtime only produces them.
 */
export type { DoneEvent, EpochEvent, ErrorEvent, PauseEvent, ResumeEvent, StartEvent, StepEvent, TrainEvent } from '../../api/train-events.js';
