import { Construct } from 'constructs';
import { IstioControlPlane } from '../control-plane';
import { IstioOperatorResource } from './istio-operator-resource';

/** Props of an {@link IstioOperatorFile}. */
export interface IstioOperatorFileProps {
  /** The control plane whose model the file describes. */
  readonly controlPlane: IstioControlPlane;
  /**
   * For a control plane with revisions: the revision this file installs (one file per revision,
   * each run with the `istioctl` of its release), by name (`default-v1-30-7`).
   * @default - the newest revision
   */
  readonly revision?: string;
}

/**
 * The control plane as the input of `istioctl install -f <file>`: an `IstioOperator` rendered
 * from the same model as the in-cluster install paths. Put it in a chart of its own that is not
 * applied with kubectl: since Istio 1.24 clusters have no IstioOperator CRD, and istioctl reads
 * the file client-side.
 *
 * ```ts
 * const istioctl = new Chart(app, 'istioctl-install');
 * new IstioOperatorFile(istioctl, 'install', { controlPlane });
 * ```
 */
export class IstioOperatorFile extends IstioOperatorResource {
  constructor(scope: Construct, id: string, props: IstioOperatorFileProps) {
    if (props.revision !== undefined) {
      if (!props.controlPlane.revisions) {
        throw new Error(`revision '${props.revision}' is for a control plane with revisions; this one has one revision: leave revision out`);
      }
      props.controlPlane.revisions.revision(props.revision);
    }
    super(scope, id, { model: () => props.controlPlane.installModel(props.revision) });
  }
}
