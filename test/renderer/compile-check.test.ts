/**
 * The inspector's build check against a real host (its dispatcher behind the desktop bridge's
 * interface): Compile reports the built model; a long build is cancelled through the API, the
 * check ends as cancelled and the host's cancelled thread exits; and the user's limits go with
 * the build, so a model past a default limit is refused with the located problem until the limit
 * is raised.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StudioBridge } from '../../engine/api/bridge.js';
import type { StudioEvent } from '../../engine/api/studio-api.js';
import { createDispatcher } from '../../engine/host/dispatch.js';
import { StudioHost } from '../../engine/host/studio-host.js';
import { lifCnn } from '../../templates/lif-cnn.js';
import { doublingDocument, tallInputDocument } from '../hardening/bomb-docs.js';

let dir: string;
let host: StudioHost;
let check: typeof import('../../renderer/src/state/compile-check.js');
let limits: typeof import('../../renderer/src/state/limits-store.js');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'snn-compile-check-'));
  host = await StudioHost.create({ mode: 'desktop', configDir: join(dir, 'config') });
  const dispatch = createDispatcher(host);
  // messages go through a JSON round trip, as they do over either transport
  const bridge: StudioBridge = {
    call: async (request) => JSON.parse(JSON.stringify(await dispatch(JSON.parse(JSON.stringify(request))))),
    onEvent: (listener: (e: StudioEvent) => void) => host.onEvent(listener),
    onCommand: () => () => {},
    platform: process.platform,
  };
  vi.stubGlobal('studio', bridge);
  check = await import('../../renderer/src/state/compile-check.js');
  limits = await import('../../renderer/src/state/limits-store.js');
});

afterAll(async () => {
  vi.unstubAllGlobals();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('build check', () => {
  it('builds the document on the host and reports the model', async () => {
    const doc = lifCnn({ channels: [4, 8] });
    await check.startCompileCheck(doc);
    const s = check.useCompileCheck.getState();
    expect(s).toMatchObject({ phase: 'done', doc, result: { ok: true, inputShape: [1, 1, 28, 28], outputShape: [1, 10] } });
    expect(s.phase === 'done' && s.result.bytes).toBeGreaterThan(1000);
  }, 60_000);

  it('cancels a long build; the host ends the thread that ran it', async () => {
    // 4,096 copies of linear → LIF: seconds of building
    const doc = doublingDocument(12, 32);
    const building = check.startCompileCheck(doc);
    expect(check.useCompileCheck.getState()).toMatchObject({ phase: 'running', doc });
    // a second start while one runs is not another build
    await check.startCompileCheck(lifCnn());
    expect(check.useCompileCheck.getState()).toMatchObject({ phase: 'running', doc });
    await check.cancelCompileCheck();
    await building;
    expect(check.useCompileCheck.getState()).toEqual({ phase: 'cancelled', doc });
    await vi.waitFor(() => expect(host.analyser.threads()).toBeLessThanOrEqual(2), { timeout: 10_000 });
    // the host builds the next model on a fresh thread
    await check.startCompileCheck(lifCnn({ channels: [4, 8] }));
    expect(check.useCompileCheck.getState()).toMatchObject({ phase: 'done', result: { ok: true } });
  }, 60_000);

  it('builds under the user limits: refused past a default limit, built once it is raised', async () => {
    // 16,385² input elements: just over the default 2^28 per tensor
    const doc = tallInputDocument(16_385);
    await check.startCompileCheck(doc);
    const refused = check.useCompileCheck.getState();
    expect(refused).toMatchObject({ phase: 'done', result: { ok: false, bytes: 0 } });
    expect(refused.phase === 'done' && refused.result.problems[0]).toMatchObject({ path: 'nodes[0] "in"', message: expect.stringContaining('(limit "tensorElements")') });

    limits.setLimit('tensorElements', 2 ** 29);
    await check.startCompileCheck(doc);
    expect(check.useCompileCheck.getState()).toMatchObject({ phase: 'done', result: { ok: true, inputShape: [1, 1, 16_385, 16_385] } });
    limits.setLimit('tensorElements', undefined);
  }, 60_000);
});
