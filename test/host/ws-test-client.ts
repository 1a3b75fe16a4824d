/** A WebSocket constructor for tests: `ws`'s client, sending the Origin a browser page would send. */
import WebSocket from 'ws';
import type { WebSocketConstructor } from '../../engine/api/ws-client.js';

export function wsFrom(origin: string): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  } as unknown as WebSocketConstructor;
}
