import { IEndpoint } from '../core/endpoint';
import { GrafanaCredentials } from './grafana-credentials';

/** What Kiali needs to link to a Grafana: where it runs, the URL users open, API credentials. */
export interface IGrafanaLink {
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
  /** Namespace the Grafana instance runs in. */
  readonly namespace: string;
}

/** What Kiali and dashboards need from a Grafana instance that grafana-operator manages. */
export interface IGrafanaBackend extends IGrafanaLink {
  /** Labels that grafana-operator's `instanceSelector` matches on this Grafana. */
  readonly instanceSelectorLabels: Readonly<Record<string, string>>;
}
