import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOpenCart, saveOpenCart } from '../../renderer/ui/pos/open-cart.ts';
// The browser's localStorage, the one edge faked here (the e2e pos-screens test uses the real one).
import { MemoryStorage } from './support/memory-storage.ts';

describe('the open cart of the sale screen', () => {
  let storage: MemoryStorage;
  beforeEach(() => {
    storage = new MemoryStorage();
    (globalThis as { window?: unknown }).window = { localStorage: storage };
  });
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it('POS-09 a cart being rung up comes back whole after a reload', () => {
    saveOpenCart({ lines: [{ productId: 'p-00001', quantity: 3 }, { productId: 'p-00002', quantity: 1, manualDiscountCents: 50 }], sellerId: 'v01', taxId: '529.982.247-25' });
    expect(loadOpenCart()).toEqual({ lines: [{ productId: 'p-00001', quantity: 3 }, { productId: 'p-00002', quantity: 1, manualDiscountCents: 50 }], sellerId: 'v01', taxId: '529.982.247-25' });
  });

  it('POS-09 a recorded or emptied cart leaves nothing behind to sell twice', () => {
    saveOpenCart({ lines: [{ productId: 'p-00001', quantity: 1 }], sellerId: 'v01', taxId: '' });
    saveOpenCart(null);
    expect(storage.map.size).toBe(0);
    saveOpenCart({ lines: [{ productId: 'p-00001', quantity: 1 }], sellerId: 'v01', taxId: '' });
    saveOpenCart({ lines: [], sellerId: 'v01', taxId: '' });
    expect(loadOpenCart()).toBeNull();
  });

  it('POS-09 damaged or foreign data is ignored instead of breaking the sale screen', () => {
    for (const raw of ['{not json', '[]', '{"lines":[{"productId":"p-1","quantity":0}]}', '{"lines":[{"productId":5,"quantity":1}]}', '{"lines":"x"}']) {
      storage.map.set('balcao.pos.open-cart', raw);
      expect(loadOpenCart()).toBeNull();
    }
    storage.map.set('balcao.pos.open-cart', '{"lines":[{"productId":"p-1","quantity":2}],"sellerId":7}');
    expect(loadOpenCart()).toEqual({ lines: [{ productId: 'p-1', quantity: 2 }], sellerId: '', taxId: '' });
  });
});
