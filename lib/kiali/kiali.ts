import { createHash } from 'crypto';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as yaml from 'js-yaml';
import * as crd from '../../imports/kiali-kiali.io';
import { chosenNamespace } from '../core/chosen-namespace';
import { ExternalEndpoint, IEndpoint } from '../core/endpoint';
import { MeshNamespace } from '../core/mesh-namespace';
import { assertDnsLabel, assertImageReference, assertLabels } from '../core/names';
import { Scheme, ServiceEndpoint } from '../core/service-endpoint';
import { ClusterPlatform } from '../core/cluster-platform';
import { ImageMirror } from '../core/image-mirror';
import { IGrafanaLink } from '../dashboards/grafana-backend';
import { GrafanaCredentials, GrafanaSecretKey } from '../dashboards/grafana-credentials';
import { IstioVersion } from '../istio/istio-version';
import { IstioVersionSupport } from '../istio/version-support';
import { IPrometheusBackend } from '../metrics/prometheus-backend';
import { ITracingBackend, TracingProvider } from '../tracing/tracing-backend';
import { declareExistingBackends } from '../validation/existing-backends';
import { MeshWarningCode, MeshWarnings } from '../validation/mesh-warnings';
import { kialiViewerRules, kialiWriterRules } from './kiali-rbac';

/** How users log in to Kiali (Kiali's `auth.strategy`). */
export enum KialiAuthStrategy {
  /**
   * Users paste a Kubernetes token (e.g. `kubectl create token`); Kiali acts with that token's
   * RBAC permissions. The default.
   */
  TOKEN = 'token',
  /** OpenID Connect login against an identity provider the API server trusts; needs `openId`. */
  OPENID = 'openid',
  /** OpenShift OAuth login. Only with `KialiDeployment.OPERATOR_CR`: the operator creates the OAuthClient. */
  OPENSHIFT = 'openshift',
  /** A reverse proxy in front of Kiali injects the user's `Authorization` header. */
  HEADER = 'header',
  /**
   * No login at all: whoever reaches the Kiali Service sees the whole mesh and acts with Kiali's
   * own service account. Never expose such a Kiali outside the cluster; pair it with
   * `viewOnlyMode: true` unless every client of the Service is trusted.
   */
  ANONYMOUS = 'anonymous',
}

/** Which objects a {@link Kiali} renders. */
export enum KialiDeployment {
  /**
   * The Kiali server itself, like Istio's Kiali addon: ServiceAccount, ConfigMap `config.yaml`,
   * ClusterRole and binding, Service and Deployment. No operator needed.
   */
  ADDON = 'addon',
  /** One `kiali.io/v1alpha1` Kiali custom resource, for clusters that run the Kiali operator. */
  OPERATOR_CR = 'operator-cr',
}

/** OpenID Connect settings for {@link KialiAuthStrategy.OPENID}. */
export interface KialiOpenIdOptions {
  /** Issuer URL of the identity provider, e.g. `https://login.example.com/realms/mesh`. */
  readonly issuerUrl: string;
  /**
   * Client id registered at the identity provider. A confidential client's secret goes in key
   * `oidc-secret` of the Secret named like the Kiali instance (`kiali` by default), created outside
   * this library.
   */
  readonly clientId: string;
  /** Token claim that names the user. @default 'sub' */
  readonly usernameClaim?: string;
  /** Scopes requested at login. @default ['openid', 'profile', 'email'] */
  readonly scopes?: string[];
}

/** Compute resources of the Kiali container. */
export interface KialiResources {
  /** CPU request in millicores. @default 10 */
  readonly cpuRequestMillicores?: number;
  /** CPU limit in millicores. @default 1000 */
  readonly cpuLimitMillicores?: number;
  /** Memory request in mebibytes. @default 64 */
  readonly memoryRequestMebibytes?: number;
  /** Memory limit in mebibytes. @default 1024 */
  readonly memoryLimitMebibytes?: number;
}

/**
 * Where Istio's control plane runs: its namespace name, or any object with a `namespace` (such as
 * the control plane construct, whose `istioVersion` then also tells Kiali the release it shows).
 */
export type KialiIstioNamespace = string | { readonly namespace: string; readonly istioVersion?: IstioVersion };

