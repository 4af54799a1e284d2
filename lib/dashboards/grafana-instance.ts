import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Grafana } from '../../imports/grafana-grafana-grafana.integreatly.org';
import { chosenNamespace } from '../core/chosen-namespace';
import { ExternalEndpoint } from '../core/endpoint';
import { MeshNamespace } from '../core/mesh-namespace';
import { assertDnsLabel, assertLabels } from '../core/names';
import { ServiceEndpoint } from '../core/service-endpoint';
import { IGrafanaBackend } from './grafana-backend';
import { GrafanaAuthType, GrafanaCredentials } from './grafana-credentials';

/** Props of a {@link GrafanaInstance}. */
export interface GrafanaInstanceProps {
  /** Name of the `Grafana` object. @default 'grafana' */
  readonly name?: string;
  /** Namespace of the Grafana. @default 'grafana' */
  readonly namespace?: string;
  /**
   * Render the Namespace object of `namespace` (through a {@link MeshNamespace}: one object per
   * name in the app, however many parts ask for it). Set false when the namespace exists
   * already (another repository or the platform creates it); the app's {@link MeshValidation}
   * then treats it as external.
   * @default true
   */
  readonly createNamespace?: boolean;
  /** Labels that data sources and dashboards select this Grafana by. @default { dashboards: <name> } */
  readonly instanceSelectorLabels?: Record<string, string>;
  /**
   * URL users open in a browser; becomes Grafana's `server.root_url`, and what Kiali links to.
   * @default - none: Kiali cannot link to this Grafana
   */
  readonly externalUrl?: string;
  /**
   * How API clients such as Kiali authenticate to this Grafana's HTTP API (Kiali searches its
   * dashboards there): a key of a Secret in the client's namespace, created outside the app.
   * Kiali needs it to link to this Grafana; anonymous access is off here, so not
   * `GrafanaCredentials.anonymous()`.
   * @default - none known: Kiali refuses to link to this Grafana
   */
  readonly apiCredentials?: GrafanaCredentials;
  /** Grafana release the operator runs, such as '12.0.1'. @default - the operator's default */
  readonly version?: string;
}

/**
 * A Grafana run by grafana-operator: the `Grafana` object (id 'Resource'), with anonymous access
 * and self sign-up off. The operator creates the admin credentials Secret
 * `<name>-admin-credentials` and the Service `<name>-service` on port 3000.
 */
export class GrafanaInstance extends Construct implements IGrafanaBackend {
  public readonly name: string;
  public readonly namespace: string;
  public readonly internalEndpoint: ServiceEndpoint;
  public readonly instanceSelectorLabels: Readonly<Record<string, string>>;
  public readonly externalUrl?: string;
  public readonly apiCredentials?: GrafanaCredentials;
  /** The generated `Grafana` object. */
  public readonly resource: ApiObject;
  /** The namespace it renders, unless told it exists (`createNamespace: false`). */
  public readonly meshNamespace?: MeshNamespace;

  constructor(scope: Construct, id: string, props: GrafanaInstanceProps = {}) {
    super(scope, id);
    this.name = props.name ?? 'grafana';
    this.namespace = props.namespace ?? 'grafana';
    assertDnsLabel('name', this.name);
    assertDnsLabel('namespace', this.namespace);
    this.meshNamespace = chosenNamespace(this, this.namespace, props.createNamespace);
    if (props.externalUrl !== undefined) {
      ExternalEndpoint.fromUrl('externalUrl', props.externalUrl);
    }
    this.externalUrl = props.externalUrl;
    if (props.apiCredentials?.type === GrafanaAuthType.NONE) {
      throw new Error('apiCredentials must not be anonymous: this Grafana turns anonymous access off, so Kiali\'s dashboard search needs a bearer token or a user name and password from a Secret (bearerToken or basicAuth)');
    }
    this.apiCredentials = props.apiCredentials;
    assertLabels('instanceSelectorLabels', props.instanceSelectorLabels);
    this.instanceSelectorLabels = props.instanceSelectorLabels ?? { dashboards: this.name };
    this.internalEndpoint = new ServiceEndpoint({ serviceName: `${this.name}-service`, namespace: this.namespace, port: 3000 });

    this.resource = new Grafana(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: { ...this.instanceSelectorLabels } },
      spec: {
        version: props.version,
        // grafana.ini sections; the operator takes every value as a string.
        config: {
          'log': { mode: 'console' },
          'auth.anonymous': { enabled: 'false' },
          'users': { allow_sign_up: 'false' },
          ...(props.externalUrl !== undefined ? { server: { root_url: props.externalUrl } } : {}),
        },
      },
    });
  }
}
