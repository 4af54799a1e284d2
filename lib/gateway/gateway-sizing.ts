// Sizing checks and defaults shared by both gateway kinds, so an injected-Deployment gateway and a
// Gateway API gateway with the same props get the same refusals and the same resources.
import type { GatewayDisruptionBudget, GatewayResources } from './ingress-gateway';

export function assertPositiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${field} must be a positive integer, got ${value}`);
  }
}

export function assertReplicas(minReplicas: number, maxReplicas: number, targetCpuUtilizationPercent: number, budget: GatewayDisruptionBudget): void {
  assertPositiveInteger('minReplicas', minReplicas);
  assertPositiveInteger('maxReplicas', maxReplicas);
  assertPositiveInteger('targetCpuUtilizationPercent (a percentage of the CPU request: 80 means 80%)', targetCpuUtilizationPercent);
  if (maxReplicas < minReplicas) {
    throw new Error(`maxReplicas must be at least minReplicas (${minReplicas}), got ${maxReplicas}`);
  }
  if (budget.minAvailablePods !== undefined && budget.minAvailablePods >= minReplicas) {
    throw new Error(`disruption budget minAvailable (${budget.minAvailablePods}) must be less than minReplicas (${minReplicas}), or a node drain can never evict a gateway pod: raise minReplicas or lower minAvailable`);
  }
}

/** The proxy's requests and limits in Kubernetes quantity strings, with the gateway chart's defaults. */
export function resourceQuantities(resources: GatewayResources): { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } } {
  const cpuRequest = resources.cpuRequestMillicores ?? 100;
  const memoryRequest = resources.memoryRequestMebibytes ?? 128;
  const cpuLimit = resources.cpuLimitMillicores ?? 2000;
  const memoryLimit = resources.memoryLimitMebibytes ?? 1024;
  assertPositiveInteger('resources.cpuRequestMillicores', cpuRequest);
  assertPositiveInteger('resources.memoryRequestMebibytes', memoryRequest);
  assertPositiveInteger('resources.cpuLimitMillicores', cpuLimit);
  assertPositiveInteger('resources.memoryLimitMebibytes', memoryLimit);
  if (cpuLimit < cpuRequest) {
    throw new Error(`resources.cpuLimitMillicores (${cpuLimit}) must be at least cpuRequestMillicores (${cpuRequest})`);
  }
  if (memoryLimit < memoryRequest) {
    throw new Error(`resources.memoryLimitMebibytes (${memoryLimit}) must be at least memoryRequestMebibytes (${memoryRequest})`);
  }
  return {
    requests: { cpu: `${cpuRequest}m`, memory: `${memoryRequest}Mi` },
    limits: { cpu: `${cpuLimit}m`, memory: `${memoryLimit}Mi` },
  };
}
