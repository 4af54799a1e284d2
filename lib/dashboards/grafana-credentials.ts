/** How an API client authenticates to Grafana (Kiali's `external_services.grafana.auth.type`). */
export enum GrafanaAuthType {
  /** No credentials: only for a Grafana that lets anonymous viewers read dashboards. */
  NONE = 'none',
  /** A bearer token, such as the token of a Grafana service account with the Viewer role. */
  BEARER = 'bearer',
  /** A Grafana user's name and password. */
  BASIC = 'basic',
}

/** Props of {@link GrafanaCredentials.bearerToken}. */
export interface GrafanaBearerTokenProps {
  /**
   * Secret holding the token, in the namespace of the client that reads Grafana's API (Kiali's
   * namespace): a pod mounts Secrets of its own namespace only.
   */
  readonly secretName: string;
  /** Key of the token in that Secret. @default 'token' */
  readonly key?: string;
}

/** Props of {@link GrafanaCredentials.basicAuth}. */
export interface GrafanaBasicAuthProps {
  /** Secret holding the user name and password, in the namespace of the client (Kiali's namespace). */
  readonly secretName: string;
  /** Key of the user name in that Secret. @default 'username' */
  readonly usernameKey?: string;
  /** Key of the password in that Secret. @default 'password' */
  readonly passwordKey?: string;
}

/** One credential a client reads from a key of a Secret. */
export interface GrafanaSecretKey {
  /** What the value is: Kiali's `auth` field it fills. */
  readonly field: 'token' | 'username' | 'password';
  readonly secretName: string;
  readonly key: string;
}

/**
 * How clients such as Kiali authenticate to a Grafana's HTTP API: always a reference to a key of a
 * Secret created outside the app (Sealed Secrets, External Secrets, by hand), never a value, so no
 * credential is committed; or explicitly none, for a Grafana open to anonymous viewers.
 */
export class GrafanaCredentials {
  /** A bearer token (a Grafana service account token with the Viewer role is enough for Kiali). */
  public static bearerToken(props: GrafanaBearerTokenProps): GrafanaCredentials {
    assertSecretName(props.secretName);
    return new GrafanaCredentials(GrafanaAuthType.BEARER, [{ field: 'token', secretName: props.secretName, key: secretKey('key', props.key ?? 'token') }]);
  }

  /** A Grafana user's name and password. */
  public static basicAuth(props: GrafanaBasicAuthProps): GrafanaCredentials {
    assertSecretName(props.secretName);
    const usernameKey = secretKey('usernameKey', props.usernameKey ?? 'username');
    const passwordKey = secretKey('passwordKey', props.passwordKey ?? 'password');
    if (usernameKey === passwordKey) {
      throw new Error(`usernameKey and passwordKey must be different keys of Secret ${props.secretName}, got '${usernameKey}' for both`);
    }
    return new GrafanaCredentials(GrafanaAuthType.BASIC, [
      { field: 'username', secretName: props.secretName, key: usernameKey },
      { field: 'password', secretName: props.secretName, key: passwordKey },
    ]);
  }

  /** No credentials, for a Grafana with anonymous access (`auth.anonymous` enabled) whose viewers may read dashboards. */
  public static anonymous(): GrafanaCredentials {
    return new GrafanaCredentials(GrafanaAuthType.NONE, []);
  }

  private constructor(
    /** Kiali's `auth.type`. */
    public readonly type: GrafanaAuthType,
    /** The Secret keys the client reads, none for {@link anonymous}. */
    public readonly secretKeys: readonly GrafanaSecretKey[],
  ) {}
}

function assertSecretName(name: string): void {
  if (name.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) {
    throw new Error(`secretName must be a Kubernetes object name (lower case letters, digits, '-' and '.', at most 253 characters), got '${name}'`);
  }
}

function secretKey(field: string, key: string): string {
  // A Secret's data keys (the API server's rule); ':' would also break Kiali's `secret:<name>:<key>`.
  if (key.length > 253 || !/^[-._a-zA-Z0-9]+$/.test(key)) {
    throw new Error(`${field} must be a Secret key (letters, digits, '-', '_' and '.', at most 253 characters), got '${key}'`);
  }
  return key;
}
