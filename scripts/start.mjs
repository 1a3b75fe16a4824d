#!/usr/bin/env node
// `npm start`: the desktop app where Electron can run, otherwise the same UI in browser mode on
// 127.0.0.1 (see scripts/start/main.ts). The launcher is TypeScript like the rest of the tree, so
// tsx's loader is registered first.
import { register } from 'tsx/esm/api';

register();
// on Linux, first run again with huge pages for big tensors (engine/runtime/huge-pages.ts)
const { relaunchWithHugePages } = await import('../engine/runtime/huge-pages.ts');
const relaunched = relaunchWithHugePages();
if (relaunched) process.exitCode = await relaunched;
else {
  const { main } = await import('./start/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
