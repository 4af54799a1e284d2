import { IEndpoint } from '../core/endpoint';

/** Tracing products, in the spelling of Kiali's `external_services.tracing.provider`. */
export enum TracingProvider {
  JAEGER = 'jaeger',
  TEMPO = 'tempo',
}

/**
 * What the mesh and Kiali need from a tracing backend. Implemented by the Jaeger operator CR
 * ({@link Jaeger}), the Jaeger v2 deployment ({@link JaegerV2}) and backends outside the app
 * ({@link ExternalTracing}); consumers never type its hosts or ports.
 */
export interface ITracingBackend {
  /** Product, for Kiali's `tracing.provider`. */
  readonly provider: TracingProvider;
  /**
   * Where Envoy sends spans in Zipkin format (port 9411 for Jaeger), as plain HTTP to
   * `/api/v2/spans`.
   */
  readonly zipkinEndpoint: IEndpoint;
  /**
   * Where Envoy sends spans over OTLP/gRPC (Jaeger v2: port 4317), for
   * `MeshTracing.openTelemetry`; undefined when the backend receives no OTLP.
   */
  readonly otlpGrpcEndpoint?: IEndpoint;
  /** HTTP query API and UI (Jaeger: port 16686), for Kiali's `tracing.internal_url` without gRPC. */
  readonly queryEndpoint: IEndpoint;
  /**
   * Path prefix of the query API on `queryEndpoint`, e.g. '/jaeger'; '' for none. The query API's
   * base URL is `queryEndpoint.url(queryBasePath)` (an endpoint given by URL already carries the
   * URL's own path, so its backend reports '').
   */
  readonly queryBasePath: string;
  /** gRPC query API (Jaeger: port 16685), when the backend offers one; Kiali prefers it. */
  readonly grpcQueryEndpoint?: IEndpoint;
  /** URL users open in a browser, for Kiali's `tracing.external_url`, when known. */
  readonly externalUrl?: string;
}
