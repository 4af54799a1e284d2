import { IEndpoint } from '../core/endpoint';
import { GrafanaCredentials } from './grafana-credentials';

/** What Kiali and dashboards need from a Grafana instance. */
export interface IGrafanaBackend {
  /** In-cluster HTTP endpoint (Kiali's `grafana.internal_url`). */
  readonly internalEndpoint: IEndpoint;
  /**
   * URL users open in a browser (Kiali's `grafana.external_url`), when known. Kiali 2 needs it to
   * link dashboards: with only an in-cluster URL it answers `grafana URL is not set`.
   */
  readonly externalUrl?: string;
  /**
   * How API clients such as Kiali authenticate to this Grafana (its dashboard search), when known:
   * a Secret reference, never a value.
   */
  readonly apiCredentials?: GrafanaCredentials;
  /** Labels that grafana-operator's `instanceSelector` matches on this Grafana. */
  readonly instanceSelectorLabels: Readonly<Record<string, string>>;
  /** Namespace the Grafana instance runs in. */
  readonly namespace: string;
}
