/**
 * The preload script (sandboxed: it may require only `electron`, and the build bundles it into one
 * CommonJS file). It exposes the StudioApi bridge to the isolated page and nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createStudioBridge } from './preload-bridge.js';

contextBridge.exposeInMainWorld('studio', createStudioBridge(ipcRenderer, process.platform));
