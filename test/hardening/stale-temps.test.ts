/**
 * Temp files that a killed writer left behind are removed by the next write of the same file (a
 * document save, an export, the recent-files list) — not those of other files, and not those of a
 * writer that is still running.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../engine/runtime/checkpoint/atomic-write.js';

const dir = mkdtempSync(join(tmpdir(), 'snn-stale-temps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stale temp files', () => {
  it("the next write of a file removes its dead writer's temp files, and only those", async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const stale = join(dir, `.net.snn.json.tmp-${dead}-7`);
    const otherFile = join(dir, `.other.snn.json.tmp-${dead}-1`);
    const liveWriter = join(dir, `.net.snn.json.tmp-${process.ppid}-2`);
    for (const p of [stale, otherFile, liveWriter]) writeFileSync(p, 'half a document');
    await writeFileAtomic(join(dir, 'net.snn.json'), '{}\n');
    expect(readFileSync(join(dir, 'net.snn.json'), 'utf8')).toBe('{}\n');
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(otherFile)).toBe(true);
    expect(existsSync(liveWriter)).toBe(true);
  });
});
