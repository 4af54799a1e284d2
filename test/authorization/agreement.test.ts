import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { AuthorizationMode, LimitedCall, Manifest, MeshService, MeshValidation, SidecarScoping, WorkloadNamespace } from '../../lib';
import { seededRandom } from '../helpers/random';

/**
 * The agreement of the two things the declared calls become: the Sidecar egress hosts (what each
 * namespace's proxies can reach) and the AuthorizationPolicies (what each service lets in). Both
 * graphs are read back from the rendered objects only, and compared with the calls as declared
 * (the example's mesh.yaml read on its own, or the generator's list), so neither side is checked
 * against the code that wrote it.
 */

/** A declared call: a caller (service account, or a whole namespace) to a service or a whole namespace. */
interface DeclaredCall {
  readonly from: { readonly namespace: string; readonly serviceAccount?: string };
  readonly to: { readonly namespace: string; readonly service?: string };
  readonly ports?: readonly number[];
  readonly methods?: readonly string[];
  readonly paths?: readonly string[];
}

/** A service as declared: namespace, name, selector, Service ports (target ports are the same here). */
interface DeclaredService {
  readonly namespace: string;
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly number[];
}

interface Mesh {
  readonly services: readonly DeclaredService[];
  readonly calls: readonly DeclaredCall[];
  /** The app's workload namespaces. */
  readonly namespaces: readonly string[];
}

const TRUST_DOMAIN = 'cluster.local';

function ruleKeys(caller: string, ports: readonly string[], methods?: readonly string[], paths?: readonly string[]): string {
  return JSON.stringify([caller, [...ports].sort(), methods ? [...methods].sort() : null, paths ? [...paths].sort() : null]);
}

/** Per `namespace/service`, what its policy must allow: one key per caller and operation. */
function expectedRules(mesh: Mesh): Map<string, Set<string>> {
  const expected = new Map<string, Set<string>>();
  for (const call of mesh.calls) {
    const callees = mesh.services.filter((s) => s.namespace === call.to.namespace && (call.to.service === undefined || s.name === call.to.service));
    const caller = call.from.serviceAccount === undefined ? `ns:${call.from.namespace}` : `p:${TRUST_DOMAIN}/ns/${call.from.namespace}/sa/${call.from.serviceAccount}`;
    for (const callee of callees) {
      const key = `${callee.namespace}/${callee.name}`;
      expected.set(key, new Set([...expected.get(key) ?? [], ruleKeys(caller, (call.ports ?? callee.ports).map(String), call.methods, call.paths)]));
    }
  }
  return expected;
}

/** The service a policy selects, by its selector against the declared selectors. */
function selectedService(mesh: Mesh, policy: any): DeclaredService {
  const selector = policy.spec.selector.matchLabels;
  const matches = mesh.services.filter((s) => s.namespace === policy.metadata.namespace && Object.entries(selector).every(([k, v]) => s.selector[k] === v));
  expect(matches).toHaveLength(1);
  return matches[0];
}

/** Per `namespace/service`, what its rendered policy allows. */
function renderedRules(mesh: Mesh, manifests: readonly Manifest[]): Map<string, Set<string>> {
  const rendered = new Map<string, Set<string>>();
  for (const policy of manifests.filter((m) => m.kind === 'AuthorizationPolicy') as any[]) {
    if (policy.metadata.name === 'allow-nothing') {
      expect(policy.spec).toEqual({});
      continue;
    }
    expect(policy.spec.action).toBe('ALLOW');
    const service = selectedService(mesh, policy);
    const keys = new Set<string>();
    for (const rule of policy.spec.rules) {
      const callers = rule.from.flatMap((from: any) => [
        ...(from.source.principals ?? []).map((p: string) => `p:${p}`),
        ...(from.source.namespaces ?? []).map((n: string) => `ns:${n}`),
      ]);
      for (const caller of callers) {
        for (const to of rule.to) {
          keys.add(ruleKeys(caller, to.operation.ports, to.operation.methods, to.operation.paths));
        }
      }
    }
    rendered.set(`${service.namespace}/${service.name}`, keys);
  }
  return rendered;
}

