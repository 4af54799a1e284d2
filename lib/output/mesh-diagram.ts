import * as yaml from 'js-yaml';
import { classifyHost } from '../core/cluster-host';
import { Manifest } from '../validation/crd-schema-validator';

/** How many namespaces the diagram draws one by one before it folds the rest into one node. */
const MAX_DRAWN_NAMESPACES = 40;

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

/**
 * Renders `MESH.md`: a Mermaid diagram of the mesh read back from the synthesized manifests, so it
 * shows what will be applied, not what was meant: namespaces, the control plane, gateways, the
 * tracing, metrics and Kiali wiring, and the Sidecar egress edges between namespaces. Namespaces
 * of the ambient data plane (`istio.io/dataplane-mode=ambient`) are drawn as rounded nodes and
 * say so, with their waypoints; sidecar namespaces as boxes.
 */
export function renderMeshDiagram(manifests: readonly Manifest[]): string {
  const components = new Map<string, Set<string>>();
  const edges: Edge[] = [];
  const ambientNamespaces = new Set<string>();
  const addComponent = (namespace: string, label: string) => {
    if (!components.has(namespace)) {
      components.set(namespace, new Set());
    }
    if (label) {
      components.get(namespace)!.add(label);
    }
  };
  const hostNamespace = (urlOrAddress: string): string | undefined => {
    const target = classifyHost(urlOrAddress.replace(/^[a-z]+:\/\//, '').split(/[:/]/)[0]);
    return target.inCluster ? target.namespace : undefined;
  };
  const addEdge = (fromNamespace: string, urlOrHost: string | undefined, label: string) => {
    const target = urlOrHost ? hostNamespace(urlOrHost) : undefined;
    if (target) {
      addComponent(target, '');
      edges.push({ from: fromNamespace, to: target, label });
    }
  };

  for (const manifest of manifests) {
    const namespace = manifest.metadata?.namespace;
    const name = manifest.metadata?.name ?? '';
    const spec = (manifest.spec ?? {}) as Record<string, any>;
    switch (manifest.kind) {
      case 'Namespace': {
        const labels = (manifest.metadata?.labels ?? {}) as Record<string, string>;
        if (labels['istio.io/dataplane-mode'] === 'ambient') {
          ambientNamespaces.add(name);
          addComponent(name, 'ambient data plane: no sidecars, ztunnel at L4');
          if (labels['istio.io/use-waypoint']) {
            addComponent(name, `L7 through waypoint ${labels['istio.io/use-waypoint']}`);
          }
        } else {
          addComponent(name, '');
        }
        break;
      }
      case 'Istio':
      case 'IstioOperator': {
        const controlPlaneNamespace = spec.namespace ?? namespace ?? 'istio-system';
        addComponent(controlPlaneNamespace, `control plane (${manifest.kind} ${name})`);
        const meshConfig = spec.values?.meshConfig ?? spec.meshConfig ?? {};
        addEdge(controlPlaneNamespace, meshConfig.defaultConfig?.tracing?.zipkin?.address, 'spans (zipkin)');
        for (const provider of meshConfig.extensionProviders ?? []) {
          addEdge(controlPlaneNamespace, provider.zipkin?.service ?? provider.opentelemetry?.service, `spans (${provider.name})`);
        }
        break;
      }
      case 'IstioCNI':
        addComponent(spec.namespace ?? 'istio-cni', 'Istio CNI node agent');
        break;
      case 'ZTunnel':
        addComponent(spec.namespace ?? 'ztunnel', 'ztunnel node proxy (ambient)');
        break;
      case 'Deployment': {
        const annotations = spec.template?.metadata?.annotations ?? {};
        addComponent(namespace!, annotations['inject.istio.io/templates'] === 'gateway' ? `gateway ${name}` : `Deployment ${name}`);
        break;
      }
      case 'Gateway':
        if (manifest.apiVersion.startsWith('gateway.networking.k8s.io/') && spec.gatewayClassName === 'istio-waypoint') {
          const trafficFor = (manifest.metadata?.labels as Record<string, string> | undefined)?.['istio.io/waypoint-for'] ?? 'service';
          addComponent(namespace!, `waypoint ${name} (L7 proxy, for ${trafficFor})`);
        } else if (manifest.apiVersion.startsWith('gateway.networking.k8s.io/')) {
          addComponent(namespace!, `Gateway ${name} (${spec.gatewayClassName})`);
        } else if (manifest.apiVersion.startsWith('networking.istio.io/')) {
          addComponent(namespace!, `Istio Gateway ${name}`);
        }
        break;
      case 'HTTPRoute':
        // A route attaches its namespace's service to a gateway: traffic flows gateway -> namespace.
        for (const parent of spec.parentRefs ?? []) {
          if ((parent.kind ?? 'Gateway') === 'Gateway' && (parent.namespace ?? namespace) !== namespace) {
            addComponent(parent.namespace, '');
            edges.push({ from: parent.namespace, to: namespace!, label: `routes ${(spec.hostnames ?? []).join(', ')}`.trim() });
          }
        }
        break;
      case 'VirtualService':
        // Bound to a gateway elsewhere, a VirtualService routes from that gateway's namespace into its own.
        for (const gateway of spec.gateways ?? []) {
          const gatewayNamespace = String(gateway).includes('/') ? String(gateway).split('/')[0] : namespace;
          if (gateway !== 'mesh' && gatewayNamespace !== namespace) {
            addComponent(gatewayNamespace!, '');
            edges.push({ from: gatewayNamespace!, to: namespace!, label: `routes ${(spec.hosts ?? []).join(', ')}`.trim() });
          }
        }
        break;
      case 'Jaeger':
        addComponent(namespace!, `Jaeger ${name}`);
        break;
      case 'Prometheus':
        addComponent(namespace!, `Prometheus ${name}`);
        break;
      case 'GrafanaDatasource':
        addComponent(namespace!, `Grafana datasource ${name}`);
        addEdge(namespace!, spec.datasource?.url, 'queries');
        break;
      case 'Kiali':
        addComponent(namespace!, `Kiali ${name}`);
        addKialiEdges(namespace!, spec.external_services ?? {}, addEdge);
        break;
      case 'ConfigMap':
        // Kiali's addon config: a `config.yaml` with Kiali's external_services section.
        if (typeof (manifest.data as Record<string, string> | undefined)?.['config.yaml'] === 'string') {
          const config = yaml.load((manifest.data as Record<string, string>)['config.yaml']) as Record<string, any>;
          if (config?.external_services) {
            addKialiEdges(namespace!, config.external_services, addEdge);
          }
        }
        break;
      case 'Sidecar':
        for (const egress of spec.egress ?? []) {
          for (const host of egress.hosts ?? []) {
            const target = String(host).split('/')[0];
            if (target !== '.' && target !== '*' && target !== '~' && target !== namespace) {
              addComponent(target, '');
              edges.push({ from: namespace!, to: target, label: 'egress' });
            }
          }
        }
        break;
      case 'AuthorizationPolicy':
        addAllowedCalls(namespace!, name, (manifest.metadata?.annotations as Record<string, string> | undefined)?.['istio.io/dry-run'] === 'true', spec, addComponent, edges);
        break;
      default:
        break;
    }
  }

  const namespaces = [...components.keys()].sort();
  const drawn = new Set(namespaces.slice(0, MAX_DRAWN_NAMESPACES));
  const nodeOf = (namespace: string) => (drawn.has(namespace) ? nodeId(namespace) : FOLDED_NODE);
  const lines = ['flowchart LR'];
  for (const namespace of drawn) {
    const labels = [...components.get(namespace)!].sort().map(mermaidText);
    const body = labels.length > 0 ? `<br/>${labels.join('<br/>')}` : '';
    // Rounded (stadium) nodes for ambient namespaces, boxes for the others.
    const [open, close] = ambientNamespaces.has(namespace) ? ['(["', '"])'] : ['["', '"]'];
    lines.push(`  ${nodeOf(namespace)}${open}<b>${mermaidText(namespace)}</b>${body}${close}`);
  }
  if (namespaces.length > drawn.size) {
    lines.push(`  ${FOLDED_NODE}["${namespaces.length - drawn.size} more namespaces"]`);
  }
  const seen = new Set<string>();
  for (const edge of edges) {
    const line = `  ${nodeOf(edge.from)} -->|"${mermaidText(edge.label)}"| ${nodeOf(edge.to)}`;
    if (nodeOf(edge.from) !== nodeOf(edge.to) && !seen.has(line)) {
      seen.add(line);
      lines.push(line);
    }
  }
  return [
    '# Mesh diagram',
    '',
    'Generated by `npm run synth` from the manifests in this folder: namespaces with what runs in them, and the',
    'wiring between them (spans, metric queries, Kiali links, Sidecar egress).',
    ...(ambientNamespaces.size > 0 ? ['Rounded nodes are namespaces of the ambient data plane (no sidecars, so no Sidecar egress edges),', 'boxes the others.'] : []),
    '',
    '```mermaid',
    ...lines,
    '```',
    '',
  ].join('\n');
}

/** Id of the node of the namespaces beyond {@link MAX_DRAWN_NAMESPACES}: no namespace's id has this form. */
const FOLDED_NODE = 'more_namespaces';

/**
 * A node id per namespace, distinct for distinct names: `ns_istio_system` for a DNS label (which
 * has no `_`), `nx_<hex of the UTF-8 bytes>` for any other name a manifest may carry. Ids stay
 * letters, digits and `_`, which Mermaid never reads as syntax or as a keyword such as `end`.
 */
function nodeId(namespace: string): string {
  return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)
    ? `ns_${namespace.replace(/-/g, '_')}`
    : `nx_${Buffer.from(namespace, 'utf8').toString('hex')}`;
}

/**
 * Text for inside a quoted Mermaid label (`["..."]`, `|"..."|`), shown as written: Mermaid's
 * entity codes (`#<decimal>;`) stand for the characters that would end the quote or the edge
 * label (`"`, `|`), start an entity (`#`, `&`), open HTML (`<`, `>`; Mermaid renders labels as
 * HTML), a Markdown string (a backtick) or a directive (`%`: Mermaid strips `%%{...}%%` from the
 * whole text before parsing); `:` too, because before parsing Mermaid also drops the last `;` of
 * any line matching `style.*:\S*#.*;` (meant for `style x fill:#f9f;`), which would break the
 * entity codes of a name containing `style`. Line breaks become spaces.
 */
function mermaidText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[#&"<>|`%:]/g, (character) => `#${character.charCodeAt(0)};`);
}

function addKialiEdges(namespace: string, services: Record<string, any>, addEdge: (from: string, url: string | undefined, label: string) => void): void {
  addEdge(namespace, services.prometheus?.url, 'metrics');
  addEdge(namespace, services.grafana?.internal_url, 'dashboards');
  addEdge(namespace, services.tracing?.internal_url, 'traces');
}

/**
 * The calls an AuthorizationPolicy allows: an edge from each calling namespace (of a principal
 * `<trust domain>/ns/<ns>/sa/<sa>`, or a `namespaces` entry), labelled with the policy and its
 * ports; a caller in the policy's own namespace is listed in that namespace's node.
 */
function addAllowedCalls(namespace: string, policyName: string, dryRun: boolean, spec: Record<string, any>, addComponent: (namespace: string, label: string) => void, edges: Edge[]): void {
  for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
    const ports = (rule.to ?? []).flatMap((to: any) => to.operation?.ports ?? []);
    const label = `allowed by ${policyName}${ports.length > 0 ? ` on ${ports.join(', ')}` : ''}${dryRun ? ' (dry run)' : ''}`;
    for (const from of rule.from ?? []) {
      const callers: [string, string][] = [
        ...(from.source?.principals ?? []).map((principal: string) => /\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(String(principal))).filter(Boolean).map((m: RegExpExecArray): [string, string] => [m[1], m[2]]),
        ...(from.source?.namespaces ?? []).map((caller: string): [string, string] => [String(caller), '*']),
      ];
      for (const [callerNamespace, account] of callers) {
        if (callerNamespace === namespace) {
          addComponent(namespace, `${account === '*' ? 'any workload' : `sa ${account}`} ${label}`);
        } else {
          addComponent(callerNamespace, '');
          edges.push({ from: callerNamespace, to: namespace, label });
        }
      }
    }
  }
}
