/**
 * Something that answers on a host and port: an in-cluster Service port ({@link ServiceEndpoint})
 * or a system outside the app ({@link ExternalEndpoint}). Constructs that call another component
 * take its endpoint instead of a typed host name.
 */
export interface IEndpoint {
  /** Host name, e.g. `jaeger-collector.observability` or `tempo.example.com`. */
  readonly host: string;
  /** Port number. */
  readonly port: number;
  /** `<host>:<port>`. */
  readonly address: string;
  /** `<scheme>://<host>:<port><path>`. */
  url(path?: string): string;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'grpc:': 80 };

/** An endpoint outside the app, given by URL. */
export class ExternalEndpoint implements IEndpoint {
  /**
   * @param field the prop the URL came from, named in errors
   * @throws if `url` has no scheme (`http://`, `https://` or `grpc://`) or is not a URL
   */
  public static fromUrl(field: string, url: string): ExternalEndpoint {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
      throw new Error(`${field} must be an absolute URL with a scheme, such as http://tempo.example.com:3200, got '${url}'`);
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`${field} is not a valid URL: '${url}'`);
    }
    const defaultPort = DEFAULT_PORTS[parsed.protocol];
    if (defaultPort === undefined) {
      throw new Error(`${field} must use http, https or grpc, got '${parsed.protocol.replace(/:$/, '')}' in '${url}'`);
    }
    const path = parsed.pathname === '/' ? '' : parsed.pathname;
    return new ExternalEndpoint(parsed.protocol.replace(/:$/, ''), parsed.hostname, parsed.port ? Number(parsed.port) : defaultPort, path);
  }

  private constructor(
    public readonly scheme: string,
    public readonly host: string,
    public readonly port: number,
    /** Path given in the URL, without a trailing slash; '' for none. */
    public readonly basePath: string,
  ) {}

  public get address(): string {
    return `${this.host}:${this.port}`;
  }

  public url(path: string = ''): string {
    return `${this.scheme}://${this.address}${this.basePath}${path}`;
  }
}