/** Namespace-level call edges `callerNamespace -> namespace/service` between different namespaces of the app, from the Sidecars. */
function sidecarGraph(mesh: Mesh, manifests: readonly Manifest[]): Set<string> {
  const edges = new Set<string>();
  for (const sidecar of manifests.filter((m) => m.kind === 'Sidecar') as any[]) {
    const caller = sidecar.metadata.namespace;
    if (!mesh.namespaces.includes(caller)) {
      continue;
    }
    for (const host of sidecar.spec.egress[0].hosts as string[]) {
      const [namespace, dnsName] = host.split('/');
      if (namespace === '.' || namespace === caller || !mesh.namespaces.includes(namespace)) {
        continue;
      }
      mesh.services.filter((s) => s.namespace === namespace && (dnsName === '*' || dnsName === `${s.name}.${s.namespace}.svc.cluster.local`))
        .forEach((s) => edges.add(`${caller} -> ${s.namespace}/${s.name}`));
    }
  }
  return edges;
}

/** The same edges from the AuthorizationPolicies: each caller's namespace to the selected service. */
function policyGraph(mesh: Mesh, manifests: readonly Manifest[]): Set<string> {
  const edges = new Set<string>();
  for (const [service, keys] of renderedRules(mesh, manifests)) {
    for (const key of keys) {
      const caller: string = JSON.parse(key)[0];
      const namespace = caller.startsWith('ns:') ? caller.slice(3) : caller.split('/ns/')[1].split('/sa/')[0];
      if (mesh.namespaces.includes(namespace) && namespace !== service.split('/')[0]) {
        edges.add(`${namespace} -> ${service}`);
      }
    }
  }
  return edges;
}

function expectAgreement(mesh: Mesh, manifests: readonly Manifest[]): { calls: number; policies: number } {
  // THEN the Sidecars and the policies give the same graph, call for call
  const fromSidecars = sidecarGraph(mesh, manifests);
  const fromPolicies = policyGraph(mesh, manifests);
  expect([...fromPolicies].sort()).toEqual([...fromSidecars].sort());
  // AND the policies allow exactly the declared calls, nothing else (also within a namespace)
  const expected = expectedRules(mesh);
  const rendered = renderedRules(mesh, manifests);
  expect(Object.fromEntries([...rendered].map(([k, v]) => [k, [...v].sort()]).sort()))
    .toEqual(Object.fromEntries([...expected].map(([k, v]) => [k, [...v].sort()]).sort()));
  // AND every workload namespace denies what no policy allows
  const allowNothing = manifests.filter((m) => m.kind === 'AuthorizationPolicy' && m.metadata?.name === 'allow-nothing').map((m) => m.metadata!.namespace).sort();
  expect(allowNothing).toEqual([...mesh.namespaces].sort());
  return { calls: fromSidecars.size, policies: rendered.size };
}

/** The calls of the zero-trust example, read from its mesh.yaml by the rules of the mesh.yaml reference. */
function meshOfExample(spec: any): Mesh {
  const namespaces: Record<string, any> = spec.workloads.namespaces;
  const services: DeclaredService[] = Object.entries(namespaces).flatMap(([namespace, ns]) => Object.entries(ns.services ?? {})
    .map(([name, service]: [string, any]) => ({ namespace, name, selector: service.selector ?? { app: name }, ports: service.ports })));
  const account = (namespace: string, name: string) => namespaces[namespace].services[name].serviceAccount?.name ?? name;
  const target = (from: string, to: string): DeclaredCall['to'] => {
    const [first, second] = to.split('/');
    if (second !== undefined) {
      return { namespace: first, service: second };
    }
    return namespaces[from].services?.[first] ? { namespace: from, service: first } : { namespace: first };
  };
  const calls: DeclaredCall[] = [];
  const addCalls = (from: DeclaredCall['from'], list: any[] | undefined) => (list ?? []).forEach((call) => {
    const { to, ...operation } = typeof call === 'string' ? { to: call } : call;
    calls.push({ from, to: target(from.namespace, to), ...operation });
  });
  for (const [namespace, ns] of Object.entries(namespaces)) {
    addCalls({ namespace }, ns.calls);
    for (const [name, service] of Object.entries(ns.services ?? {}) as [string, any][]) {
      addCalls({ namespace, serviceAccount: account(namespace, name) }, service.calls);
      for (const caller of service.callers ?? []) {
        const [callerNamespace, serviceAccount] = caller.split('/');
        calls.push({ from: { namespace: callerNamespace, serviceAccount }, to: { namespace, service: name } });
      }
    }
  }
  const gateway = spec.ingressGateway;
  for (const route of gateway?.gatewayApi?.routes ?? []) {
    const [namespace, service] = route.service.split('/');
    calls.push({ from: { namespace: gateway.namespace, serviceAccount: `${gateway.name}-istio` }, to: { namespace, service } });
  }
  return { services, calls, namespaces: Object.keys(namespaces) };
}

