import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { IstioInstallModel } from './install-model';
import { ISTIO_OPERATOR_GVK, istioOperatorName, istioOperatorSpec } from './istio-operator-spec';

/** Props of an {@link IstioOperatorResource}. */
export interface IstioOperatorResourceProps {
  /** Produces the install model at synthesis, after every meshConfig contribution was made. */
  readonly model: () => IstioInstallModel;
  /**
   * Namespace of the object: the operator's watched namespace when it is applied to the cluster.
   * @default - none: istioctl ignores it and installs into the model's namespace
   */
  readonly namespace?: string;
}

/**
 * An `IstioOperator` (install.istio.io/v1alpha1) rendered from the control plane's model. The
 * generated `IstioOperator` class cannot carry a spec (its CRD is untyped, so the import drops
 * everything but metadata); this builds the object with the same GVK instead.
 */
export class IstioOperatorResource extends Construct {
  /** The IstioOperator object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: IstioOperatorResourceProps) {
    super(scope, id);
    const first = props.model();
    this.resource = new ApiObject(this, 'Resource', {
      ...ISTIO_OPERATOR_GVK,
      metadata: { name: istioOperatorName(first), namespace: props.namespace },
      spec: Lazy.any({ produce: () => istioOperatorSpec(props.model()) }),
    });
  }
}
