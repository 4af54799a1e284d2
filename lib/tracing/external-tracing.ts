import { ExternalEndpoint } from '../core/endpoint';
import { ITracingBackend, TracingProvider } from './tracing-backend';

/** Props of an {@link ExternalTracing}. */
export interface ExternalTracingProps {
  /**
   * Where proxies send Zipkin spans: `http://<host>:<port>`, no path (Istio posts to
   * `/api/v2/spans`). Must be plain http: Envoy's Zipkin tracer does not originate TLS.
   */
  readonly zipkinUrl: string;
  /** HTTP query API, e.g. `http://jaeger-query.tracing.example.com:16686/jaeger`. */
  readonly queryUrl: string;
  /** gRPC query API, e.g. `grpc://jaeger-query.tracing.example.com:16685`. @default - none: Kiali uses the HTTP API */
  readonly grpcQueryUrl?: string;
  /** URL users open in a browser. @default - none */
  readonly externalUrl?: string;
  /** Product behind the URLs. @default TracingProvider.JAEGER */
  readonly provider?: TracingProvider;
}

/**
 * A tracing backend run outside this app (another cluster, a managed service), given by URLs.
 * Renders nothing itself; with the Telemetry API, {@link MeshTracing.zipkin} adds a ServiceEntry
 * for its Zipkin host.
 */
export class ExternalTracing implements ITracingBackend {
  public readonly provider: TracingProvider;
  public readonly zipkinEndpoint: ExternalEndpoint;
  public readonly queryEndpoint: ExternalEndpoint;
  /** '' because `queryEndpoint` carries the path of `queryUrl`. */
  public readonly queryBasePath = '';
  public readonly grpcQueryEndpoint?: ExternalEndpoint;
  public readonly externalUrl?: string;

  /** @throws if a URL has no scheme, or `zipkinUrl` is not plain http or has a path */
  constructor(props: ExternalTracingProps) {
    this.zipkinEndpoint = ExternalEndpoint.fromUrl('zipkinUrl', props.zipkinUrl);
    if (this.zipkinEndpoint.scheme !== 'http') {
      throw new Error(`zipkinUrl must use http:// (Istio's proxies send Zipkin spans over plain HTTP), got '${props.zipkinUrl}'`);
    }
    if (this.zipkinEndpoint.basePath !== '') {
      throw new Error(`zipkinUrl must not have a path (Istio posts spans to /api/v2/spans), got '${props.zipkinUrl}'; give only http://<host>:<port>`);
    }
    this.queryEndpoint = ExternalEndpoint.fromUrl('queryUrl', props.queryUrl);
    this.grpcQueryEndpoint = props.grpcQueryUrl === undefined ? undefined : ExternalEndpoint.fromUrl('grpcQueryUrl', props.grpcQueryUrl);
    if (props.externalUrl !== undefined) {
      // Validated like the others, but kept as typed: it is shown to people.
      ExternalEndpoint.fromUrl('externalUrl', props.externalUrl);
      this.externalUrl = props.externalUrl;
    }
    this.provider = props.provider ?? TracingProvider.JAEGER;
  }
}
