import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per server instance, so two instances in one process (tests) do not collide. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'balcao_' });
  return {
    registry,
    requests: new Histogram({
      name: 'balcao_http_request_duration_seconds',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    pulled: new Counter({ name: 'balcao_documents_pulled_total', help: 'Documents served to devices', labelNames: ['collection'], registers: [registry] }),
    pushed: new Counter({ name: 'balcao_documents_written_total', help: 'Documents written (deletions included) by devices and the integration API', labelNames: ['collection'], registers: [registry] }),
    conflicts: new Counter({ name: 'balcao_push_conflicts_total', help: 'Pushed rows answered with a conflict', labelNames: ['collection'], registers: [registry] }),
    quarantined: new Counter({ name: 'balcao_documents_quarantined_total', help: 'Documents kept in quarantine', labelNames: ['collection', 'reason'], registers: [registry] }),
    streams: new Gauge({ name: 'balcao_streams_connected', help: 'Open device change streams', registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
