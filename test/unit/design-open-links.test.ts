import { describe, expect, it } from 'vitest';
import { designLinkTarget } from '../../renderer/core/design/open-links.ts';
import { openLinkFromHash } from '../../renderer/bridge/web-bridge.ts';
import { deepLinkForPage } from '../../electron/deep-link.ts';

describe('links that open a design screen', () => {
  it('DES-06 a negotiate link opens the environment, or the review once converted', () => {
    expect(designLinkTarget('balcao://design/environments/env-1')).toEqual({ kind: 'environment', environmentId: 'env-1' });
    expect(designLinkTarget('balcao://design/environments/env%20com%20espa%C3%A7o')).toEqual({ kind: 'environment', environmentId: 'env com espaço' });
    expect(designLinkTarget('balcao://design/projects/prj-9/review')).toEqual({ kind: 'review', projectId: 'prj-9' });
  });

  it('DES-06 anything else is ignored rather than guessed at', () => {
    for (const link of ['balcao://design/projects/prj-9', 'balcao://other/environments/env-1', 'https://design/environments/env-1', 'balcao://design/environments/', 'not a link']) {
      expect(designLinkTarget(link), link).toBeNull();
    }
  });

  it('DES-06 the browser host reads the link from #open=…, Electron forwards only balcao://design links', () => {
    expect(openLinkFromHash(`#open=${encodeURIComponent('balcao://design/environments/env-1')}`)).toBe('balcao://design/environments/env-1');
    expect(openLinkFromHash('#open=https%3A%2F%2Fevil.example')).toBeNull();
    expect(openLinkFromHash('')).toBeNull();
    expect(deepLinkForPage('balcao://design/projects/p/review')).toBe('balcao://design/projects/p/review');
    expect(deepLinkForPage('balcao://settings/reset')).toBeNull();
    expect(deepLinkForPage(`balcao://design/${'x'.repeat(3000)}`)).toBeNull();
    expect(deepLinkForPage(null)).toBeNull();
  });
});
