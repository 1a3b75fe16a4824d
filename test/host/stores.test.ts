/** The host's own files: recent files and the autosave recovery file, and where they live. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfigDir } from '../../engine/host/store/config-dir.js';
import { RecentFiles } from '../../engine/host/store/recent-files.js';
import { RecoveryFile } from '../../engine/host/store/recovery-file.js';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'snn-store-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const touch = (name: string) => {
  const p = join(dir, name);
  writeFileSync(p, '{}');
  return p;
};

describe('RecentFiles', () => {
  it('keeps the newest first, without duplicates, up to its limit, across runs', async () => {
    const file = join(dir, 'cfg', 'recent.json');
    const recent = await RecentFiles.load(file, 3);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => touch(`${n}.snn.json`));
    await recent.add(a!);
    await recent.add(b!);
    await recent.add(a!);
    await recent.add(c!);
    expect((await recent.add(d!)).map((f) => f.name)).toEqual(['d.snn.json', 'c.snn.json', 'a.snn.json']);
    const again = await RecentFiles.load(file, 3);
    expect(again.all()).toEqual([d, c, a]);
  });

  it('lists only files that still exist, but remembers all', async () => {
    const recent = await RecentFiles.load(join(dir, 'recent.json'));
    const kept = touch('kept.snn.json');
    await recent.add(join(dir, 'gone.snn.json'));
    await recent.add(kept);
    expect(await recent.list()).toEqual([{ path: kept, name: 'kept.snn.json' }]);
    expect(recent.all()).toHaveLength(2);
  });

  it('starts empty from a missing or damaged file', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"version":1,"files":[3]');
    expect((await RecentFiles.load(join(dir, 'bad.json'))).all()).toEqual([]);
    writeFileSync(join(dir, 'wrong.json'), '{"version":2,"files":[]}');
    expect((await RecentFiles.load(join(dir, 'wrong.json'))).all()).toEqual([]);
  });
});

describe('RecoveryFile', () => {
  it('writes, reads back and clears the autosaved document, atomically', async () => {
    const recovery = new RecoveryFile(join(dir, 'recovery', 'autosave.json'), () => new Date('2026-01-02T03:04:05Z'));
    expect(await recovery.read()).toBeNull();
    const document = { format: 'snn-studio/graph', name: 'x' };
    expect(await recovery.write(document, '/home/u/x.snn.json')).toEqual({ savedAt: '2026-01-02T03:04:05.000Z' });
    expect(await recovery.read()).toEqual({ document, path: '/home/u/x.snn.json', savedAt: '2026-01-02T03:04:05.000Z' });
    expect(readdirSync(join(dir, 'recovery'))).toEqual(['autosave.json']);
    expect(await recovery.clear()).toBe(true);
    expect(await recovery.clear()).toBe(false);
    expect(await recovery.read()).toBeNull();
  });

  it('ignores a damaged recovery file', async () => {
    const path = join(dir, 'autosave.json');
    writeFileSync(path, '{"version":1,"savedAt":"x","path":null,"document":[]}');
    expect(await new RecoveryFile(path).read()).toBeNull();
  });
});

describe('defaultConfigDir', () => {
  it('follows each platform, and the override', () => {
    expect(defaultConfigDir({}, 'linux', '/home/u')).toBe('/home/u/.config/snn-studio');
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/snn-studio');
    expect(defaultConfigDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/SNN Studio');
    expect(defaultConfigDir({ APPDATA: '/appdata' }, 'win32', '/u')).toBe(join('/appdata', 'SNN Studio'));
    expect(defaultConfigDir({ SNN_STUDIO_CONFIG_DIR: '/tmp/c' }, 'linux', '/home/u')).toBe('/tmp/c');
  });
});
