/**
 * The object without its keys whose value is undefined: a key spelled out as undefined would
 * override a default that constructs apply by spreading (`{ platform: OPENSHIFT, ...props.cni }`),
 * and would stand in rendered objects as an empty entry.
 */
export function defined<T extends object>(props: T): T {
  return Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined)) as T;
}
