// The name and value rules of the Kubernetes API server (k8s.io/apimachinery/pkg/util/validation,
// k8s.io/apimachinery/pkg/api/resource) and of image references (github.com/distribution/reference),
// checked where a value is received so that a mistake is refused with its field before anything
// is written, instead of by `kubectl apply`.

/** RFC 1123 label, the form Kubernetes requires for namespace names and most object names. */
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1035 label, the stricter form of Service names (they become DNS names, so no leading digit). */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: labels joined by '.', at most 253 characters. */
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The name part of a label key, and a non-empty label value. */
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const DNS_LABEL_RULE = "lower case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
const LABEL_KEY_RULE = "an optional DNS subdomain prefix of at most 253 characters and '/', then a name of at most 63 letters, digits, '-', '_' or '.' starting and ending with a letter or digit, such as 'app' or 'app.kubernetes.io/name'";
const LABEL_VALUE_RULE = "empty, or at most 63 letters, digits, '-', '_' or '.' starting and ending with a letter or digit";

/**
 * Throws unless `value` is a DNS-1123 label (lower case alphanumerics and '-', at most 63
 * characters), naming the field so the user knows which prop to fix.
 */
export function assertDnsLabel(field: string, value: string): void {
  if (!isDnsLabel(value)) {
    throw new Error(`${field} must be a DNS-1123 label (${DNS_LABEL_RULE}), got '${value}'`);
  }
}

/** Whether `value` is a DNS-1123 label. */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS_1123_LABEL.test(value);
}

/** Whether `value` is a DNS-1123 subdomain (such as `app.kubernetes.io`). */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && DNS_1123_SUBDOMAIN.test(value);
}

/**
 * Throws unless `value` is a valid Service name: a DNS-1035 label, which unlike a namespace name
 * must start with a letter.
 */
export function assertServiceName(field: string, value: string): void {
  if (value.length > 63 || !DNS_1035_LABEL.test(value)) {
    throw new Error(`${field} must be a DNS-1035 label, as Kubernetes requires of Service names (lower case letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 characters), got '${value}'`);
  }
}

/** Whether `key` is a label key: `[prefix/]name`, the prefix a DNS subdomain, the name at most 63 characters. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0 && !isDnsSubdomain(key.slice(0, slash))) {
    return false;
  }
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** Whether `value` is a label value: empty, or at most 63 characters of the label name's form. */
export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}

/**
 * Throws unless every key and value of `labels` is one the API server accepts on an object or in
 * a label selector.
 */
export function assertLabels(field: string, labels: Readonly<Record<string, string>> | undefined): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (!isLabelKey(key)) {
      throw new Error(`${field} must have Kubernetes label keys (${LABEL_KEY_RULE}), got key '${key}'`);
    }
    if (typeof value !== 'string' || !isLabelValue(value)) {
      throw new Error(`${field} must have Kubernetes label values (${LABEL_VALUE_RULE}), got '${value}' for key '${key}'`);
    }
  }
}

// Image references as the container runtimes parse them: [domain[:port]/]path[:tag][@digest].
// Runtimes also take an upper-case domain; it is refused here since domains are case-insensitive
// and a lower-case one is the only spelling that registries' mirrors and pull secrets agree on.
const DOMAIN_COMPONENT = '(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const IMAGE_REPOSITORY = new RegExp(`^${REPOSITORY}$`);
const IMAGE_TAG = new RegExp(`^${TAG}$`);
const IMAGE_REFERENCE = new RegExp(`^(${REPOSITORY})(?::${TAG})?(?:@${DIGEST})?$`);
/** The longest repository name registries accept. */
const MAX_REPOSITORY_LENGTH = 255;

/**
 * Throws unless `hub` is an image repository prefix such as `docker.io/istio` or
 * `registry.example.com:5000/mirror/istio`: no scheme, no tag, no trailing '/'.
 */
export function assertImageRepository(field: string, hub: string): void {
  if (hub.length > MAX_REPOSITORY_LENGTH || !IMAGE_REPOSITORY.test(hub)) {
    throw new Error(`${field} must be an image registry path such as docker.io/istio or example.com/istio (lower case, no scheme, no tag, no trailing '/'), got '${hub}'`);
  }
}

/** Throws unless `tag` is an image tag: a letter, digit or '_', then up to 127 of those, '.' or '-'. */
export function assertImageTag(field: string, tag: string): void {
  if (!IMAGE_TAG.test(tag)) {
    throw new Error(`${field} must be an image tag (letters, digits, '_', '.', '-', not starting with '.' or '-', at most 128 characters), got '${tag}'`);
  }
}

/**
 * Throws unless `image` is an image reference a container runtime can pull, such as
 * `docker.io/jaegertracing/jaeger:2.14.0`, `jaegertracing/jaeger` or `example.com/jaeger@sha256:<hex>`.
 */
export function assertImageReference(field: string, image: string): void {
  const match = IMAGE_REFERENCE.exec(image);
  if (!match || match[1].length > MAX_REPOSITORY_LENGTH) {
    throw new Error(`${field} must be an image reference '[registry/]repository[:tag][@digest]' such as docker.io/jaegertracing/jaeger:2.14.0 (lower case repository, no scheme), got '${image}'`);
  }
}

const QUANTITY = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?[0-9]+)|(n|u|m|k|M|G|T|P|E))?$/;
const BINARY_POWERS: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_EXPONENTS: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/**
 * The amount of a Kubernetes quantity (`500m`, `2Gi`, `1.5`, `128974848`, `129e6`, `123Mi`) in
 * base units (cores, bytes).
 * @throws unless `text` is a quantity the API server accepts for a resource (not negative)
 */
export function parseQuantity(field: string, text: string): number {
  const match = QUANTITY.exec(text);
  if (!match || match[1] === '-') {
    throw new Error(`${field} must be a Kubernetes quantity such as 500m, 2, 128Mi or 2Gi, got '${text}'`);
  }
  const [, , number, binary, exponent, decimal] = match;
  if (binary !== undefined) {
    return Number(number) * 1024 ** BINARY_POWERS[binary];
  }
  // Scaled through the string form, so that `1000m` is exactly 1.
  const power = exponent !== undefined ? Number(exponent) : decimal !== undefined ? DECIMAL_EXPONENTS[decimal] : 0;
  return Number(`${number}e${power}`);
}

/**
 * Throws when a container's request of `resource` (`cpu`, `memory`) is above its limit, which the
 * API server refuses.
 */
export function assertRequestWithinLimit(field: string, resource: string, request: string | undefined, limit: string | undefined): void {
  if (request === undefined || limit === undefined) {
    return;
  }
  if (parseQuantity(`${field}.requests.${resource}`, request) > parseQuantity(`${field}.limits.${resource}`, limit)) {
    throw new Error(`${field}: the ${resource} request ${request} is above the ${resource} limit ${limit}, which the API server refuses: lower the request or raise the limit`);
  }
}
