/**
 * The app's own folder is never a page's to write: in browser mode the picker's roots include the
 * user's home, where the config folder lives, yet choosing a path in it — directly, through a link,
 * or as an existing file such as the recent-files list — is refused, and so is saving there.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostError } from '../../engine/host/errors.js';
import { FileAccessPolicy } from '../../engine/host/files/file-policy.js';
import { StudioHost } from '../../engine/host/studio-host.js';
import { lifCnn } from '../../templates/lif-cnn.js';

let dir: string;
let config: string;
let host: StudioHost;

const refusal = async (p: Promise<unknown>): Promise<HostError> => {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(HostError);
  return e as HostError;
};

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'snn-own-folder-')));
  config = join(dir, '.config', 'snn-studio');
  host = await StudioHost.create({ mode: 'browser', configDir: config, pickerRoots: [dir] });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the app's own folder", () => {
  it('is refused by the grant list, also before it exists and through its real path', async () => {
    const policy = new FileAccessPolicy('linux');
    const missing = join(dir, 'not-yet', 'cfg');
    await policy.protect(missing);
    expect(() => policy.grant(join(missing, 'recent-files.json'), 'document')).toThrow(/inside the app's own folder/);
    expect(() => policy.require(join(missing, 'sub', 'a.snn.json'), 'document')).toThrow(HostError);
    expect(policy.grant(join(dir, 'a.snn.json'), 'document')).toBe(join(dir, 'a.snn.json'));
    expect(policy.isProtected(join(dir, 'not-yet'))).toBe(false);
  });

  it('cannot be chosen in the picker or saved to, while a document beside it can', async () => {
    const doc = lifCnn();
    const mine = await host.chooseFile({ purpose: 'save', path: join(dir, 'mine.snn.json') });
    expect(await host.saveDocument({ document: doc, path: mine!.path })).toMatchObject({ path: join(dir, 'mine.snn.json') });
    // the save put it on the recent-files list, which now exists in the config folder
    const recentList = join(config, 'recent-files.json');
    expect(existsSync(recentList)).toBe(true);
    const before = readFileSync(recentList, 'utf8');

    for (const path of [recentList, join(config, 'evil.snn.json')]) {
      const e = await refusal(host.chooseFile({ purpose: 'save', path }));
      expect(e.code).toBe('denied');
      expect(e.message).toMatch(/inside the app's own folder/);
    }
    expect((await refusal(host.chooseFile({ purpose: 'export', path: join(config, 'model.onnx') }))).code).toBe('denied');
    expect((await refusal(host.saveDocument({ document: doc, path: recentList }))).code).toBe('denied');

    // a link in the picker's root that leads into the config folder is followed, then refused
    mkdirSync(join(dir, 'docs'));
    symlinkSync(config, join(dir, 'docs', 'cfg'));
    expect((await refusal(host.chooseFile({ purpose: 'save', path: join(dir, 'docs', 'cfg', 'recent-files.json') }))).code).toBe('denied');
    expect(readFileSync(recentList, 'utf8')).toBe(before);
  });
});
