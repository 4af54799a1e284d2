import { ApiObject, Chart } from 'cdk8s';
import { ApplyPhase } from './apply-phase';

/** The annotation Argo CD orders a sync by: lower waves are applied (and healthy) first. */
export const ARGOCD_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/**
 * Annotates every object of the charts with an Argo CD sync wave equal to its {@link ApplyPhase}'s
 * number, so Argo CD applies the phases in the order the README's kubectl steps do and waits for
 * each wave to be healthy before the next. The numbers are fixed per phase: adding or removing a
 * chart shifts no other object's wave.
 */
export function addArgoCdSyncWaves(charts: readonly Chart[]): void {
  for (const chart of charts) {
    for (const child of chart.node.findAll()) {
      if (child instanceof ApiObject && Chart.of(child) === chart) {
        child.metadata.addAnnotation(ARGOCD_SYNC_WAVE, String(ApplyPhase.of(child).order));
      }
    }
  }
}