/** A mesh of `count` namespaces with calls of every kind, built through the TypeScript API, and its calls as declared. */
function generatedMesh(count: number): { chart: Chart; mesh: Mesh } {
  const next = seededRandom(13);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const app = Testing.app();
  // istio-system is the root namespace the Sidecars name; this chart does not render it.
  MeshValidation.of(app).addExternalNamespaces('istio-system');
  const chart = new Chart(app, 'mesh');
  const scoping = new SidecarScoping(chart, 'scoping', { authorization: AuthorizationMode.ENFORCE });
  const namespaces: WorkloadNamespace[] = [];
  const services: MeshService[] = [];
  for (let i = 0; i < count; i++) {
    const name = `team-${String(i).padStart(3, '0')}`;
    const namespace = scoping.addNamespace(name, { name, authorizationMode: i % 10 === 0 ? AuthorizationMode.DRY_RUN : undefined });
    namespaces.push(namespace);
    for (const service of ['api', 'worker', 'web'].slice(0, 1 + Math.floor(next() * 3))) {
      services.push(namespace.addService(service, { ports: next() < 0.3 ? [8080, 9090] : [8080] }));
    }
  }
  const calls: DeclaredCall[] = [];
  for (const namespace of namespaces) {
    for (let k = Math.floor(next() * 4); k > 0; k--) {
      const asNamespace = next() < 0.2;
      const caller = asNamespace ? namespace : pick(namespace.services);
      const from = { namespace: namespace.name, ...asNamespace ? {} : { serviceAccount: (caller as MeshService).serviceAccountName } };
      const roll = next();
      if (roll < 0.25) {
        const target = pick(namespaces);
        caller.calls(target);
        calls.push({ from, to: { namespace: target.name } });
      } else {
        // Within the own namespace now and then: the Sidecar's ./* covers it, the policy must still allow it.
        const target = next() < 0.2 ? pick(namespace.services) : pick(services);
        const to = { namespace: target.namespaceName, service: target.name };
        if (roll < 0.5) {
          const ports = target.ports.length > 1 ? [target.ports[1]] : undefined;
          caller.calls(LimitedCall.to(target, { ports, methods: ['GET'], paths: ['/v1/*'] }));
          calls.push({ from, to, ports, methods: ['GET'], paths: ['/v1/*'] });
        } else {
          caller.calls(target);
          calls.push({ from, to });
        }
      }
    }
  }
  return {
    chart,
    mesh: {
      services: services.map((s) => ({ namespace: s.namespaceName, name: s.name, selector: s.selector, ports: s.ports })),
      calls,
      namespaces: namespaces.map((n) => n.name),
    },
  };
}

describe('Sidecar egress and AuthorizationPolicies agree', () => {
  test('in the zero-trust example, call for call, and nothing undeclared is allowed', () => {
    // GIVEN the example's mesh.yaml and its committed output
    const root = path.join(__dirname, '..', '..', 'examples', 'zero-trust');
    const spec = yaml.load(fs.readFileSync(path.join(root, 'mesh.yaml'), 'utf8'));
    const manifests = fs.readdirSync(path.join(root, 'dist')).filter((f) => f.endsWith('.k8s.yaml'))
      .flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(root, 'dist', f), 'utf8')) as Manifest[]);
    // WHEN / THEN
    const { calls, policies } = expectAgreement(meshOfExample(spec), manifests);
    expect(calls).toBe(3);
    expect(policies).toBe(4);
  });

  test('in a generated mesh of 200 namespaces, which passes the whole-output checks', () => {
    // GIVEN
    const { chart, mesh } = generatedMesh(200);
    // WHEN synthesized with the app's validation (schemas and the AuthorizationPolicy analysis)
    const manifests = Testing.synth(chart) as Manifest[];
    // THEN
    const { calls, policies } = expectAgreement(mesh, manifests);
    expect(calls).toBeGreaterThan(200);
    expect(policies).toBeGreaterThan(150);
    expect(mesh.calls.filter((c) => c.to.namespace === c.from.namespace).length).toBeGreaterThan(10);
  });
});
