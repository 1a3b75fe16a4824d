/** Entry of the engine's utility process (started by the main process through host-boot.mjs). */
/// <reference types="electron" />
import { runHostService } from './host-service.js';

runHostService(process.parentPort);
