/**
 * The outside system (an ERP) of the price change bench, in a thread of its own: it sends its batches
 * to `POST /api/v1/products/batch` one after the other, as an ERP's own process would, so its requests
 * do not wait for the station page's main thread (busy storing the changes it pulls). Times are
 * absolute (`performance.timeOrigin + performance.now()`, ms), comparable with the page's.
 */
export interface ErpJob {
  serverUrl: string;
  adminToken: string;
  /** The batches, each at most the API's batch size. */
  batches: { sku: string; priceCents: number }[][];
}

export type ErpReport = { startedAt: number; serverMs: number; error?: undefined } | { error: string };

const now = () => performance.timeOrigin + performance.now();

self.onmessage = async (event: MessageEvent<ErpJob>) => {
  const { serverUrl, adminToken, batches } = event.data;
  const startedAt = now();
  let serverMs = 0;
  try {
    for (const items of batches) {
      const sent = now();
      const response = await fetch(`${serverUrl}/api/v1/products/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ items }),
      });
      if (!response.ok) throw new Error(`POST /api/v1/products/batch answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
      serverMs += now() - sent;
    }
    self.postMessage({ startedAt, serverMs } satisfies ErpReport);
  } catch (error) {
    self.postMessage({ error: String(error) } satisfies ErpReport);
  }
};
