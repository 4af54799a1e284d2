import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { defined } from '../core/defined';
import { MeshService } from '../scoping/mesh-service';
import { DestinationRule, VirtualService } from '../../imports/istio-networking.istio.io';

/** What makes Envoy retry a request (Envoy's `retry_on` conditions). */
export enum RetryCondition {
  /** The upstream answered 5xx or did not answer (includes connect-failure and refused-stream). */
  SERVER_ERROR = '5xx',
  /** 502, 503 or 504. */
  GATEWAY_ERROR = 'gateway-error',
  /** The connection failed, was reset or timed out before a response. */
  RESET = 'reset',
  /** No connection to the upstream could be made. */
  CONNECT_FAILURE = 'connect-failure',
  /** The upstream refused the HTTP/2 stream (REFUSED_STREAM): nothing was processed. */
  REFUSED_STREAM = 'refused-stream',
  /** The upstream answered 409 Conflict. */
  RETRIABLE_4XX = 'retriable-4xx',
  /** gRPC status UNAVAILABLE. */
  GRPC_UNAVAILABLE = 'unavailable',
  /** gRPC status CANCELLED. */
  GRPC_CANCELLED = 'cancelled',
  /** gRPC status DEADLINE_EXCEEDED. */
  GRPC_DEADLINE_EXCEEDED = 'deadline-exceeded',
  /** gRPC status RESOURCE_EXHAUSTED. */
  GRPC_RESOURCE_EXHAUSTED = 'resource-exhausted',
}

/** How callers retry requests to the service. */
export interface ServiceRetries {
  /** Tries after the first one; 0 turns Istio's default retries off. */
  readonly attempts: number;
  /** Time each try may take. @default - the request timeout, if any */
  readonly perTryTimeout?: Duration;
  /**
   * When to retry. Retrying on server errors resends requests that may have been processed: only
   * for idempotent APIs.
   * @default - Istio's: connect-failure, refused-stream, unavailable, cancelled and retriable status codes
   */
  readonly retryOn?: RetryCondition[];
}

/** How callers take endpoints of the service out of load balancing when they fail. */
export interface ServiceOutlierDetection {
  /** Consecutive 5xx answers (or connection failures) that eject an endpoint. @default 5 */
  readonly consecutive5xxErrors?: number;
  /** How often endpoints are checked. @default Duration.seconds(10) */
  readonly interval?: Duration;
  /** How long an endpoint stays out the first time; longer each time after. @default Duration.seconds(30) */
  readonly baseEjectionTime?: Duration;
  /** Most endpoints, in percent, out at once (Envoy ejects one anyway). @default 10 */
  readonly maxEjectionPercent?: number;
}

/** Limits of the connections callers keep to the service (a circuit breaker). */
export interface ServiceConnectionPool {
  /** Connections each caller's proxy opens to the service at most (HTTP/1.1 and TCP). @default - Envoy's (2^32-1) */
  readonly maxConnections?: number;
  /** Requests waiting for a connection, at most, before callers get 503. @default - Envoy's (2^32-1) */
  readonly maxPendingRequests?: number;
  /** Requests in flight to the service at most (HTTP/2). @default - Envoy's (2^32-1) */
  readonly maxRequests?: number;
  /** Requests on one connection before it is closed; 1 turns keep-alive off. @default - unlimited */
  readonly maxRequestsPerConnection?: number;
  /** A connection without requests for this long is closed. @default Duration.hours(1), Envoy's */
  readonly idleTimeout?: Duration;
}

/** Props of a {@link ServiceTrafficPolicy}. */
export interface ServiceTrafficPolicyProps {
  /** The service whose callers the policy tells how to call it. */
  readonly service: MeshService;
  /** Time to open a TCP connection to the service. @default Duration.seconds(10), Istio's */
  readonly connectTimeout?: Duration;
  /** Time a whole request may take, retries included, before the caller gets 504. @default - none, as Istio */
  readonly requestTimeout?: Duration;
  /** How callers retry. @default - Istio's: 2 attempts on connection failures and refused streams */
  readonly retries?: ServiceRetries;
  /** Ejection of failing endpoints. @default - none */
  readonly outlierDetection?: ServiceOutlierDetection;
  /** Connection limits. @default - Envoy's, effectively none */
  readonly connectionPool?: ServiceConnectionPool;
}

/**
 * How the mesh calls one service, as typed props: a `DestinationRule` for the service's host
 * (connect timeout, connection limits, outlier detection) and, when a request timeout or retries
 * are asked for, a mesh `VirtualService` for the host (those are route settings in Istio), both
 * in the service's namespace, which callers scoped to the service import with it.
 *
 * The DestinationRule sets no `tls`: Istio's automatic mutual TLS keeps working (a `tls` of
 * `DISABLE` here would send plain text to a STRICT service).
 */
export class ServiceTrafficPolicy extends Construct {
  /** The generated DestinationRule. */
  public readonly resource: ApiObject;
  /** The mesh VirtualService with the request timeout and retries, if any. */
  public readonly routes?: ApiObject;