/** Props of a {@link Kiali}. */
export interface KialiProps {
  /** The Prometheus Kiali queries for the mesh's metrics (`external_services.prometheus.url`). */
  readonly prometheus: IPrometheusBackend;
  /**
   * Grafana whose Istio dashboards Kiali links to. Needs the URL users open (`externalUrl`, or
   * {@link grafanaExternalUrl}) and API credentials (`apiCredentials`, or {@link grafanaCredentials}):
   * Kiali 2 links at the external URL and searches dashboards through the API.
   * @default - Grafana integration disabled
   */
  readonly grafana?: IGrafanaLink;
  /** Tracing backend Kiali reads traces from. @default - tracing integration disabled */
  readonly tracing?: ITracingBackend;
  /**
   * Istio's control plane namespace, the default for {@link namespace}. Kiali 2.11 and later find
   * the control plane themselves, so it is not written into Kiali's configuration (its
   * `istio_namespace` key is deprecated and ignored).
   * @default 'istio-system'
   */
  readonly istioNamespace?: KialiIstioNamespace;
  /**
   * The Istio release Kiali shows, checked against the releases Kiali is tested with (a warning
   * in the synth summary when it is not).
   * @default - `istioNamespace.istioVersion` when `istioNamespace` is the control plane; otherwise not checked
   */
  readonly istioVersion?: IstioVersion;
  /** Namespace Kiali runs in. @default - the Istio namespace */
  readonly namespace?: string;
  /**
   * Render the Namespace object of `namespace` (through a {@link MeshNamespace}: one object per
   * name in the app). Set false when the namespace exists already; the app's
   * {@link MeshValidation} then treats it as external.
   * @default - true when `namespace` is a namespace of Kiali's own; false for the Istio
   * namespace, which the control plane renders
   */
  readonly createNamespace?: boolean;
  /**
   * Name of the Kiali instance (`deployment.instance_name`), used for its Service, ConfigMap,
   * ServiceAccount and ClusterRole names.
   * @default 'kiali'
   */
  readonly name?: string;
  /** Render the server itself, or a Kiali CR for the Kiali operator. @default KialiDeployment.ADDON */
  readonly deployment?: KialiDeployment;
  /**
   * How users log in. Any strategy but ANONYMOUS makes Kiali act with each user's own
   * credentials, so Kiali's service account only needs read access.
   * @default KialiAuthStrategy.TOKEN
   */
  readonly authStrategy?: KialiAuthStrategy;
  /** OpenID Connect settings; required with `KialiAuthStrategy.OPENID`, refused otherwise. @default - none */
  readonly openId?: KialiOpenIdOptions;
  /**
   * Secret holding the 16, 24 or 32 character key Kiali signs and encrypts its session tokens
   * with, in key `key`: the layout of the `kiali-signing-key` Secret the Kiali operator creates,
   * so one Secret serves both renderings. Create it outside this library (Sealed Secrets, External
   * Secrets, `kubectl create secret generic kiali-signing-key --from-literal=key=...`) so no key is
   * committed: Kiali does not start without it when users log in. ADDON only; the operator
   * creates and manages its own.
   * @default 'kiali-signing-key'
   */
  readonly signingKeySecretName?: string;
  /**
   * Kiali shows the mesh but offers no action that changes it.
   *
   * Kiali's service account gets the rules of Kiali's read-only `kiali-viewer` ClusterRole when
   * this is true or when users log in (any strategy but ANONYMOUS, where Kiali writes with the
   * user's own token). Only an ANONYMOUS Kiali that is not view-only gets the `kiali` ClusterRole,
   * which may create, patch and delete Istio configuration and patch workloads.
   * @default false
   */
  readonly viewOnlyMode?: boolean;
  /**
   * Kiali server image; an image mirror (mesh.yaml `imageMirror`, TypeScript {@link ImageMirror})
   * applies to it. With OPERATOR_CR, a named image (or a mirror) needs the operator's
   * ALLOW_AD_HOC_KIALI_IMAGE=true.
   * @default - ADDON: `quay.io/kiali/kiali:v2.29.0`; OPERATOR_CR: the image of the operator's own
   * release (with a mirror: the mirror's copy of it)
   */
  readonly image?: string;
  /** Number of Kiali pods. @default 1 */
  readonly replicas?: number;
  /** Requests and limits of the Kiali container. @default - see {@link KialiResources} */
  readonly resources?: KialiResources;
  /** Path Kiali serves its UI and API under. @default '/kiali' */
  readonly webRoot?: string;
  /** Browser URL of Grafana, overriding `grafana.externalUrl`. @default - `grafana.externalUrl` */
  readonly grafanaExternalUrl?: string;
  /**
   * How Kiali authenticates to Grafana's API, overriding `grafana.apiCredentials`. The Secret lives
   * in Kiali's namespace; the addon mounts it where Kiali reads `secret:<name>:<key>` values, the
   * operator does the same for the Kiali CR.
   * @default - `grafana.apiCredentials`
   */
  readonly grafanaCredentials?: GrafanaCredentials;
  /** Browser URL of the tracing UI, overriding `tracing.externalUrl`. @default - `tracing.externalUrl` */
  readonly tracingExternalUrl?: string;
  /** Extra labels for every object. @default - none */
  readonly labels?: Record<string, string>;
}

