import { IEndpoint } from './endpoint';
import { assertDnsLabel } from './names';

/** URL scheme of a service endpoint. */
export enum Scheme {
  HTTP = 'http',
  HTTPS = 'https',
  GRPC = 'grpc',
}

/** Props of a {@link ServiceEndpoint}. */
export interface ServiceEndpointProps {
  /** Name of the Kubernetes Service. */
  readonly serviceName: string;
  /** Namespace of the Service. */
  readonly namespace: string;
  /** Service port. */
  readonly port: number;
  /** Scheme used in {@link ServiceEndpoint.url}. @default Scheme.HTTP */
  readonly scheme?: Scheme;
}

/**
 * A port of an in-cluster Service, as constructs hand it to each other: whoever creates (or has
 * an operator create) the Service builds the endpoint, and whoever calls it reads the address
 * from here, so no host name or port is ever typed twice.
 */
export class ServiceEndpoint implements IEndpoint {
  public readonly serviceName: string;
  public readonly namespace: string;
  public readonly port: number;
  public readonly scheme: Scheme;

  constructor(props: ServiceEndpointProps) {
    assertDnsLabel('serviceName', props.serviceName);
    assertDnsLabel('namespace', props.namespace);
    if (!Number.isInteger(props.port) || props.port < 1 || props.port > 65535) {
      throw new Error(`port of service ${props.serviceName} must be an integer from 1 to 65535, got ${props.port}`);
    }
    this.serviceName = props.serviceName;
    this.namespace = props.namespace;
    this.port = props.port;
    this.scheme = props.scheme ?? Scheme.HTTP;
  }

  /** `<service>.<namespace>`: resolvable from any namespace of the cluster. */
  public get host(): string {
    return `${this.serviceName}.${this.namespace}`;
  }

  /** `<service>.<namespace>.svc.cluster.local`, for configs that want a fully qualified name. */
  public get fqdn(): string {
    return `${this.serviceName}.${this.namespace}.svc.cluster.local`;
  }

  /** `<service>.<namespace>:<port>`. */
  public get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** `<scheme>://<service>.<namespace>:<port><path>`. */
  public url(path: string = ''): string {
    return `${this.scheme}://${this.address}${path}`;
  }
}
