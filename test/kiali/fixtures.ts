import { GrafanaCredentials, IGrafanaBackend, IPrometheusBackend, ITracingBackend, Scheme, ServiceEndpoint, TracingProvider } from '../../lib';

/** Small stand-ins for the Prometheus, Grafana and Jaeger constructs, built from ServiceEndpoint. */
export function backends() {
  const prometheus: IPrometheusBackend = {
    queryEndpoint: new ServiceEndpoint({ serviceName: 'prometheus-operated', namespace: 'monitoring', port: 9090 }),
    namespace: 'monitoring',
  };
  const grafana: IGrafanaBackend = {
    internalEndpoint: new ServiceEndpoint({ serviceName: 'grafana-service', namespace: 'monitoring', port: 3000 }),
    externalUrl: 'https://grafana.example.com',
    apiCredentials: GrafanaCredentials.bearerToken({ secretName: 'kiali-grafana' }),
    instanceSelectorLabels: { dashboards: 'grafana' },
    namespace: 'monitoring',
  };
  const jaeger: ITracingBackend = {
    provider: TracingProvider.JAEGER,
    zipkinEndpoint: new ServiceEndpoint({ serviceName: 'jaeger-collector', namespace: 'observability', port: 9411 }),
    queryEndpoint: new ServiceEndpoint({ serviceName: 'jaeger-query', namespace: 'observability', port: 16686 }),
    queryBasePath: '/jaeger',
    grpcQueryEndpoint: new ServiceEndpoint({ serviceName: 'jaeger-query', namespace: 'observability', port: 16685, scheme: Scheme.GRPC }),
    externalUrl: 'https://tracing.example.com/jaeger',
  };
  return { prometheus, grafana, jaeger };
}
