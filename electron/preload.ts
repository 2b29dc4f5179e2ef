import { contextBridge, ipcRenderer } from 'electron';
import type { BalcaoBridge } from '../renderer/bridge/types.ts';
import { CHANNELS } from './channels.ts';

/**
 * The only thing the page gets from the host: `window.balcao`, each method one invoke on a fixed
 * channel. No ipcRenderer, no Node, no generic "send anything" escape hatch.
 */
const bridge: BalcaoBridge = {
  getSettings: () => ipcRenderer.invoke(CHANNELS.getSettings),
  setSettings: (patch) => ipcRenderer.invoke(CHANNELS.setSettings, patch),
  getSecret: (name) => ipcRenderer.invoke(CHANNELS.getSecret, name),
  setSecret: (name, value) => ipcRenderer.invoke(CHANNELS.setSecret, name, value),
  notify: (title, body) => ipcRenderer.invoke(CHANNELS.notify, title, body),
  openDesignSoftware: (url) => ipcRenderer.invoke(CHANNELS.openDesignSoftware, url),
  setSyncState: (state, pendingUploads) => ipcRenderer.invoke(CHANNELS.setSyncState, state, pendingUploads),
  appInfo: () => ipcRenderer.invoke(CHANNELS.appInfo),
};

contextBridge.exposeInMainWorld('balcao', bridge);
