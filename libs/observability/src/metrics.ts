import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One Prometheus registry per process, labelled with the service name. */
export class Metrics {
  readonly registry = new Registry();
  readonly rpcDuration: Histogram<'subject' | 'outcome'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly events: Counter<'name'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.rpcDuration = new Histogram({
      name: 'mamori_rpc_duration_seconds',
      help: 'Time to handle a NATS request',
      labelNames: ['subject', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'mamori_http_request_duration_seconds',
      help: 'Time to answer an HTTP request',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.events = new Counter({
      name: 'mamori_events_total',
      help: 'Domain events by name (logins, codes sent, messages delivered, …)',
      labelNames: ['name'],
      registers: [this.registry],
    });
  }
}
