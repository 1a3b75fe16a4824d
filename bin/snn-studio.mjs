#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the package needs no build step.
import { register } from 'tsx/esm/api';

register();
// on Linux, the commands that build and run models first run again with huge pages for their
// big tensors (engine/runtime/huge-pages.ts); the others are not worth a second start
const COMPUTING = new Set(['compile', 'eval', 'export', 'infer', 'profile', 'train']);
const { relaunchWithHugePages } = await import('../engine/runtime/huge-pages.ts');
const relaunched = COMPUTING.has(process.argv[2] ?? '') ? relaunchWithHugePages() : undefined;
if (relaunched) process.exitCode = await relaunched;
else {
  const { main } = await import('../engine/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
