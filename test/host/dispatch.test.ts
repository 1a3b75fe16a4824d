/** The host's boundary: every message validated, every failure an error reply with a code. */
import { describe, expect, it } from 'vitest';
import type { StudioMethods } from '../../engine/api/studio-api.js';
import { createDispatcher } from '../../engine/host/dispatch.js';
import { decodeMessage } from '../../engine/host/server/ws-endpoint.js';
import { denied } from '../../engine/host/errors.js';

const calls: unknown[] = [];
const host = {
  async capabilities() {
    return { mode: 'browser' };
  },
  async validate(p: unknown) {
    calls.push(p);
    return { ok: true };
  },
  async openDocument() {
    throw denied('/etc/passwd: not a file you chose');
  },
  async compile() {
    throw new Error('disk on fire');
  },
} as unknown as StudioMethods;
const dispatch = createDispatcher(host);

describe('createDispatcher', () => {
  it('runs a valid request and echoes its id', async () => {
    expect(await dispatch({ id: 1, method: 'capabilities', params: {} })).toEqual({ id: 1, ok: true, result: { mode: 'browser' } });
    expect(await dispatch({ id: 2, method: 'capabilities' })).toEqual({ id: 2, ok: true, result: { mode: 'browser' } });
    expect(await dispatch({ id: 3, method: 'validate', params: { document: { a: 1 } } })).toMatchObject({ id: 3, ok: true });
    expect(calls).toEqual([{ document: { a: 1 } }]);
  });

  it('refuses envelopes that are not requests', async () => {
    for (const m of [undefined, null, 1, 'x', [], {}, { id: -1, method: 'x' }, { id: 1.5, method: 'x' }, { id: 1, method: 3 }, { id: 1, method: 'capabilities', params: {}, more: 1 }]) {
      expect(await dispatch(m), JSON.stringify(m)).toMatchObject({ ok: false, code: 'bad-message' });
    }
    expect(await dispatch({ id: 4, method: 'capabilities', x: 1 })).toMatchObject({ id: 4, code: 'bad-message' });
  });

  it('refuses unknown methods, including ones every object has', async () => {
    for (const method of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'onEvent', 'close']) {
      expect(await dispatch({ id: 5, method, params: {} }), method).toMatchObject({ id: 5, ok: false, code: 'unknown-method' });
    }
  });

  it('refuses params that do not match the method', async () => {
    expect(await dispatch({ id: 6, method: 'validate', params: {} })).toMatchObject({ code: 'invalid-params', error: expect.stringContaining('document') });
    expect(await dispatch({ id: 7, method: 'validate', params: { document: [] } })).toMatchObject({ code: 'invalid-params' });
    expect(await dispatch({ id: 8, method: 'capabilities', params: { unexpected: true } })).toMatchObject({ code: 'invalid-params' });
    expect(await dispatch({ id: 9, method: 'openDocument', params: { path: 'x'.repeat(5000) } })).toMatchObject({ code: 'invalid-params' });
    expect(await dispatch({ id: 10, method: 'startJob', params: { kind: 'mine bitcoin', document: {} } })).toMatchObject({ code: 'invalid-params' });
    expect(calls).toHaveLength(1);
  });

  it('turns host refusals and failures into error replies', async () => {
    expect(await dispatch({ id: 11, method: 'openDocument', params: {} })).toEqual({ id: 11, ok: false, code: 'denied', error: '/etc/passwd: not a file you chose' });
    const err = console.error;
    console.error = () => {};
    try {
      expect(await dispatch({ id: 12, method: 'compile', params: { document: {} } })).toEqual({ id: 12, ok: false, code: 'failed', error: 'disk on fire' });
    } finally {
      console.error = err;
    }
  });
});

describe('decodeMessage', () => {
  it('parses JSON text and refuses what is not JSON or too large', () => {
    expect(decodeMessage('{"id":1}')).toEqual({ ok: true, message: { id: 1 } });
    expect(decodeMessage('{"id":')).toMatchObject({ ok: false, reply: { id: null, code: 'bad-message' } });
    expect(decodeMessage('"é"'.repeat(10), 20)).toMatchObject({ ok: false, reply: { code: 'bad-message', error: expect.stringContaining('40 bytes') } });
  });
});
