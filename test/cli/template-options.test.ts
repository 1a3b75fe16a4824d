/**
 * Template options on the command line: `template[:preset][+option]` wherever a document is taken
 * (here `new` and `validate`), the options listed by `templates`, and an option a template does not
 * offer refused by name with exit code 2.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../train/helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'snn-template-options-'));

describe('snn-studio and template options', () => {
  it('new qkformer:tiny+releasedCode writes the released-code document; the SSA projection LIF walks merged rows', async () => {
    const out = join(dir, 'qk.snn.json');
    const r = await cli(['new', 'qkformer:tiny+releasedCode', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('QKFormer HST-3-32 on MNIST digits (released code)');
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { meta: Record<string, unknown>; nodes: { id: string; params?: Record<string, unknown> }[] };
    expect(doc.meta.templateOptions).toEqual({ releasedCode: true });
    expect(doc.nodes.find((n) => n.id === 'stage3_block1')!.params!.releasedCode).toBe(true);
    expect(doc.nodes.find((n) => n.id === 'stage1_block1')!.params!.releasedCode).toBeUndefined();
  });

  it('validate takes the same reference; templates lists the option', async () => {
    const v = await cli(['validate', 'qkformer:tiny+releasedCode']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/valid \(\d+ nodes, 30,326 parameters/);
    const t = await cli(['templates']);
    expect(t.stdout).toContain('option +releasedCode:');
  });

  it('an option the template does not offer: exit 2 and the options it has', async () => {
    const r = await cli(['new', 'qkformer:tiny+releasedcode', '-o', join(dir, 'x.snn.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('template "qkformer" has no option "releasedcode"; options: releasedCode');
    const v = await cli(['validate', 'lif-cnn+releasedCode']);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('template "lif-cnn" has no option "releasedCode"; it takes no options');
  });
});