/** Kiali's UI and API port (`server.port`). */
const API_PORT = 20001;
/** Kiali's own Prometheus metrics port (`server.observability.metrics.port`). */
const METRICS_PORT = 9090;
/** Where Kiali's releases are published; the operator's default image is `<repository>:<its release>`. */
const KIALI_REPOSITORY = 'quay.io/kiali/kiali';

/** The image's `USER`: Kiali's Dockerfile creates user `kiali` with this UID. */
const KIALI_UID = 1000;
const CONFIG_DIR = '/kiali-configuration';
/**
 * Kiali reads each credential whose config value is `secret:<name>:<key>` from
 * `/kiali-override-secrets/<file name>/value.txt`, where the operator mounts that key of that
 * Secret; the addon mounts them the same way.
 */
const OVERRIDE_SECRETS_DIR = '/kiali-override-secrets';
/** Kiali's file name of the login token signing key (`login_token.signing_key`). */
const SIGNING_KEY_FILE = 'login-token-signing-key';
/** Kiali's file names of the Grafana credentials (`external_services.grafana.auth.<field>`). */
const GRAFANA_SECRET_FILES: Record<GrafanaSecretKey['field'], string> = {
  token: 'grafana-token',
  username: 'grafana-username',
  password: 'grafana-password',
};
/** The Secret the Kiali operator creates for the signing key, whatever the instance name, and its key. */
const OPERATOR_SIGNING_KEY = { secretName: 'kiali-signing-key', key: 'key' };
/**
 * The Kiali release Istio's own addon of each Istio minor installs (samples/addons/kiali.yaml of
 * its `.0` release): the oldest Kiali known to work with that minor. Since v2.4 each Kiali release
 * is tested against the Istio releases supported when it ships (kiali.io, Version Compatibility).
 */
