/**
 * Where the desktop app's pieces are, from source (`npm start`: the engine is TypeScript, run
 * through tsx) or packaged (the build compiled it to JavaScript under electron/dist/app).
 */
import { join } from 'node:path';

export interface AppPaths {
  readonly rendererDist: string;
  readonly preload: string;
  /** The utility process's module: a plain .mjs that loads the engine entry. */
  readonly hostBoot: string;
  readonly hostEntry: string;
}

export function appPaths(appRoot: string, packaged: boolean): AppPaths {
  return {
    rendererDist: join(appRoot, 'renderer', 'dist'),
    preload: join(appRoot, 'electron', 'dist', 'preload.cjs'),
    hostBoot: join(appRoot, 'electron', 'host-boot.mjs'),
    hostEntry: packaged ? join(appRoot, 'electron', 'dist', 'app', 'electron', 'host-process.js') : join(appRoot, 'electron', 'host-process.ts'),
  };
}
