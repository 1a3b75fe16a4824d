/**
 * The host's validate and compile: each on an analysis thread, with the limits the caller raised,
 * and each cancellable by the ticket it was sent with. Two threads, so that validating (bounded by
 * the limits: fast) never waits behind building a large model (seconds): a compile is validated on
 * the first and built on the second, and a document past the limits is refused at once even while
 * another compile runs.
 */
import type { LimitOverrides, ResponseMap } from '../api/studio-api.js';
import { DEFAULT_LIMITS, type Limits } from '../core/limits/limits.js';
import { notCompiled } from './analysis.js';
import { AnalysisThread } from './analysis-thread.js';

export interface AnalyserOptions {
  /** Safety net per request (default: analysis-thread's ANALYSIS_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

export class Analyser {
  private readonly checking: AnalysisThread;
  private readonly building: AnalysisThread;

  constructor(options: AnalyserOptions = {}) {
    this.checking = new AnalysisThread(options.timeoutMs);
    this.building = new AnalysisThread(options.timeoutMs);
  }

  validate(document: unknown, overrides?: LimitOverrides, ticket?: string): Promise<ResponseMap['validate']> {
    return this.checking.run('validate', document, 1, limitsWith(overrides), ticket);
  }

  async compile(document: unknown, batch = 1, overrides?: LimitOverrides, ticket?: string): Promise<ResponseMap['compile']> {
    const limits = limitsWith(overrides);
    const checked = await this.checking.run('validate', document, batch, limits, ticket);
    if (!checked.ok) return notCompiled(checked.problems);
    return this.building.run('compile', document, batch, limits, ticket);
  }

  /** Stops the validate or compile sent with `ticket`; false when none is in flight. */
  cancel(ticket: string): boolean {
    // both, not either: a ticket a caller used twice stops every request that carries it
    const checking = this.checking.cancel(ticket);
    const building = this.building.cancel(ticket);
    return checking || building;
  }

  /** Worker threads that have not exited yet (at most one per thread once cancelled ones are gone). */
  threads(): number {
    return this.checking.threads() + this.building.threads();
  }

  async close(): Promise<void> {
    await Promise.all([this.checking.close(), this.building.close()]);
  }
}

/** The defaults with the caller's overrides (each a positive number, checked at the API's boundary). */
export function limitsWith(overrides: LimitOverrides = {}): Limits {
  const out: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(overrides)) if (value !== undefined) out[name] = value;
  return out as unknown as Limits;
}