const KIALI_FOR_ISTIO: Readonly<Record<string, { readonly major: number; readonly minor: number }>> = {
  '1.24': { major: 2, minor: 0 },
  '1.25': { major: 2, minor: 5 },
  '1.26': { major: 2, minor: 8 },
  '1.27': { major: 2, minor: 12 },
  '1.28': { major: 2, minor: 17 },
  '1.29': { major: 2, minor: 21 },
  '1.30': { major: 2, minor: 22 },
};
/** Kiali reads an OpenID client secret from `/kiali-secret/oidc-secret`. */
const OIDC_SECRET_DIR = '/kiali-secret';
/** Extra CAs Kiali trusts for https backends, from `additional-ca-bundle.pem` in this ConfigMap. */
const CA_BUNDLE_DIR = '/kiali-cabundle';
const AUTH_STRATEGIES: Record<KialiAuthStrategy, crd.KialiSpecAuthStrategy> = {
  [KialiAuthStrategy.TOKEN]: crd.KialiSpecAuthStrategy.TOKEN,
  [KialiAuthStrategy.OPENID]: crd.KialiSpecAuthStrategy.OPENID,
  [KialiAuthStrategy.OPENSHIFT]: crd.KialiSpecAuthStrategy.OPENSHIFT,
  [KialiAuthStrategy.HEADER]: crd.KialiSpecAuthStrategy.HEADER,
  [KialiAuthStrategy.ANONYMOUS]: crd.KialiSpecAuthStrategy.ANONYMOUS,
};
const WEB_ROOT = /^\/[a-zA-Z0-9\-._~!$&'()*+,;=:@%/]*$/;

/**
 * Kiali, the Istio console, wired to the mesh's Prometheus, Grafana and tracing backend by
 * reference: every URL in its configuration comes from the backend objects passed in.
 *
 * One props model, two renderings ({@link KialiDeployment}): the Kiali server as Istio's addon
 * installs it, hardened (token login, non-root, read-only root filesystem, no capabilities,
 * least-privilege RBAC), or a Kiali CR carrying the same configuration for the Kiali operator.
 */
export class Kiali extends Construct {
  /** The Kiali release this library is built and tested against. */
  public static readonly DEFAULT_IMAGE = 'quay.io/kiali/kiali:v2.29.0';

  /** Namespace Kiali runs in. */
  public readonly namespace: string;
  /** Instance name: the name of its Service, ConfigMap and ServiceAccount. */
  public readonly name: string;
  /** Kiali's UI and API (port 20001), for a gateway route or a summary link. */
  public readonly endpoint: ServiceEndpoint;
  /** Kiali's own metrics (port 9090), for a ServiceMonitor. */
  public readonly metricsEndpoint: ServiceEndpoint;
  /** Path of the UI on {@link endpoint}. */
  public readonly webRoot: string;
  /** How users log in. */
  public readonly authStrategy: KialiAuthStrategy;
  /** Whether Kiali offers no action that changes the mesh. */
  public readonly viewOnlyMode: boolean;
  /** The Deployment (ADDON) or the Kiali CR (OPERATOR_CR). */
  public readonly resource: ApiObject;
  /** The namespace it renders (see {@link KialiProps.createNamespace}). */
  public readonly meshNamespace?: MeshNamespace;

  constructor(scope: Construct, id: string, props: KialiProps) {
    super(scope, id);
    const istioNamespace = typeof props.istioNamespace === 'object' ? props.istioNamespace.namespace : props.istioNamespace ?? 'istio-system';
    assertDnsLabel('istioNamespace', istioNamespace);
    this.namespace = props.namespace ?? istioNamespace;
    assertDnsLabel('namespace', this.namespace);
    if (props.createNamespace !== undefined || this.namespace !== istioNamespace) {
      this.meshNamespace = chosenNamespace(this, this.namespace, props.createNamespace);
    }
    declareExistingBackends(this, props.prometheus, props.grafana);
    this.name = props.name ?? 'kiali';
    assertDnsLabel('name', this.name);
    assertLabels('labels', props.labels);
    if (props.image !== undefined) {
      assertImageReference('image', props.image);
    }
    this.webRoot = props.webRoot ?? '/kiali';
    assertWebRoot(this.webRoot);
    this.authStrategy = props.authStrategy ?? KialiAuthStrategy.TOKEN;
    this.viewOnlyMode = props.viewOnlyMode ?? false;
    const deployment = props.deployment ?? KialiDeployment.ADDON;
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw new Error(`replicas must be a whole number of at least 1, got ${replicas}`);
    }
    if (this.authStrategy === KialiAuthStrategy.OPENID && !props.openId) {
      throw new Error('authStrategy OPENID needs openId: { issuerUrl, clientId } of the identity provider');
    }
    if (this.authStrategy !== KialiAuthStrategy.OPENID && props.openId) {
      throw new Error(`openId applies to authStrategy OPENID only, got authStrategy ${this.authStrategy.toUpperCase()}: remove openId or set authStrategy: KialiAuthStrategy.OPENID`);
    }
    if (deployment === KialiDeployment.ADDON && this.authStrategy === KialiAuthStrategy.OPENSHIFT) {
      throw new Error('authStrategy OPENSHIFT needs the OAuthClient the Kiali operator creates: use deployment: KialiDeployment.OPERATOR_CR');
    }
    if (deployment === KialiDeployment.OPERATOR_CR && props.signingKeySecretName !== undefined) {
      throw new Error('signingKeySecretName applies to KialiDeployment.ADDON only: the Kiali operator creates and manages its own signing key');
    }
    if (props.signingKeySecretName !== undefined) {
      assertDnsSubdomain('signingKeySecretName', props.signingKeySecretName);
    }
    const resources = resolveResources(props.resources);
    if (!props.grafana && props.grafanaCredentials) {
      throw new Error('grafanaCredentials needs grafana: pass the Grafana backend Kiali links to');
    }
    const grafanaCredentials = props.grafana && (props.grafanaCredentials ?? props.grafana.apiCredentials);
    const grafanaSecretKeys = grafanaCredentials?.secretKeys ?? [];
    if (grafanaSecretKeys.length > 0) {
      const secrets = [...new Set(grafanaSecretKeys.map(({ secretName }) => secretName))];
      MeshWarnings.of(this).add(this, {
        code: MeshWarningCode.KIALI_GRAFANA_CREDENTIALS,
        message: `Kiali ${this.namespace}/${this.name} does not start until Secret ${secrets.map((name) => `${this.namespace}/${name}`).join(', ')} exists with key${grafanaSecretKeys.length > 1 ? 's' : ''} ${grafanaSecretKeys.map(({ key }) => `'${key}'`).join(', ')} (its Grafana API credentials), which the output does not contain`,
        fix: `create it before applying Kiali (Sealed Secrets, External Secrets, or kubectl -n ${this.namespace} create secret generic ${secrets[0]} ${grafanaSecretKeys.map(({ key }) => `--from-literal=${key}=...`).join(' ')}), e.g. with the token of a Grafana service account with the Viewer role`,
      });
    }
    const istioVersion = props.istioVersion ?? (typeof props.istioNamespace === 'object' ? props.istioNamespace.istioVersion : undefined);
    if (istioVersion) {
      this.warnIfUntested(istioVersion, deployment === KialiDeployment.ADDON ? props.image ?? Kiali.DEFAULT_IMAGE : props.image);
    }

    this.endpoint = new ServiceEndpoint({ serviceName: this.name, namespace: this.namespace, port: API_PORT, scheme: Scheme.HTTP });
    this.metricsEndpoint = new ServiceEndpoint({ serviceName: this.name, namespace: this.namespace, port: METRICS_PORT, scheme: Scheme.HTTP });

    const spec: crd.KialiSpec = {
      auth: {
        strategy: AUTH_STRATEGIES[this.authStrategy],
        openid: props.openId && openIdSpec(props.openId),
      },
      deployment: {
        instanceName: this.name,
        namespace: this.namespace,
        viewOnlyMode: this.viewOnlyMode,
      },
      externalServices: {
        prometheus: { url: props.prometheus.queryEndpoint.url() },
        grafana: grafanaSpec(props.grafana, props.grafanaExternalUrl, grafanaCredentials),
        tracing: tracingSpec(props.tracing, props.tracingExternalUrl),
      },
      server: {
        port: API_PORT,
        webRoot: this.webRoot,
        observability: { metrics: { enabled: true, port: METRICS_PORT } },
      },
    };
    const labels = { ...props.labels, 'app': 'kiali', 'app.kubernetes.io/name': 'kiali', 'app.kubernetes.io/instance': this.name, 'app.kubernetes.io/part-of': 'kiali' };

    if (deployment === KialiDeployment.OPERATOR_CR) {
      this.resource = new crd.Kiali(this, 'Resource', {
        metadata: { name: this.name, namespace: this.namespace, labels },
        spec: {
          ...spec,
          deployment: {
            ...spec.deployment,
            ...this.operatorImageSpec(props.image),
            replicas,
            resources: resources.toJson(),
            podLabels: { 'sidecar.istio.io/inject': 'false' },
            ...(props.labels ? { extraLabels: props.labels } : {}),
          },
        },
      });
      return;
    }

    const signingKeySecretName = props.signingKeySecretName ?? OPERATOR_SIGNING_KEY.secretName;
    const config = crd.toJson_KialiSpec(spec)!;
    if (this.authStrategy !== KialiAuthStrategy.ANONYMOUS) {
      // The operator's own spelling of the reference; Kiali reads the key from the mounted file.
      config.login_token = { signing_key: `secret:${signingKeySecretName}:${OPERATOR_SIGNING_KEY.key}` };
      MeshWarnings.of(this).add(this, {
        code: MeshWarningCode.KIALI_SIGNING_KEY,
        message: `Kiali ${this.namespace}/${this.name} does not start until Secret ${this.namespace}/${signingKeySecretName} exists with key '${OPERATOR_SIGNING_KEY.key}' (16, 24 or 32 characters), which the output does not contain (no key is committed)`,
        fix: `create it before applying Kiali, e.g. kubectl -n ${this.namespace} create secret generic ${signingKeySecretName} --from-literal=${OPERATOR_SIGNING_KEY.key}="$(openssl rand -hex 16)", or through Sealed Secrets or External Secrets`,
      });
    }
    this.resource = this.renderAddon({
      config,
      labels,
      image: ImageMirror.imageFor(this, props.image ?? Kiali.DEFAULT_IMAGE),
      replicas,
      resources,
      signingKeySecretName,
      grafanaSecretKeys,
    });
  }

  /**
   * The Kiali CR's image: the chosen one, or with an app-wide {@link ImageMirror} the mirror's
   * copy of the operator's own release (`image_version: operator_version`). The operator aborts
   * the install of a CR that names an image unless it runs with ALLOW_AD_HOC_KIALI_IMAGE=true.
   */
  private operatorImageSpec(image: string | undefined): Pick<crd.KialiSpecDeployment, 'imageName' | 'imageVersion'> {
    const mirror = ImageMirror.of(this);
    const spec = image !== undefined
      ? imageSpec(mirror ? mirror.image(image) : image)
      : mirror ? { imageName: mirror.repository(KIALI_REPOSITORY), imageVersion: 'operator_version' } : {};
    if (spec.imageName !== undefined) {
      MeshWarnings.of(this).add(this, {
        code: MeshWarningCode.KIALI_AD_HOC_IMAGE,
        message: `the Kiali operator installs Kiali ${this.namespace}/${this.name} only if it allows ad hoc images, since the Kiali CR names image ${spec.imageName}:${spec.imageVersion}`
          + (image === undefined ? ` (copy ${KIALI_REPOSITORY} at the operator's own release, such as ${Kiali.DEFAULT_IMAGE.split(':')[1]}, to ${spec.imageName}: the output's IMAGES.txt cannot name that release)` : ''),
        fix: 'run the Kiali operator with ALLOW_AD_HOC_KIALI_IMAGE=true (Helm chart value allowAdHocKialiImage=true)',
      });
    }
    return spec;
  }

  /** Kiali with an Istio release its own tests do not cover still starts, but may misread the mesh. */
  private warnIfUntested(istioVersion: IstioVersion, image: string | undefined): void {
    const supported = IstioVersionSupport.supportedMinors();
    if (IstioVersionSupport.isEndOfLife(istioVersion)) {
      MeshWarnings.of(this).add(this, {
        code: MeshWarningCode.KIALI_ISTIO_UNSUPPORTED,
        message: `Kiali ${this.namespace}/${this.name} does not support Istio ${istioVersion.minorVersion}: each Kiali 2 release is tested against the Istio releases supported when it ships (${supported.join(', ')} for the default ${Kiali.DEFAULT_IMAGE})`,
        fix: `upgrade Istio to a supported release, or run the Kiali release of Istio ${istioVersion.minorVersion}'s own addon`,
      });
      return;
    }
    const kiali = image === undefined ? undefined : kialiRelease(image);
    const oldest = KIALI_FOR_ISTIO[istioVersion.minorVersion];
    if (kiali && oldest && (kiali.major < oldest.major || (kiali.major === oldest.major && kiali.minor < oldest.minor))) {
      MeshWarnings.of(this).add(this, {
        code: MeshWarningCode.KIALI_OLDER_THAN_ISTIO,
        message: `Kiali ${this.namespace}/${this.name} runs ${image}, older than Istio ${istioVersion.minorVersion} (whose own addon installs Kiali v${oldest.major}.${oldest.minor}): it is not tested against that release`,
        fix: `use Kiali v${oldest.major}.${oldest.minor} or newer, such as the default image ${Kiali.DEFAULT_IMAGE}`,
      });
    }
  }

  private renderAddon(options: AddonOptions): ApiObject {
    const metadata = { name: this.name, namespace: this.namespace, labels: options.labels };
    const selector = { 'app.kubernetes.io/name': 'kiali', 'app.kubernetes.io/instance': this.name };

    const serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata });
    const configYaml = yaml.dump(options.config, { sortKeys: true, lineWidth: -1, noRefs: true });
    new k8s.KubeConfigMap(this, 'ConfigMap', { metadata, data: { 'config.yaml': configYaml } });

    const readOnly = this.viewOnlyMode || this.authStrategy !== KialiAuthStrategy.ANONYMOUS;
    const clusterRoleName = readOnly ? `${this.name}-viewer` : this.name;
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: clusterRoleName, labels: options.labels },
      rules: readOnly ? kialiViewerRules() : kialiWriterRules(),
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: clusterRoleName, labels: options.labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount.name, namespace: this.namespace }],
    });

    new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        selector,
        ports: [
          { name: 'http', appProtocol: 'http', protocol: 'TCP', port: this.endpoint.port, targetPort: k8s.IntOrString.fromString('api-port') },
          { name: 'http-metrics', appProtocol: 'http', protocol: 'TCP', port: this.metricsEndpoint.port, targetPort: k8s.IntOrString.fromString('http-metrics') },
        ],
      },
    });

    const volumes: k8s.Volume[] = [
      { name: 'kiali-configuration', configMap: { name: this.name } },
      { name: 'kiali-cabundle', configMap: { name: `${this.name}-cabundle`, optional: true } },
    ];
    const volumeMounts: k8s.VolumeMount[] = [
      { name: 'kiali-configuration', mountPath: CONFIG_DIR, readOnly: true },
      { name: 'kiali-cabundle', mountPath: CA_BUNDLE_DIR, readOnly: true },
    ];
    if (this.authStrategy !== KialiAuthStrategy.ANONYMOUS) {
      // Not optional: without a key of the right length Kiali exits at startup; a pod waiting
      // for its Secret says what is missing more plainly than a crash loop.
      volumes.push({ name: SIGNING_KEY_FILE, secret: { secretName: options.signingKeySecretName, items: [{ key: OPERATOR_SIGNING_KEY.key, path: 'value.txt' }] } });
      volumeMounts.push({ name: SIGNING_KEY_FILE, mountPath: `${OVERRIDE_SECRETS_DIR}/${SIGNING_KEY_FILE}`, readOnly: true });
    }
    // As the operator mounts `secret:<name>:<key>` credentials: that key alone, as value.txt.
    for (const { field, secretName, key } of options.grafanaSecretKeys) {
      const file = GRAFANA_SECRET_FILES[field];
      volumes.push({ name: file, secret: { secretName, items: [{ key, path: 'value.txt' }] } });
      volumeMounts.push({ name: file, mountPath: `${OVERRIDE_SECRETS_DIR}/${file}`, readOnly: true });
    }
    if (this.authStrategy === KialiAuthStrategy.OPENID) {
      volumes.push({ name: 'kiali-secret', secret: { secretName: this.name, optional: true } });
      volumeMounts.push({ name: 'kiali-secret', mountPath: OIDC_SECRET_DIR, readOnly: true });
    }

    const healthCheck = { httpGet: { path: `${this.webRoot === '/' ? '' : this.webRoot}/healthz`, port: k8s.IntOrString.fromString('api-port'), scheme: 'HTTP' } };
    return new k8s.KubeDeployment(this, 'Resource', {
      metadata,
      spec: {
        replicas: options.replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels: { ...options.labels, 'sidecar.istio.io/inject': 'false' },
            // A changed config.yaml rolls the pods: Kiali reads its configuration only at startup.
            annotations: { 'checksum/config': createHash('sha256').update(configYaml).digest('hex') },
          },
          spec: {
            serviceAccountName: serviceAccount.name,
            securityContext: {
              runAsNonRoot: true,
              // OpenShift assigns the ids from the namespace's range.
              ...ClusterPlatform.of(this).fixedIds({ runAsUser: KIALI_UID, runAsGroup: KIALI_UID }),
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [{
              name: 'kiali',
              image: options.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['/opt/kiali/kiali', '-config', `${CONFIG_DIR}/config.yaml`],
              terminationMessagePolicy: 'FallbackToLogsOnError',
              ports: [
                { name: 'api-port', containerPort: this.endpoint.port },
                { name: 'http-metrics', containerPort: this.metricsEndpoint.port },
              ],
              env: [{ name: 'ACTIVE_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
              securityContext: {
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              // Probe timings of Kiali's own chart.
              startupProbe: { ...healthCheck, initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 6 },
              readinessProbe: { ...healthCheck, initialDelaySeconds: 5, periodSeconds: 30 },
              livenessProbe: { ...healthCheck, initialDelaySeconds: 5, periodSeconds: 30 },
              resources: options.resources.toKube(),
              volumeMounts,
            }],
            volumes,
          },
        },
      },
    });
  }
}

