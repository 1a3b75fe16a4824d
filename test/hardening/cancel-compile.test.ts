/**
 * Through browser mode's WebSocket API, as the app calls it: a long compile is cancelled by its
 * ticket (the caller's reply comes at once, the host answers the next request, its worker is
 * ended and replaced, no thread is left behind); a heavy validate runs off the thread that answers
 * requests; and limits raised through the API let a document past the defaults validate and
 * compile, where the defaults refuse it with a located problem.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StudioError } from '../../engine/api/studio-api.js';
import { WsStudioClient } from '../../engine/api/ws-client.js';
import { startBrowserMode, type BrowserMode } from '../../engine/host/browser-mode.js';
import type { StudioHost } from '../../engine/host/studio-host.js';
import { lifCnn } from '../../templates/lif-cnn.js';
import { wsFrom } from '../host/ws-test-client.js';
import { doublingDocument, flatChainDocument, tallInputDocument } from './bomb-docs.js';

let dir: string;
let mode: BrowserMode;
let host: StudioHost;
let api: WsStudioClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'snn-cancel-compile-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>SNN Studio</title>');
  mode = await startBrowserMode({ staticRoot: dir, configDir: join(dir, 'config'), workingDir: dir });
  host = await mode.host;
  api = new WsStudioClient(`ws://127.0.0.1:${mode.server.port}/api?token=${mode.server.token}`, { WebSocket: wsFrom(mode.server.origin) });
});

afterAll(async () => {
  api.close();
  await mode.close();
  // closing the host ends its analysis threads and waits for them to exit
  expect(host.analyser.threads()).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves or rejects as `p` does, recording its name in `order` when it settles. */
function tracked<T>(order: string[], name: string, p: Promise<T>): Promise<T> {
  return p.finally(() => order.push(name));
}

describe('cancelling a compile', () => {
  it('cancels a long compile by its ticket; the host answers at once and keeps compiling', async () => {
    // 4,096 copies of linear → LIF: seconds of building the model
    const big = doublingDocument(12, 32);
    const compiling = api.compile({ document: big, ticket: 'big' });
    // validated after the compile's own validation on the same thread: once this is answered,
    // the compile is building its model on the other thread
    expect((await api.validate({ document: big })).ok).toBe(true);

    const cancelled = api.cancelCompile({ ticket: 'big' });
    const refused = await compiling.then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(StudioError);
    expect(refused).toMatchObject({ code: 'cancelled', message: 'compile cancelled' });
    expect(await cancelled).toEqual({ cancelled: true });
    expect((await api.capabilities()).mode).toBe('browser');

    // nothing left to cancel; a fresh worker compiles the next document
    expect(await api.cancelCompile({ ticket: 'big' })).toEqual({ cancelled: false });
    const next = await api.compile({ document: lifCnn({ channels: [4, 8] }), ticket: 'next' });
    expect(next).toMatchObject({ ok: true, outputShape: [1, 10] });
    // the cancelled worker has exited (a worker left building would make three): one per analysis thread remains
    await vi.waitFor(() => expect(host.analyser.threads()).toBe(2), { timeout: 10_000 });
  }, 120_000);

  it('refuses a ticket that is not a short string and a cancel without one', async () => {
    await expect(api.compile({ document: lifCnn(), ticket: '' })).rejects.toMatchObject({ code: 'invalid-params' });
    await expect(api.cancelCompile({} as { ticket: string })).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringContaining('ticket') });
    await expect(api.compile({ document: lifCnn(), ticket: 'x'.repeat(101) })).rejects.toMatchObject({ code: 'invalid-params' });
  });
});

describe('validate off the thread that answers requests', () => {
  it('answers a request sent after a heavy validate before that validate', async () => {
    const order: string[] = [];
    // 40,000 nodes in a row: within the limits, a second or more of analysis
    const heavy = tracked(order, 'validate', api.validate({ document: flatChainDocument(20_000) }));
    const ping = tracked(order, 'capabilities', api.capabilities());
    expect((await ping).mode).toBe('browser');
    const result = await heavy;
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.paramCount).toBe(20_000 * (8 * 8 + 8));
    // on the answering thread, the validate would have been answered first
    expect(order).toEqual(['capabilities', 'validate']);
  }, 120_000);
});

describe('limits raised through the API', () => {
  it('validates a document past the default node limit once the limit is raised', async () => {
    // 2^15 copies of linear → LIF at T=2: 98,304 primitive nodes
    const doc = doublingDocument(15);
    const refused = await api.validate({ document: doc });
    expect(refused.ok).toBe(false);
    expect(refused.problems).toHaveLength(1);
    expect(refused.problems[0]).toMatchObject({ severity: 'error', path: 'nodes[2] "blockA"', nodeId: 'blockA' });
    expect(refused.problems[0]!.message).toBe('expands to 98,304 primitive nodes (a neuron once per time step); the limit is 50,000 (limit "nodes")');
    const accepted = await api.validate({ document: doc, limits: { nodes: 100_000 } });
    expect(accepted).toMatchObject({ ok: true, problems: [] });
  }, 60_000);

  it('compiles a document past the default tensor limit once the limit is raised', async () => {
    // 16,385² elements in the input: just over 2^28
    const doc = tallInputDocument(16_385);
    const refused = await api.compile({ document: doc });
    expect(refused).toMatchObject({ ok: false, bytes: 0 });
    expect(refused.problems[0]).toMatchObject({ path: 'nodes[0] "in"', nodeId: 'in' });
    expect(refused.problems[0]!.message).toContain('268,468,225 elements per sample; the limit for one tensor is 268,435,456 (2^28) (limit "tensorElements")');
    const compiled = await api.compile({ document: doc, limits: { tensorElements: 2 ** 29 } });
    expect(compiled).toMatchObject({ ok: true, inputShape: [1, 1, 16_385, 16_385], outputShape: [1, 10] });
    expect(compiled.bytes).toBeGreaterThan(0);
  }, 60_000);

  it('carries lowered limits to compile and refuses limits that are not positive numbers', async () => {
    const small = await api.compile({ document: lifCnn({ channels: [4, 8] }), limits: { parameters: 100 } });
    expect(small.ok).toBe(false);
    expect(small.problems[0]!.message).toMatch(/the limit is 100 \(limit "parameters"\)$/);
    await expect(api.validate({ document: lifCnn(), limits: { nodes: 0 } })).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringContaining('limits.nodes') });
    await expect(api.validate({ document: lifCnn(), limits: { nodes: Number.POSITIVE_INFINITY } })).rejects.toMatchObject({ code: 'invalid-params' });
    await expect(api.validate({ document: lifCnn(), limits: { edges: 5 } as never })).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringContaining('edges') });
  }, 60_000);
});
