// Run by huge-pages.test.ts as `node --import tsx relaunch-probe.mts <exit code|wait>`: relaunches
// itself as a glibc 2.36 Linux would, then reports what the process that does the work sees.
import { relaunchWithHugePages } from '../../../engine/runtime/huge-pages.js';

const relaunched = relaunchWithHugePages(process.env, { os: 'linux', glibc: '2.36' });
if (relaunched) process.exitCode = await relaunched;
else {
  console.log(JSON.stringify({ pid: process.pid, tunables: process.env.GLIBC_TUNABLES ?? null }));
  if (process.argv[2] === 'wait') setInterval(() => {}, 1000);
  else process.exitCode = Number(process.argv[2]);
}
