import { IEndpoint } from '../core/endpoint';

/** What Kiali and dashboards need from a Grafana instance. */
export interface IGrafanaBackend {
  /** In-cluster HTTP endpoint (Kiali's `grafana.internal_url`). */
  readonly internalEndpoint: IEndpoint;
  /** URL users open in a browser (Kiali's `grafana.external_url`), when known. */
  readonly externalUrl?: string;
  /** Labels that grafana-operator's `instanceSelector` matches on this Grafana. */
  readonly instanceSelectorLabels: Readonly<Record<string, string>>;
  /** Namespace the Grafana instance runs in. */
  readonly namespace: string;
}
