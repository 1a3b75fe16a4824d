/** One measured number of a benchmark suite, as `bench/run.ts` prints it and writes it to JSON. */
export interface BenchRow {
  readonly suite: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The same measurement on the reference implementation (PyTorch eager), where there is one. */
  readonly peer?: number;
  readonly note?: string;
}

/** A suite module in `bench/suites/`. */
export interface BenchSuite {
  run(): Promise<BenchRow[]>;
  /** Called after bench/results/latest.json is written, with every row it holds (kept ones too). */
  report?(rows: readonly BenchRow[]): Promise<void>;
}
