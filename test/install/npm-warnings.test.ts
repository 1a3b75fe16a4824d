/**
 * `npm install` on a clean clone prints no warning that concerns the project. The test runs npm's
 * own install planning on the committed files alone (package.json, package-lock.json, .npmrc copied
 * to an empty folder): `npm ci --dry-run --offline` reads the lock file and the project config
 * exactly as a real install does and prints the warnings those decide — a package whose `engines`
 * refuse this Node (EBADENGINE: npm records every package's engines in the lock), an unknown or
 * misspelt project config key, a lock file out of step with package.json — without fetching or
 * writing anything, so it needs no network and takes seconds. (Deprecation notices come from the
 * registry at download time and are not seen here: where .ci/run kept the real install's output,
 * test-results/npm-install.log, the last test reads that too, deprecations included.)
 *
 * Allowed: what npm prints whatever the project, about settings outside it (the user's or the
 * machine's npm config, and npm_config_* variables in the environment). Those variables that a
 * parent `npm test` passes down are npm's settings for that run, not the project's, and are left
 * out of the child's environment.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skipping } from '../helpers/skip.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ALLOWED = [/^npm warn Unknown (user|global|env|builtin) config /i, /^npm warn config (cache-min|cache-max|optional|production|only|also) /i];

const dir = mkdtempSync(join(tmpdir(), 'snn-npm-warn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** npm's warn lines for an install of the committed files, each file first passed through `edit`. */
function installWarnings(edit: { lock?: (lock: Lockfile) => void; npmrc?: (text: string) => string } = {}): string[] {
  for (const f of ['package.json', 'package-lock.json', '.npmrc']) copyFileSync(join(ROOT, f), join(dir, f));
  if (edit.lock) {
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as Lockfile;
    edit.lock(lock);
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  }
  if (edit.npmrc) writeFileSync(join(dir, '.npmrc'), edit.npmrc(readFileSync(join(dir, '.npmrc'), 'utf8')));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['ci', '--dry-run', '--offline', '--no-audit', '--no-fund'], {
    cwd: dir,
    env: { ...env, npm_config_cache: join(dir, '.cache'), npm_config_update_notifier: 'false' },
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  const output = `${r.stdout}\n${r.stderr}`;
  expect(r.status, output).toBe(0);
  return output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^npm warn/i.test(l) && !ALLOWED.some((a) => a.test(l)));
}

interface Lockfile {
  packages: Record<string, { engines?: Record<string, string> }>;
}

describe('npm install on a clean clone', () => {
  it('prints no warning that concerns the project', () => {
    expect(installWarnings()).toEqual([]);
  }, 120_000);

  it('would print one for a package whose engines refuse this Node, and for an unknown project config key', () => {
    const engine = installWarnings({ lock: (l) => void (l.packages['node_modules/zod']!.engines = { node: '>=99' }) });
    expect(engine.some((w) => w.includes('EBADENGINE'))).toBe(true);
    const config = installWarnings({ npmrc: (t) => `${t}\nonnxruntime-node-install=skip\n` });
    expect(config.some((w) => /unknown project config/i.test(w))).toBe(true);
  }, 120_000);
});

const INSTALL_LOG = join(ROOT, 'test-results', 'npm-install.log');
const noLog = existsSync(INSTALL_LOG) ? undefined : 'no test-results/npm-install.log (only .ci/run keeps the real install output)';

describe.skipIf(skipping('npm install log', noLog))('the real npm install of this clone (.ci/run)', () => {
  it('printed no warning that concerns the project', () => {
    const warnings = readFileSync(INSTALL_LOG, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^npm warn/i.test(l) && !ALLOWED.some((a) => a.test(l)));
    expect(warnings).toEqual([]);
  });
});
