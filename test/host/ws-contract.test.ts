/** The StudioApi contract over browser mode's real WebSocket server (ws-client ↔ server ↔ host). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realpathSync } from 'node:fs';
import { apiUrl, WsStudioClient } from '../../engine/api/ws-client.js';
import { startBrowserMode } from '../../engine/host/browser-mode.js';
import { describeStudioContract } from './studio-contract.js';
import { wsFrom } from './ws-test-client.js';

describeStudioContract('the browser-mode WebSocket', async () => {
  const workDir = realpathSync(mkdtempSync(join(tmpdir(), 'snn-ws-contract-')));
  const staticRoot = join(workDir, '.dist');
  mkdirSync(staticRoot);
  writeFileSync(join(staticRoot, 'index.html'), '<!doctype html><title>SNN Studio</title>');
  const mode = await startBrowserMode({ staticRoot, configDir: join(workDir, '.config'), workingDir: workDir });
  const api = new WsStudioClient(apiUrl(new URL(mode.server.origin), mode.server.token), { WebSocket: wsFrom(mode.server.origin) });
  return {
    api,
    mode: 'browser',
    workDir,
    choose: async (path, purpose) => (await api.chooseFile({ path, purpose }))!,
    async close() {
      api.close();
      await mode.close();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
});
