/** What a training run reports, one typed event at a time (the CLI prints them; the app streams them). */
export interface StartEvent {
  readonly event: 'start';
  readonly dataset: string;
  readonly trainSamples: number;
  readonly testSamples: number;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  readonly batchSize: number;
  readonly threads: number;
  readonly parameters: number;
  /** Epochs already done when the run resumed from a checkpoint. */
  readonly resumedAtEpoch?: number;
  /** Opening the data and compiling the step, in ms. */
  readonly setupMs: number;
}

export interface StepEvent {
  readonly event: 'step';
  /** 0-based epoch and step within it; `step` counts steps over the whole run (1-based). */
  readonly epoch: number;
  readonly batch: number;
  readonly step: number;
  readonly loss: number;
  /** Accuracy on this batch. */
  readonly accuracy: number;
  readonly lr: number;
  readonly imagesPerSecond: number;
  readonly msPerStep: number;
  /** Estimated time to the end of training, evaluations included. */
  readonly etaSeconds: number;
  readonly gradNorm?: number;
}

export interface EpochEvent {
  readonly event: 'epoch';
  /** Epochs completed (1-based). */
  readonly epoch: number;
  readonly step: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
  /** Test-set fraction of neuron-steps that fired, per spiking layer. */
  readonly firingRates: Readonly<Record<string, number>>;
  readonly trainFiringRates: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  readonly checkpoint?: string;
}

export interface DoneEvent {
  readonly event: 'done';
  readonly epochs: number;
  readonly steps: number;
  /** Test accuracy after the last completed epoch, as a fraction. */
  readonly testAccuracy: number;
  readonly firingRates: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly cancelled: boolean;
  readonly checkpoint?: string;
}

export type TrainEvent = StartEvent | StepEvent | EpochEvent | DoneEvent;
