/** RFC 1123 label, the form Kubernetes requires for namespace and Service names. */
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Throws unless `value` is a DNS-1123 label (lower case alphanumerics and '-', at most 63
 * characters), naming the field so the user knows which prop to fix.
 */
export function assertDnsLabel(field: string, value: string): void {
  if (value.length > 63 || !DNS_1123_LABEL.test(value)) {
    throw new Error(`${field} must be a DNS-1123 label (lower case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters), got '${value}'`);
  }
}

/** Whether `value` is a DNS-1123 label. */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS_1123_LABEL.test(value);
}
