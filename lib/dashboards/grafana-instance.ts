import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Grafana } from '../../imports/grafana-grafana-grafana.integreatly.org';
import { chosenNamespace } from '../core/chosen-namespace';
import { ImageMirror } from '../core/image-mirror';
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
  /**
   * Grafana release the operator runs, such as '12.0.1' (or a whole image reference, as the
   * operator's `spec.version` takes one).
   * @default - the operator's default; with an image mirror (mesh.yaml `imageMirror`, TypeScript
   * {@link ImageMirror}), which names the image, '13.0.1' (the operator v5.24.0's default)
   */
  readonly version?: string;
}

/**
 * A Grafana run by grafana-operator: the `Grafana` object (id 'Resource'), with anonymous access
 * and self sign-up off. The operator creates the admin credentials Secret
 * `<name>-admin-credentials` and the Service `<name>-service` on port 3000.
 */
export class GrafanaInstance extends Construct implements IGrafanaBackend {
  /** The Grafana release grafana-operator v5.24.0 (the one this library is tested with) runs by default. */
  public static readonly DEFAULT_VERSION = '13.0.1';

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

    const image = mirroredImage(ImageMirror.of(this), props.version);
    const server = {
      ...(props.externalUrl !== undefined ? { root_url: props.externalUrl } : {}),
      // The operator turns gzip off for Grafana 13 and later (it runs out of memory otherwise,
      // grafana/grafana#123017), but only for a version it can parse: an image reference it
      // takes as it is gets the setting here.
      ...(image?.gzipOff ? { enable_gzip: 'false' } : {}),
    };
    this.resource = new Grafana(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: { ...this.instanceSelectorLabels } },
      spec: {
        version: image?.reference ?? props.version,
        // grafana.ini sections; the operator takes every value as a string.
        config: {
          'log': { mode: 'console' },
          'auth.anonymous': { enabled: 'false' },
          'users': { allow_sign_up: 'false' },
          ...(Object.keys(server).length > 0 ? { server } : {}),
        },
      },
    });
  }
}

/** Where grafana-operator pulls a `spec.version` that is a bare release from. */
const GRAFANA_REPOSITORY = 'docker.io/grafana/grafana';

/**
 * The mirror's image of the release (a whole reference in `spec.version`, which the operator uses
 * as it is), and whether that release is Grafana 13 or later; undefined without a mirror.
 */
function mirroredImage(mirror: ImageMirror | undefined, version: string | undefined): { readonly reference: string; readonly gzipOff: boolean } | undefined {
  if (!mirror) {
    return undefined;
  }
  const chosen = version ?? GrafanaInstance.DEFAULT_VERSION;
  // The operator's own test for a whole reference.
  const reference = mirror.image(/[:/@]/.test(chosen) ? chosen : `${GRAFANA_REPOSITORY}:${chosen}`);
  const major = /:v?(\d+)\.\d+\.\d+(?:@|$)/.exec(reference)?.[1];
  return { reference, gzipOff: major !== undefined && Number(major) >= 13 };
}
