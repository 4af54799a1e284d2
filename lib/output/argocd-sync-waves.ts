import { ApiObject, Chart } from 'cdk8s';

/** The annotation Argo CD orders a sync by: lower waves are applied (and healthy) first. */
export const ARGOCD_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/**
 * Annotates every object of each chart with an Argo CD sync wave equal to the chart's position,
 * so Argo CD applies the charts in the order `kubectl apply -f dist/` does (namespaces first,
 * custom resources after what they need).
 *
 * @param charts charts in apply order
 */
export function addArgoCdSyncWaves(charts: readonly Chart[]): void {
  charts.forEach((chart, wave) => {
    for (const child of chart.node.findAll()) {
      if (child instanceof ApiObject && Chart.of(child) === chart) {
        child.metadata.addAnnotation(ARGOCD_SYNC_WAVE, String(wave));
      }
    }
  });
}
