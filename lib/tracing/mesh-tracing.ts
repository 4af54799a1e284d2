import { Construct } from 'constructs';
import { ServiceEntry, ServiceEntrySpecLocation, ServiceEntrySpecResolution } from '../../imports/istio-networking.istio.io';
import { Telemetry } from '../../imports/istio-telemetry.istio.io';
import { IstioSpecValuesMeshConfig } from '../../imports/sail-istio-sailoperator.io';
import { IEndpoint } from '../core/endpoint';
import { assertDnsLabel } from '../core/names';
import { ServiceEndpoint } from '../core/service-endpoint';
import { IstioVersion } from '../istio/istio-version';
import { ITracingBackend } from './tracing-backend';

/** What a control plane tells its tracing setup when it binds it. */
export interface MeshTracingBindOptions {
  /** The Istio release installed: decides which tracing form that release supports best. */
  readonly istioVersion: IstioVersion;
  /** Istio's root namespace, where mesh-wide resources such as `Telemetry` live. */
  readonly rootNamespace: string;
}

/** What a tracing setup contributes to the control plane. */
export interface MeshTracingConfig {
  /** Fragment merged into the control plane's `meshConfig`. */
  readonly meshConfig: IstioSpecValuesMeshConfig;
  /**
   * What the fragment is, in conflict messages of the control plane's meshConfig.
   * @default 'tracing'
   */
  readonly description?: string;
}

/** Which of Istio's two ways to configure proxy tracing is emitted. */
export enum TracingMode {
  /**
   * A Zipkin entry in `meshConfig.extensionProviders` plus a mesh-wide `Telemetry`
   * (telemetry.istio.io/v1) in the root namespace that selects it and sets the sampling. Istio's
   * documented way since the Telemetry API; needs Istio 1.22 or newer, the first release that
   * serves telemetry.istio.io/v1. Istio honours one selector-less Telemetry per namespace, so
   * other mesh-wide telemetry settings (metrics, access logs) belong in this `mesh-default`.
   */
  TELEMETRY_API = 'TELEMETRY_API',
  /**
   * The legacy form: `meshConfig.enableTracing` with `meshConfig.defaultConfig.tracing.sampling`
   * and `.zipkin.address`. Still read by current Istio, but superseded by the Telemetry API; the
   * only form for releases older than 1.22 here.
   */
  MESH_CONFIG = 'MESH_CONFIG',
}

/** Options of {@link MeshTracing.zipkin}. */
export interface ZipkinMeshTracingOptions {
  /**
   * Percentage of requests traced when the caller made no sampling decision, from 0 to 100
   * (1 means 1%, the unit of both `randomSamplingPercentage` and the legacy `sampling`).
   * @minimum 0
   * @maximum 100
   * @default 1
   */
  readonly samplingPercent?: number;
  /**
   * How the proxies are configured.
   * @default - TracingMode.TELEMETRY_API for Istio 1.22 and newer, TracingMode.MESH_CONFIG before.
   * Istio documents the Telemetry API as the way to configure tracing and keeps
   * `defaultConfig.tracing` only for compatibility; 1.22 is the first release serving the
   * Telemetry API as telemetry.istio.io/v1 (promoted from v1alpha1, which older releases served
   * as an alpha API), so older releases get the form they support without an alpha API.
   */
  readonly mode?: TracingMode;
  /**
   * Name of the `meshConfig.extensionProviders` entry the `Telemetry` selects (TELEMETRY_API
   * only); a DNS-1123 label.
   * @default 'zipkin'
   */
  readonly providerName?: string;
}

/** Options of {@link MeshTracing.openTelemetry}. */
export interface OpenTelemetryMeshTracingOptions {
  /**
   * Percentage of requests traced when the caller made no sampling decision, from 0 to 100
   * (1 means 1%, the unit of the Telemetry's `randomSamplingPercentage`).
   * @minimum 0
   * @maximum 100
   * @default 1
   */
  readonly samplingPercent?: number;
  /**
   * Name of the `meshConfig.extensionProviders` entry the `Telemetry` selects; a DNS-1123 label.
   * @default 'otel'
   */
  readonly providerName?: string;
}

