import { describe, expect, it } from 'vitest';
import { findDeepLink } from '../../electron/deep-link.ts';
import { TRAY_COLORS, trayBitmap, trayTooltip } from '../../electron/tray-icon.ts';

describe('tray icon', () => {
  it('draws a dot in the state colour on a transparent square (BGRA)', () => {
    const size = 16;
    const pixels = trayBitmap('error', size);
    expect(pixels.length).toBe(size * size * 4);
    const center = (8 * size + 8) * 4;
    const [r, g, b] = TRAY_COLORS.error;
    expect([pixels[center + 2], pixels[center + 1], pixels[center], pixels[center + 3]]).toEqual([r, g, b, 255]);
    expect(pixels[3]).toBe(0); // top-left corner is transparent
  });

  it('gives each state its own colour', () => {
    const centers = (['online', 'offline', 'pending', 'error'] as const).map((state) => trayBitmap(state).subarray(8 * 64 + 32, 8 * 64 + 36).toString('hex'));
    expect(new Set(centers).size).toBe(4);
  });

  it('says the state and what waits to upload, in the user language', () => {
    expect(trayTooltip('online', 0, 'pt-BR')).toBe('Balcão — Sincronizado');
    expect(trayTooltip('offline', 3, 'pt-BR')).toBe('Balcão — Sem conexão com o servidor (3 aguardando envio)');
    expect(trayTooltip('pending', 1, 'en')).toBe('Balcão — Uploading (1 waiting to upload)');
  });
});

describe('deep links', () => {
  it('finds a balcao:// link among the arguments of a second start', () => {
    expect(findDeepLink(['/opt/Balcao/balcao', '--no-sandbox', 'balcao://environment/42'])).toBe('balcao://environment/42');
    expect(findDeepLink(['/opt/Balcao/balcao', 'https://example.com'])).toBeNull();
  });
});