  /** @throws without any setting, if a count, percentage or duration is out of range, or a try may take longer than the request */
  constructor(scope: Construct, id: string, props: ServiceTrafficPolicyProps) {
    super(scope, id);
    const { service } = props;
    const { service: _service, ...settings } = props;
    if (Object.values(settings).every((value) => value === undefined)) {
      throw new Error(`the traffic policy of service ${service.namespaceName}/${service.name} sets nothing: give it connectTimeout, requestTimeout, retries, outlierDetection or connectionPool, or leave it out`);
    }
    const connectTimeout = props.connectTimeout && istioDuration('connectTimeout', props.connectTimeout);
    const pool = props.connectionPool ?? {};
    const outlier = props.outlierDetection;

    this.resource = new DestinationRule(this, 'Resource', {
      metadata: { name: service.name, namespace: service.namespaceName },
      spec: {
        host: service.fqdn,
        trafficPolicy: defined({
          connectionPool: connectTimeout !== undefined || Object.keys(pool).length > 0 ? defined({
            tcp: connectTimeout !== undefined || pool.maxConnections !== undefined
              ? defined({ connectTimeout, maxConnections: count('connectionPool.maxConnections', pool.maxConnections) })
              : undefined,
            http: pool.maxPendingRequests !== undefined || pool.maxRequests !== undefined || pool.maxRequestsPerConnection !== undefined || pool.idleTimeout !== undefined
              ? defined({
                http1MaxPendingRequests: count('connectionPool.maxPendingRequests', pool.maxPendingRequests),
                http2MaxRequests: count('connectionPool.maxRequests', pool.maxRequests),
                maxRequestsPerConnection: count('connectionPool.maxRequestsPerConnection', pool.maxRequestsPerConnection),
                idleTimeout: pool.idleTimeout && istioDuration('connectionPool.idleTimeout', pool.idleTimeout),
              })
              : undefined,
          }) : undefined,
          outlierDetection: outlier && {
            consecutive5XxErrors: count('outlierDetection.consecutive5xxErrors', outlier.consecutive5xxErrors ?? 5),
            interval: istioDuration('outlierDetection.interval', outlier.interval ?? Duration.seconds(10)),
            baseEjectionTime: istioDuration('outlierDetection.baseEjectionTime', outlier.baseEjectionTime ?? Duration.seconds(30)),
            maxEjectionPercent: percent('outlierDetection.maxEjectionPercent', outlier.maxEjectionPercent ?? 10),
          },
        }),
      },
    });

    if (props.requestTimeout !== undefined || props.retries !== undefined) {
      this.routes = new VirtualService(this, 'Routes', {
        metadata: { name: service.name, namespace: service.namespaceName },
        spec: {
          hosts: [service.fqdn],
          http: [defined({
            route: [{ destination: { host: service.fqdn } }],
            timeout: props.requestTimeout && istioDuration('requestTimeout', props.requestTimeout),
            retries: props.retries && retries(props.retries, props.requestTimeout),
          })],
        },
      });
    }
  }
}

function retries(given: ServiceRetries, requestTimeout: Duration | undefined): Record<string, unknown> {
  if (!Number.isInteger(given.attempts) || given.attempts < 0) {
    throw new Error(`retries.attempts must be a whole number, 0 or more, got ${given.attempts}`);
  }
  if (given.perTryTimeout !== undefined && requestTimeout !== undefined
    && given.perTryTimeout.toMilliseconds({ integral: false }) > requestTimeout.toMilliseconds({ integral: false })) {
    throw new Error(`retries.perTryTimeout (${given.perTryTimeout.toHumanString()}) is longer than requestTimeout (${requestTimeout.toHumanString()}), `
      + 'which ends the request, retries included: shorten perTryTimeout or lengthen requestTimeout');
  }
  if (given.retryOn !== undefined && given.retryOn.length === 0) {
    throw new Error('retries.retryOn must name at least one condition, or be left out for Istio\'s; attempts: 0 turns retries off');
  }
  return defined({
    attempts: given.attempts,
    perTryTimeout: given.perTryTimeout && istioDuration('retries.perTryTimeout', given.perTryTimeout),
    retryOn: given.retryOn && [...new Set(given.retryOn)].join(','),
  });
}

/**
 * A duration as Istio reads it everywhere: seconds with up to three decimals (`0.25s`, `10s`),
 * which protobuf's JSON form, Go's time.ParseDuration and the CRDs' CEL duration() all accept.
 * @throws if it is below the CRDs' 1ms minimum
 */
function istioDuration(field: string, duration: Duration): string {
  const millis = duration.toMilliseconds({ integral: false });
  if (!Number.isInteger(millis) || millis < 1) {
    throw new Error(`${field} must be a whole number of milliseconds, at least 1ms, got ${millis}ms`);
  }
  return `${millis / 1000}s`;
}

function count(field: string, value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 2_147_483_647)) {
    throw new Error(`${field} must be a whole number from 1 to 2147483647, got ${value}`);
  }
  return value;
}

function percent(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 100) {
    throw new Error(`${field} must be a whole percentage from 0 to 100, got ${value}`);
  }
  return value;
}