/**
 * How the mesh's proxies report spans, one of two protocols: {@link MeshTracing.zipkin} (Zipkin
 * JSON over HTTP, 9411) or {@link MeshTracing.openTelemetry} (OTLP over gRPC, 4317, Istio's
 * documented path today). The control plane calls {@link bind} once, merges the
 * returned meshConfig fragment into its own, and lets the tracing setup add any objects it needs
 * (a mesh-wide `Telemetry`, for example) under `scope`.
 */
export abstract class MeshTracing {
  /**
   * Proxies send spans in Zipkin format to `backend.zipkinEndpoint` (Jaeger v1 and v2 both receive
   * Zipkin on 9411).
   * @throws if `samplingPercent` is not within 0..100 or `providerName` is not a DNS-1123 label
   */
  public static zipkin(backend: ITracingBackend, options: ZipkinMeshTracingOptions = {}): MeshTracing {
    return new ZipkinMeshTracing(backend, options);
  }

  /**
   * Proxies send spans over OTLP/gRPC to `backend.otlpGrpcEndpoint` through Istio's
   * `opentelemetry` extension provider, selected by a mesh-wide `Telemetry` (Istio 1.22 or newer).
   * @throws if the backend receives no OTLP, `samplingPercent` is not within 0..100 or
   * `providerName` is not a DNS-1123 label
   */
  public static openTelemetry(backend: ITracingBackend, options: OpenTelemetryMeshTracingOptions = {}): MeshTracing {
    return new OpenTelemetryMeshTracing(backend, options);
  }

  /** Called by the control plane; not meant for users. */
  public abstract bind(scope: Construct, options: MeshTracingBindOptions): MeshTracingConfig;
}

/** Istio serves telemetry.istio.io/v1 and networking.istio.io/v1 from this release on. */
const V1_APIS_SINCE = { major: 1, minor: 22 };

function assertSamplingPercent(samplingPercent: number): void {
  if (!Number.isFinite(samplingPercent) || samplingPercent < 0 || samplingPercent > 100) {
    throw new Error(`samplingPercent must be between 0 and 100 (a percentage: 1 means 1%), got ${samplingPercent}`);
  }
}

function assertTelemetryApi(istioVersion: IstioVersion, what: string, fix: string): void {
  if (!istioVersion.isAtLeast(V1_APIS_SINCE.major, V1_APIS_SINCE.minor)) {
    throw new Error(`${what} needs Istio ${V1_APIS_SINCE.major}.${V1_APIS_SINCE.minor} or newer (the first release serving telemetry.istio.io/v1), got ${istioVersion}; ${fix}`);
  }
}

/** The mesh-wide Telemetry that turns tracing on with one provider. */
function addMeshTelemetry(scope: Construct, rootNamespace: string, providerName: string, samplingPercent: number): void {
  new Telemetry(scope, 'TracingTelemetry', {
    metadata: { name: 'mesh-default', namespace: rootNamespace },
    spec: {
      tracing: [{
        providers: [{ name: providerName }],
        randomSamplingPercentage: samplingPercent,
      }],
    },
  });
}

/**
 * istiod resolves an extension provider's service in its registry and drops the provider when the
 * host is unknown, so a backend outside the cluster needs a ServiceEntry.
 */
function addExternalServiceEntry(scope: Construct, endpoint: IEndpoint, rootNamespace: string, providerName: string, port: { name: string; protocol: string }): void {
  new ServiceEntry(scope, 'TracingServiceEntry', {
    metadata: { name: `${providerName}-tracing-backend`, namespace: rootNamespace },
    spec: {
      hosts: [endpoint.host],
      location: ServiceEntrySpecLocation.MESH_UNDERSCORE_EXTERNAL,
      resolution: ServiceEntrySpecResolution.DNS,
      ports: [{ number: endpoint.port, name: port.name, protocol: port.protocol }],
    },
  });
}

/** The provider's `service`: the fully qualified name of a Service, or a ServiceEntry host. */
function providerService(endpoint: IEndpoint): string {
  return endpoint instanceof ServiceEndpoint ? endpoint.fqdn : endpoint.host;
}

class OpenTelemetryMeshTracing extends MeshTracing {
  private readonly samplingPercent: number;
  private readonly providerName: string;
  private readonly otlp: IEndpoint;