interface AddonOptions {
  readonly config: Record<string, any>;
  readonly labels: Record<string, string>;
  readonly image: string;
  readonly replicas: number;
  readonly resources: ResolvedResources;
  readonly signingKeySecretName: string;
  readonly grafanaSecretKeys: readonly GrafanaSecretKey[];
}

interface ResolvedResources {
  toKube(): k8s.ResourceRequirements;
  toJson(): { requests: Record<string, string>; limits: Record<string, string> };
}

function resolveResources(resources: KialiResources = {}): ResolvedResources {
  const amounts = {
    cpuRequestMillicores: resources.cpuRequestMillicores ?? 10,
    cpuLimitMillicores: resources.cpuLimitMillicores ?? 1000,
    memoryRequestMebibytes: resources.memoryRequestMebibytes ?? 64,
    memoryLimitMebibytes: resources.memoryLimitMebibytes ?? 1024,
  };
  for (const [field, value] of Object.entries(amounts)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`resources.${field} must be a whole number of at least 1, got ${value}`);
    }
  }
  if (amounts.cpuLimitMillicores < amounts.cpuRequestMillicores) {
    throw new Error(`resources.cpuLimitMillicores (${amounts.cpuLimitMillicores}) must not be below resources.cpuRequestMillicores (${amounts.cpuRequestMillicores})`);
  }
  if (amounts.memoryLimitMebibytes < amounts.memoryRequestMebibytes) {
    throw new Error(`resources.memoryLimitMebibytes (${amounts.memoryLimitMebibytes}) must not be below resources.memoryRequestMebibytes (${amounts.memoryRequestMebibytes})`);
  }
  const json = {
    requests: { cpu: `${amounts.cpuRequestMillicores}m`, memory: `${amounts.memoryRequestMebibytes}Mi` },
    limits: { cpu: `${amounts.cpuLimitMillicores}m`, memory: `${amounts.memoryLimitMebibytes}Mi` },
  };
  const quantities = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([key, value]) => [key, k8s.Quantity.fromString(value)]));
  return {
    toJson: () => json,
    toKube: () => ({ requests: quantities(json.requests), limits: quantities(json.limits) }),
  };
}

