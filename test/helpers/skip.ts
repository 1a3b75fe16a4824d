/**
 * Every skip of the suite says why: `skipping(group, reason)` prints the reason and, under
 * `npm test` (scripts/test.mjs sets SNN_TEST_SKIP_LOG), records it so the run's summary lists the
 * skipped groups. Use it as the condition of a skip:
 *
 *   describe.skipIf(skipping('attention: ssa vs the reference', torchSkipReason))('…', () => { … });
 *
 * A null reason means nothing is skipped, and nothing is printed.
 */
import { appendFileSync } from 'node:fs';

/** The environment variable naming the file that collects skip records (one JSON object a line). */
export const SKIP_LOG_ENV = 'SNN_TEST_SKIP_LOG';

export interface SkipRecord {
  readonly group: string;
  readonly reason: string;
}

/** True when `reason` is not null: prints `group: skipped: reason` and records it for the summary. */
export function skipping(group: string, reason: string | null | undefined): boolean {
  if (reason === null || reason === undefined) return false;
  console.warn(`${group}: skipped: ${reason}`);
  const log = process.env[SKIP_LOG_ENV];
  if (log) appendFileSync(log, `${JSON.stringify({ group, reason } satisfies SkipRecord)}\n`);
  return true;
}
