import * as yaml from 'js-yaml';

/**
 * The file name kustomize, Argo CD and Flux all recognize besides `kustomization.yaml`. It has no
 * `.yaml` extension on purpose: `kubectl apply -f dist/` reads every .yaml file of the folder and
 * would try to send a `kustomization.yaml` to the API server as if it were an object.
 */
export const KUSTOMIZATION_FILE = 'Kustomization';

/** Props of {@link renderKustomization}. */
export interface KustomizationProps {
  /** Manifest files, relative to the folder, in the order they must be applied. */
  readonly resources: readonly string[];
  /**
   * Annotations added to every object, e.g. Argo CD sync options.
   * @default - none
   */
  readonly commonAnnotations?: Readonly<Record<string, string>>;
}

/** Renders a kustomize `Kustomization` that applies `resources` in order. */
export function renderKustomization(props: KustomizationProps): string {
  const kustomization: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [...props.resources],
  };
  if (props.commonAnnotations && Object.keys(props.commonAnnotations).length > 0) {
    kustomization.commonAnnotations = { ...props.commonAnnotations };
  }
  return yaml.dump(kustomization, { lineWidth: -1, noRefs: true });
}