  constructor(backend: ITracingBackend, options: OpenTelemetryMeshTracingOptions) {
    super();
    if (backend.otlpGrpcEndpoint === undefined) {
      throw new Error(`the tracing backend (${backend.provider}, Zipkin at ${backend.zipkinEndpoint.address}) receives no OTLP: use MeshTracing.zipkin for it, or a Jaeger v2, which receives OTLP on 4317`);
    }
    this.otlp = backend.otlpGrpcEndpoint;
    this.samplingPercent = options.samplingPercent ?? 1;
    assertSamplingPercent(this.samplingPercent);
    this.providerName = options.providerName ?? 'otel';
    assertDnsLabel('providerName', this.providerName);
  }

  public bind(scope: Construct, options: MeshTracingBindOptions): MeshTracingConfig {
    // The legacy meshConfig form has no OTLP tracer: the Telemetry API is the only way.
    assertTelemetryApi(options.istioVersion, 'OpenTelemetry tracing (MeshTracing.openTelemetry)', 'use MeshTracing.zipkin for older releases');
    if (!(this.otlp instanceof ServiceEndpoint)) {
      addExternalServiceEntry(scope, this.otlp, options.rootNamespace, this.providerName, { name: 'grpc-otlp', protocol: 'GRPC' });
    }
    addMeshTelemetry(scope, options.rootNamespace, this.providerName, this.samplingPercent);
    return {
      description: "the library's OpenTelemetry tracer (tracing, protocol otlp)",
      meshConfig: {
        enableTracing: true,
        defaultConfig: { tracing: {} },
        // Without `http`, Istio's opentelemetry provider exports over gRPC.
        extensionProviders: [{ name: this.providerName, opentelemetry: { service: providerService(this.otlp), port: this.otlp.port } }],
      },
    };
  }
}

class ZipkinMeshTracing extends MeshTracing {
  private readonly samplingPercent: number;
  private readonly providerName: string;

  constructor(private readonly backend: ITracingBackend, private readonly options: ZipkinMeshTracingOptions) {
    super();
    this.samplingPercent = options.samplingPercent ?? 1;
    assertSamplingPercent(this.samplingPercent);
    this.providerName = options.providerName ?? 'zipkin';
    assertDnsLabel('providerName', this.providerName);
  }

  public bind(scope: Construct, options: MeshTracingBindOptions): MeshTracingConfig {
    const hasV1Apis = options.istioVersion.isAtLeast(V1_APIS_SINCE.major, V1_APIS_SINCE.minor);
    const mode = this.options.mode ?? (hasV1Apis ? TracingMode.TELEMETRY_API : TracingMode.MESH_CONFIG);
    if (mode === TracingMode.MESH_CONFIG) {
      return this.bindMeshConfig();
    }
    assertTelemetryApi(options.istioVersion, 'TracingMode.TELEMETRY_API', 'use TracingMode.MESH_CONFIG for older releases');
    return this.bindTelemetryApi(scope, options.rootNamespace);
  }

  private bindMeshConfig(): MeshTracingConfig {
    return {
      description: "the library's Zipkin tracer (tracing, mode MESH_CONFIG)",
      meshConfig: {
        enableTracing: true,
        defaultConfig: {
          tracing: {
            sampling: this.samplingPercent,
            zipkin: { address: this.backend.zipkinEndpoint.address },
          },
        },
      },
    };
  }

  private bindTelemetryApi(scope: Construct, rootNamespace: string): MeshTracingConfig {
    const zipkin = this.backend.zipkinEndpoint;
    if (!(zipkin instanceof ServiceEndpoint)) {
      addExternalServiceEntry(scope, zipkin, rootNamespace, this.providerName, { name: 'http-zipkin', protocol: 'HTTP' });
    }
    addMeshTelemetry(scope, rootNamespace, this.providerName, this.samplingPercent);
    return {
      description: "the library's Zipkin tracer (tracing, mode TELEMETRY_API)",
      meshConfig: {
        enableTracing: true,
        // Istio's tracing task clears the legacy per-proxy tracer so the Telemetry's provider is
        // the only one configured.
        defaultConfig: { tracing: {} },
        extensionProviders: [{
          name: this.providerName,
          zipkin: { service: providerService(zipkin), port: zipkin.port },
        }],
      },
    };
  }
}
