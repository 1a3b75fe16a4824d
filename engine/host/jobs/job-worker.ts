/**
 * A job's worker thread: runs the job function for its kind, forwards its events, and ends with
 * one `done` or `failed` message (the host then ends the thread). A cancel request aborts the
 * job's signal; a job that does not stop in time is terminated by the host.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { JobKind } from '../../api/studio-api.js';
import { runExportJob } from './export-job.js';
import { runImportJob } from './import-job.js';
import type { FromJobWorker, JobFunction, JobSpec, ToJobWorker } from './job-protocol.js';
import { runProfileJob } from './profile-job.js';
import { PauseSwitch } from '../../runtime/train/pause.js';
import { runTrainJob } from './train-job.js';

/** Each kind's options were validated by the host (the request schema, then its own checks). */
const JOB_FUNCTIONS: { [K in JobKind]: JobFunction<any> } = {
  train: runTrainJob,
  profile: runProfileJob,
  export: runExportJob,
  import: runImportJob,
};

const port = parentPort!;
const post = (m: FromJobWorker) => port.postMessage(m);
const spec = (workerData as { spec: JobSpec }).spec;
const controller = new AbortController();
const pause = new PauseSwitch();
port.on('message', (m: ToJobWorker) => {
  if (m.type === 'cancel') controller.abort();
  else if (m.type === 'pause') pause.pause();
  else pause.resume();
});

try {
  const result = await JOB_FUNCTIONS[spec.kind]({
    document: spec.document,
    options: spec.options,
    emit: (event) => post({ type: 'event', event }),
    signal: controller.signal,
    pause,
  });
  post({ type: 'done', result });
} catch (e) {
  post({ type: 'failed', error: e instanceof Error ? e.message : String(e), cancelled: controller.signal.aborted });
}
