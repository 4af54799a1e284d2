import { Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-28';
import { assertRequestWithinLimit } from './names';

/** Requests and limits a construct falls back on for each part of {@link ContainerResources} left out. */
export interface ContainerResourceDefaults {
  readonly cpuRequest: Cpu;
  readonly cpuLimit: Cpu;
  readonly memoryRequest: Size;
  readonly memoryLimit: Size;
}

/** Requests and limits in the API server's quantities, each part the user left out taken from `defaults`. */
export interface ResolvedContainerResources {
  readonly cpuRequest: Cpu;
  readonly cpuLimit: Cpu;
  readonly memoryRequest: Size;
  readonly memoryLimit: Size;
  /** The same as Kubernetes quantities, for generated types other than cdk8s-plus' own. */
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
  readonly requirements: k8s.ResourceRequirements;
}

/**
 * The container resources of `resources` over `defaults`, refused (naming `field`) when a request
 * is above its limit, which the API server refuses.
 */
export function resolveContainerResources(field: string, resources: ContainerResources | undefined, defaults: ContainerResourceDefaults): ResolvedContainerResources {
  const cpuRequest = resources?.cpu?.request ?? defaults.cpuRequest;
  const cpuLimit = resources?.cpu?.limit ?? defaults.cpuLimit;
  const memoryRequest = resources?.memory?.request ?? defaults.memoryRequest;
  const memoryLimit = resources?.memory?.limit ?? defaults.memoryLimit;
  assertRequestWithinLimit(field, 'cpu', cpuRequest.amount, cpuLimit.amount);
  // Memory in mebibytes, the unit of the mesh.yaml keys (memoryLimitMebibytes).
  const mebibytes = (size: Size) => `${size.toMebibytes()}Mi`;
  assertRequestWithinLimit(field, 'memory', mebibytes(memoryRequest), mebibytes(memoryLimit));
  return {
    cpuRequest, cpuLimit, memoryRequest, memoryLimit,
    requests: { cpu: cpuRequest.amount, memory: mebibytes(memoryRequest) },
    limits: { cpu: cpuLimit.amount, memory: mebibytes(memoryLimit) },
    requirements: {
      requests: { cpu: k8s.Quantity.fromString(cpuRequest.amount), memory: k8s.Quantity.fromString(mebibytes(memoryRequest)) },
      limits: { cpu: k8s.Quantity.fromString(cpuLimit.amount), memory: k8s.Quantity.fromString(mebibytes(memoryLimit)) },
    },
  };
}

/**
 * A size as a Kubernetes quantity in the largest binary unit that states it exactly: `50Gi`,
 * `1536Mi`, `512Ki`.
 * @throws if the size is not a whole number of kibibytes
 */
export function binaryQuantity(size: Size): string {
  const kibibytes = size.toKibibytes();
  if (!Number.isInteger(kibibytes)) {
    throw new Error(`a size must be a whole number of kibibytes, got ${kibibytes} KiB`);
  }
  if (kibibytes % (1024 * 1024) === 0) {
    return `${kibibytes / (1024 * 1024)}Gi`;
  }
  return kibibytes % 1024 === 0 ? `${kibibytes / 1024}Mi` : `${kibibytes}Ki`;
}
