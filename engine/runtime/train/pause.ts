/**
 * Pause for a training run: the run checks it between two steps and waits while it is on. A cancel
 * must reach a paused run too, so whoever cancels also calls `release()` to wake it.
 */
export class PauseSwitch {
  private on = false;
  private waiters: (() => void)[] = [];

  get paused(): boolean {
    return this.on;
  }

  pause(): void {
    this.on = true;
  }

  resume(): void {
    this.on = false;
    this.release();
  }

  /** Wakes every waiting run (it then looks at `paused` and at its cancel signal again). */
  release(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }

  /** Resolves at the next resume or release. */
  released(): Promise<void> {
    return new Promise((wake) => this.waiters.push(wake));
  }
}
