/**
 * "Only paths the user chose": the grant list, and browser mode's picker, which shows and grants
 * only what lies inside its roots (symlinks resolved first).
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostError } from '../../engine/host/errors.js';
import { withExtension } from '../../engine/host/files/file-kinds.js';
import { FilePicker, isWithin } from '../../engine/host/files/file-picker.js';
import { FileAccessPolicy } from '../../engine/host/files/file-policy.js';

const code = async (p: Promise<unknown>) => {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(HostError);
  return (e as HostError).code;
};

describe('FileAccessPolicy', () => {
  it('allows a path only after it was granted, and only for its kind', () => {
    const policy = new FileAccessPolicy('linux');
    expect(policy.isGranted('/home/u/a.snn.json', 'document')).toBe(false);
    expect(() => policy.require('/home/u/a.snn.json', 'document')).toThrow(HostError);
    expect(policy.grant('/home/u/x/../a.snn.json', 'document')).toBe('/home/u/a.snn.json');
    expect(policy.require('/home/u/./a.snn.json', 'document')).toBe('/home/u/a.snn.json');
    expect(policy.isGranted('/home/u/a.snn.json', 'export')).toBe(false);
    expect(policy.isGranted('/home/u/A.snn.json', 'document')).toBe(false);
  });

  it('refuses relative paths even when they resolve to a granted file', () => {
    const policy = new FileAccessPolicy('linux');
    policy.grant(join(process.cwd(), 'a.snn.json'), 'document');
    expect(policy.isGranted('a.snn.json', 'document')).toBe(false);
  });

  it('compares Windows paths without case', () => {
    const policy = new FileAccessPolicy('win32');
    policy.grant('/Users/U/Net.snn.json', 'document');
    expect(policy.isGranted('/users/u/net.SNN.json', 'document')).toBe(true);
  });
});

describe('file kinds', () => {
  it('adds the extension a picked name lacks', () => {
    expect(withExtension('net', 'save')).toBe('net.snn.json');
    expect(withExtension('net.snn.json', 'save')).toBe('net.snn.json');
    expect(withExtension('net.JSON', 'save')).toBe('net.JSON');
    expect(withExtension('net.snn.json', 'export')).toBe('net.snn.json.onnx');
    expect(withExtension('m.onnx', 'export')).toBe('m.onnx');
  });
});

describe('FilePicker', () => {
  let dir: string;
  let root: string;
  let picker: FilePicker;
  let policy: FileAccessPolicy;

  beforeAll(async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'snn-picker-')));
    root = join(dir, 'home');
    mkdirSync(join(root, 'models', 'deep'), { recursive: true });
    mkdirSync(join(root, '.hidden'));
    writeFileSync(join(root, 'models', 'a.snn.json'), '{}');
    writeFileSync(join(root, 'models', 'b.json'), '{}');
    writeFileSync(join(root, 'models', 'c.onnx'), '');
    writeFileSync(join(root, 'models', 'notes.txt'), '');
    writeFileSync(join(root, 'models', '.secret.json'), '{}');
    writeFileSync(join(dir, 'outside.snn.json'), '{}');
    mkdirSync(join(dir, 'outside-dir'));
    symlinkSync(join(dir, 'outside.snn.json'), join(root, 'models', 'link-out.snn.json'));
    symlinkSync(join(dir, 'outside-dir'), join(root, 'dir-out'));
    symlinkSync(join(root, 'models', 'a.snn.json'), join(root, 'link-in.snn.json'));
    policy = new FileAccessPolicy();
    picker = await FilePicker.create([root, join(dir, 'missing-root')], policy);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the roots that exist, and starts at the first', async () => {
    expect(picker.rootRefs()).toEqual([{ path: root, name: 'home' }]);
    const top = await picker.browse(undefined, 'open');
    expect(top.dir).toBe(root);
    expect(top.parent).toBeNull();
  });

  it('lists folders and the files that fit the purpose, hiding dotfiles', async () => {
    const open = await picker.browse(join(root, 'models'), 'open');
    expect(open.parent).toBe(root);
    expect(open.entries.map((e) => `${e.kind}:${e.name}`)).toEqual(['dir:deep', 'file:a.snn.json', 'file:b.json', 'file:link-out.snn.json']);
    const exp = await picker.browse(join(root, 'models'), 'export');
    expect(exp.entries.map((e) => e.name)).toEqual(['deep', 'c.onnx']);
  });

  it('refuses to browse outside its roots, also through a symlink or ..', async () => {
    expect(await code(picker.browse(dir, 'open'))).toBe('denied');
    expect(await code(picker.browse('/etc', 'open'))).toBe('denied');
    expect(await code(picker.browse(join(root, 'dir-out'), 'open'))).toBe('denied');
    expect(await code(picker.browse(join(root, '..'), 'open'))).toBe('denied');
    expect(await code(picker.browse('models', 'open'))).toBe('denied');
    expect(await code(picker.browse(join(dir, 'nowhere'), 'open'))).toBe('denied');
    expect(await code(picker.browse(join(root, 'nowhere'), 'open'))).toBe('failed');
  });

  it('grants a chosen document to open, and nothing else', async () => {
    const chosen = await picker.choose(join(root, 'models', 'a.snn.json'), 'open');
    expect(chosen).toEqual({ path: join(root, 'models', 'a.snn.json'), name: 'a.snn.json' });
    expect(policy.isGranted(chosen.path, 'document')).toBe(true);
    expect(policy.isGranted(join(root, 'models', 'b.json'), 'document')).toBe(false);
    // a link inside the roots is granted as the file it points to
    expect((await picker.choose(join(root, 'link-in.snn.json'), 'open')).path).toBe(join(root, 'models', 'a.snn.json'));
  });

  it('refuses to open what is outside, missing, not a document or not a file', async () => {
    expect(await code(picker.choose(join(dir, 'outside.snn.json'), 'open'))).toBe('denied');
    expect(await code(picker.choose(join(root, 'models', 'link-out.snn.json'), 'open'))).toBe('denied');
    expect(await code(picker.choose(join(root, 'models', 'notes.txt'), 'open'))).toBe('denied');
    expect(await code(picker.choose(join(root, 'models', 'gone.snn.json'), 'open'))).toBe('failed');
    expect(await code(picker.choose(join(root, 'models', 'deep'), 'open'))).toBe('failed');
    expect(policy.isGranted(join(dir, 'outside.snn.json'), 'document')).toBe(false);
  });

  it('grants a new file to save, with the extension, only in a folder inside the roots', async () => {
    const chosen = await picker.choose(join(root, 'models', 'deep', 'new-net'), 'save');
    expect(chosen.path).toBe(join(root, 'models', 'deep', 'new-net.snn.json'));
    expect(policy.isGranted(chosen.path, 'document')).toBe(true);
    const onnx = await picker.choose(join(root, 'model'), 'export');
    expect(onnx.path).toBe(join(root, 'model.onnx'));
    expect(policy.isGranted(onnx.path, 'export')).toBe(true);
    expect(policy.isGranted(onnx.path, 'document')).toBe(false);

    expect(await code(picker.choose(join(dir, 'escape'), 'save'))).toBe('denied');
    expect(await code(picker.choose(join(root, 'dir-out', 'escape'), 'save'))).toBe('denied');
    expect(await code(picker.choose(join(root, 'models', 'link-out.snn.json'), 'save'))).toBe('denied');
    expect(await code(picker.choose(join(root, 'no-such-folder', 'x'), 'save'))).toBe('failed');
    expect(await code(picker.choose(join(root, 'models', 'deep') + '/', 'save'))).toBe('denied');
  });

  it('lists and grants folders as datasets, separately from documents', async () => {
    expect((await picker.browse(join(root, 'models'), 'dataset')).entries.map((e) => e.name)).toEqual(['deep']);
    const chosen = await picker.choose(join(root, 'models', 'deep'), 'dataset');
    expect(policy.isGranted(chosen.path, 'dataset')).toBe(true);
    expect(policy.isGranted(chosen.path, 'document')).toBe(false);
    expect(await code(picker.choose(join(root, 'models', 'a.snn.json'), 'dataset'))).toBe('failed');
    expect(await code(picker.choose(join(root, 'dir-out'), 'dataset'))).toBe('denied');
  });

  it('knows what is within a folder', () => {
    expect(isWithin('/a/b/c', '/a/b')).toBe(true);
    expect(isWithin('/a/b', '/a/b')).toBe(true);
    expect(isWithin('/a/bc', '/a/b')).toBe(false);
    expect(isWithin('/a', '/a/b')).toBe(false);
    expect(isWithin('/a/b/..x', '/a/b')).toBe(true);
  });
});
