import type { SyncTrayState } from '../renderer/bridge/types.ts';

/**
 * The tray icon is a coloured dot drawn at run time, so the shell needs no image files and the
 * colour always matches the state. Raw BGRA pixels, as `nativeImage.createFromBitmap` expects.
 */
export const TRAY_COLORS: Record<SyncTrayState, readonly [r: number, g: number, b: number]> = {
  online: [47, 158, 68],
  pending: [240, 140, 0],
  offline: [134, 142, 150],
  error: [224, 49, 49],
};

export function trayBitmap(state: SyncTrayState, size = 16): Buffer {
  const [r, g, b] = TRAY_COLORS[state];
  const pixels = Buffer.alloc(size * size * 4);
  const center = (size - 1) / 2;
  const radius = size / 2 - 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x - center, y - center);
      // One pixel of soft edge keeps the dot from looking jagged.
      const alpha = Math.round(255 * Math.max(0, Math.min(1, radius + 0.5 - distance)));
      const offset = (y * size + x) * 4;
      // Premultiplied BGRA.
      pixels[offset] = Math.round((b * alpha) / 255);
      pixels[offset + 1] = Math.round((g * alpha) / 255);
      pixels[offset + 2] = Math.round((r * alpha) / 255);
      pixels[offset + 3] = alpha;
    }
  }
  return pixels;
}

const LABELS: Record<'pt-BR' | 'en', Record<SyncTrayState, string>> = {
  'pt-BR': { online: 'Sincronizado', pending: 'Enviando', offline: 'Sem conexão com o servidor', error: 'Erro de sincronização' },
  en: { online: 'In sync', pending: 'Uploading', offline: 'No connection to the server', error: 'Sync error' },
};

export function trayTooltip(state: SyncTrayState, pendingUploads: number, language: 'pt-BR' | 'en'): string {
  const label = LABELS[language][state];
  if (pendingUploads <= 0) return `Balcão — ${label}`;
  const waiting = language === 'en' ? `${pendingUploads} waiting to upload` : `${pendingUploads} aguardando envio`;
  return `Balcão — ${label} (${waiting})`;
}
