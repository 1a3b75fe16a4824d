/**
 * A reader that stops early (`snn-studio info doc | head -1`) closes the pipe: the command ends
 * quietly with exit 0 instead of reporting "write EPIPE" as a failure. The reader here is `true`,
 * which exits without reading, long before node has started: every write meets a closed pipe.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildTemplate } from '../../templates/index.js';

const BIN = fileURLToPath(new URL('../../bin/snn-studio.mjs', import.meta.url));
const bash = process.platform === 'win32' ? undefined : spawnSync('bash', ['-c', 'true']).status === 0 ? 'bash' : undefined;
if (!bash) console.log('pipe test skipped: no bash to build the pipeline with');

describe.skipIf(!bash)('snn-studio into a pipe that closes early', () => {
  it('info | true: nothing on stderr, exit 0', () => {
    const doc = join(mkdtempSync(join(tmpdir(), 'snn-pipe-')), 'spikformer.snn.json');
    writeFileSync(doc, JSON.stringify(buildTemplate('spikformer', '4-384')));
    // pipefail: the exit status is the CLI's own, not head's
    const script = `set -o pipefail; "${process.execPath}" "${BIN}" info "${doc}" 2>"${doc}.err" | true`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(readFileSync(`${doc}.err`, 'utf8')).toBe('');
    expect(r.status).toBe(0);
  });
});
