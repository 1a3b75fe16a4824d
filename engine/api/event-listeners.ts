/**
 * A set of StudioEvent listeners, shared by the clients, the host and the desktop relay: a listener
 * that throws is logged and does not keep the event from the others.
 */
import type { StudioEvent } from './studio-api.js';

export class EventListeners {
  private readonly listeners = new Set<(e: StudioEvent) => void>();

  add(listener: (e: StudioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  emit(event: StudioEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (e) {
        console.error('StudioApi event listener failed', e);
      }
    }
  }
}