/** Major and minor of a Kiali image tag such as `v2.29.0` or `v2.29`; undefined for other tags (`latest`, digests). */
function kialiRelease(image: string): { readonly major: number; readonly minor: number } | undefined {
  const match = /:v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(image);
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

function openIdSpec(openId: KialiOpenIdOptions): crd.KialiSpecAuthOpenid {
  validateUrl('openId.issuerUrl', openId.issuerUrl);
  if (openId.clientId.trim() === '') {
    throw new Error('openId.clientId must not be empty: give the client id registered at the identity provider');
  }
  return {
    issuerUri: openId.issuerUrl,
    clientId: openId.clientId,
    usernameClaim: openId.usernameClaim,
    scopes: openId.scopes,
  };
}

function grafanaSpec(grafana: IGrafanaLink | undefined, externalUrlOverride: string | undefined, credentials: GrafanaCredentials | undefined): crd.KialiSpecExternalServicesGrafana {
  if (!grafana) {
    if (externalUrlOverride !== undefined) {
      throw new Error('grafanaExternalUrl needs grafana: pass the Grafana backend Kiali links to');
    }
    // Kiali enables Grafana by default and would probe http://grafana.istio-system:3000.
    return { enabled: false };
  }
  const externalUrl = externalUrlOverride !== undefined
    ? validateUrl('grafanaExternalUrl', externalUrlOverride)
    : grafana.externalUrl !== undefined ? validateUrl('grafana.externalUrl', grafana.externalUrl) : undefined;
  // Kiali 2 builds every dashboard link on external_url and, without it, answers "grafana URL is
  // not set" (grafana/grafana.go); internal_url only carries the API calls.
  if (externalUrl === undefined) {
    throw new Error(`grafana needs externalUrl, the URL users open Grafana at (Kiali links dashboards there and answers 'grafana URL is not set' without it), got only the in-cluster ${grafana.internalEndpoint.url()}: set externalUrl on the Grafana backend or grafanaExternalUrl`);
  }
  if (!credentials) {
    throw new Error('grafana needs apiCredentials: Kiali searches Grafana\'s dashboards through its API, which refuses requests without credentials unless anonymous access is on; '
      + 'set apiCredentials on the Grafana backend or grafanaCredentials to GrafanaCredentials.bearerToken({ secretName }) (a Secret in Kiali\'s namespace), basicAuth({ secretName }), or anonymous() for a Grafana open to anonymous viewers');
  }
  const secretValue = (field: GrafanaSecretKey['field']) => {
    const reference = credentials.secretKeys.find((secretKey) => secretKey.field === field);
    return reference && `secret:${reference.secretName}:${reference.key}`;
  };
  return {
    enabled: true,
    internalUrl: grafana.internalEndpoint.url(),
    externalUrl,
    auth: { type: credentials.type, token: secretValue('token'), username: secretValue('username'), password: secretValue('password') },
  };
}

function tracingSpec(tracing: ITracingBackend | undefined, externalUrlOverride: string | undefined): crd.KialiSpecExternalServicesTracing {
  if (!tracing) {
    if (externalUrlOverride !== undefined) {
      throw new Error('tracingExternalUrl needs tracing: pass the tracing backend Kiali reads traces from');
    }
    return { enabled: false };
  }
  const externalUrl = externalUrlOverride !== undefined
    ? validateUrl('tracingExternalUrl', externalUrlOverride)
    : tracing.externalUrl !== undefined ? validateUrl('tracing.externalUrl', tracing.externalUrl) : undefined;
  const provider = tracing.provider === TracingProvider.TEMPO ? crd.KialiSpecExternalServicesTracingProvider.TEMPO : crd.KialiSpecExternalServicesTracingProvider.JAEGER;
  const httpUrl = tracing.queryEndpoint.url(tracing.queryBasePath);
  const grpc = tracing.grpcQueryEndpoint;
  if (!grpc) {
    return { enabled: true, provider, internalUrl: httpUrl, useGrpc: false, externalUrl };
  }
  if (tracing.provider === TracingProvider.TEMPO) {
    // Kiali's Tempo client searches over gRPC at internal_url's host on grpc_port and fetches
    // single traces over HTTP at internal_url, so both must be served by the same host.
    if (grpc.host !== tracing.queryEndpoint.host) {
      return { enabled: true, provider, internalUrl: httpUrl, useGrpc: false, externalUrl };
    }
    return { enabled: true, provider, internalUrl: httpUrl, useGrpc: true, grpcPort: grpc.port, externalUrl };
  }
  // Kiali's Jaeger gRPC client dials internal_url's host and port, with TLS only for https.
  return { enabled: true, provider, internalUrl: grpcDialUrl(grpc), useGrpc: true, externalUrl };
}

function grpcDialUrl(endpoint: IEndpoint): string {
  const scheme = endpoint.url().startsWith('https://') ? 'https' : 'http';
  return `${scheme}://${endpoint.address}`;
}

function imageSpec(image: string | undefined): Pick<crd.KialiSpecDeployment, 'imageName' | 'imageVersion'> {
  if (image === undefined) {
    return {};
  }
  const match = /^(.+?)(?::([\w][\w.-]{0,127}))?$/.exec(image);
  const name = match?.[1] ?? image;
  if (!match || !match[2] || name.includes('@')) {
    throw new Error(`image for the Kiali operator must be '<repository>:<tag>', such as ${Kiali.DEFAULT_IMAGE}, got '${image}'`);
  }
  return { imageName: name, imageVersion: match[2] };
}

/** Checks a URL with the library's URL rules and returns it as written (query strings included). */
function validateUrl(field: string, url: string): string {
  ExternalEndpoint.fromUrl(field, url);
  return url;
}

function assertWebRoot(webRoot: string): void {
  if (!WEB_ROOT.test(webRoot) || (webRoot !== '/' && webRoot.endsWith('/')) || webRoot.includes('/../')) {
    throw new Error(`webRoot must start with '/', have no trailing '/' and use URL path characters only, such as '/kiali', got '${webRoot}'`);
  }
}

function assertDnsSubdomain(field: string, value: string): void {
  if (value.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value)) {
    throw new Error(`${field} must be a Kubernetes object name (lower case letters, digits, '-' and '.', at most 253 characters), got '${value}'`);
  }
}
