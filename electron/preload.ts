import { contextBridge, ipcRenderer } from 'electron';
import type { BalcaoBridge } from '../renderer/bridge/types.ts';
import { CHANNELS } from './channels.ts';

/**
 * The only thing the page gets from the host: `window.balcao`, each method one invoke on a fixed
 * channel. No ipcRenderer, no Node, no generic "send anything" escape hatch.
 */
const openLinkListeners = new Set<(link: string) => void>();
/** A link can arrive before a screen listens (the app was started from it, or nobody is signed in yet). */
const pendingOpenLinks: string[] = [];
// The page gets the link text only, never the IPC event (it would expose the sender).
ipcRenderer.on(CHANNELS.onOpenLink, (_event, link: unknown) => {
  if (typeof link !== 'string') return;
  if (openLinkListeners.size === 0) pendingOpenLinks.splice(0, pendingOpenLinks.length, link);
  for (const listener of openLinkListeners) listener(link);
});

const bridge: BalcaoBridge = {
  getSettings: () => ipcRenderer.invoke(CHANNELS.getSettings),
  setSettings: (patch) => ipcRenderer.invoke(CHANNELS.setSettings, patch),
  getSecret: (name) => ipcRenderer.invoke(CHANNELS.getSecret, name),
  setSecret: (name, value) => ipcRenderer.invoke(CHANNELS.setSecret, name, value),
  notify: (title, body) => ipcRenderer.invoke(CHANNELS.notify, title, body),
  openDesignSoftware: (url) => ipcRenderer.invoke(CHANNELS.openDesignSoftware, url),
  setSyncState: (state, pendingUploads) => ipcRenderer.invoke(CHANNELS.setSyncState, state, pendingUploads),
  appInfo: () => ipcRenderer.invoke(CHANNELS.appInfo),
  onOpenLink: (listener) => {
    openLinkListeners.add(listener);
    for (const link of pendingOpenLinks.splice(0)) listener(link);
    return () => openLinkListeners.delete(listener);
  },
};

contextBridge.exposeInMainWorld('balcao', bridge);
