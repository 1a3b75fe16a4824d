/**
 * What a training run reports, one typed event at a time. The same objects travel everywhere: the
 * runtime yields them, the app's host streams them to the renderer (validated by these schemas on
 * both transports), the CLI prints them with `--json`, and a run folder keeps them, one per line, in
 * `metrics.jsonl`. So a chart drawn live, a chart reopened from disk and a CLI log agree.
 */
import { z } from 'zod';

const count = z.number().int().min(0);
/**
 * Losses and rates are numbers, NaN and ±Infinity included: the IPC transport keeps those, JSON
 * (the WebSocket, metrics.jsonl) writes them as null, which reads back as NaN.
 */
const real = z.custom<number>((v) => typeof v === 'number', 'must be a number').or(z.null().transform(() => Number.NaN));
const rates = z.record(z.string(), real);

export const startEventSchema = z.object({
  type: z.literal('start'),
  dataset: z.string(),
  trainSamples: count,
  testSamples: count,
  epochs: count,
  stepsPerEpoch: count,
  batchSize: count,
  threads: count,
  parameters: count,
  /** Where the run resumed: epochs completed, and steps into the next epoch when it stopped mid-epoch. */
  resumedAtEpoch: count.optional(),
  resumedAtBatch: count.optional(),
  /** Opening the data and compiling the step, in ms. */
  setupMs: z.number(),
});

export const stepEventSchema = z.object({
  type: z.literal('step'),
  /** 0-based epoch and batch within it; `step` counts steps over the whole run (1-based). */
  epoch: count,
  batch: count,
  step: count,
  loss: real,
  /** Accuracy on this batch, as a fraction. */
  accuracy: z.number(),
  lr: z.number(),
  imagesPerSecond: z.number(),
  msPerStep: z.number(),
  /** Estimated time to the end of training, evaluations included. */
  etaSeconds: z.number(),
  gradNorm: real.optional(),
  /** This batch's fraction of neuron-steps that fired, per spiking layer. */
  firingRates: rates,
});

export const epochEventSchema = z.object({
  type: z.literal('epoch'),
  /** Epochs completed (1-based). */
  epoch: count,
  step: count,
  trainLoss: real,
  trainAccuracy: z.number(),
  testLoss: real,
  testAccuracy: z.number(),
  /** Test-set fraction of neuron-steps that fired, per spiking layer. */
  firingRates: rates,
  trainFiringRates: rates,
  seconds: z.number(),
  imagesPerSecond: z.number(),
  checkpoint: z.string().optional(),
});

/** The run waits between two steps (the app's Pause) or goes on again. */
export const pauseEventSchema = z.object({ type: z.literal('paused'), step: count });
export const resumeEventSchema = z.object({ type: z.literal('resumed'), step: count });

export const doneEventSchema = z.object({
  type: z.literal('done'),
  epochs: count,
  steps: count,
  /** Test accuracy after the last completed epoch, as a fraction. */
  testAccuracy: z.number(),
  firingRates: rates,
  seconds: z.number(),
  /** Stopped before its last epoch; `checkpoint` is then where it stood (mid-epoch if it stopped there). */
  cancelled: z.boolean(),
  checkpoint: z.string().optional(),
});

/** The run failed; `step` is the first step that went wrong where one did (a NaN loss). */
export const errorEventSchema = z.object({
  type: z.literal('error'),
  message: z.string(),
  step: count.optional(),
  /** The last checkpoint that was written before the failure, which the run can resume from. */
  checkpoint: z.string().optional(),
});

export const trainEventSchema = z.discriminatedUnion('type', [
  startEventSchema,
  stepEventSchema,
  epochEventSchema,
  pauseEventSchema,
  resumeEventSchema,
  doneEventSchema,
  errorEventSchema,
]);

export type StartEvent = z.infer<typeof startEventSchema>;
export type StepEvent = z.infer<typeof stepEventSchema>;
export type EpochEvent = z.infer<typeof epochEventSchema>;
export type PauseEvent = z.infer<typeof pauseEventSchema>;
export type ResumeEvent = z.infer<typeof resumeEventSchema>;
export type DoneEvent = z.infer<typeof doneEventSchema>;
export type ErrorEvent = z.infer<typeof errorEventSchema>;
export type TrainEvent = z.infer<typeof trainEventSchema>;
