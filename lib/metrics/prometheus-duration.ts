import { Duration } from 'cdk8s';

const UNITS: ReadonlyArray<readonly [string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]];
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Renders a duration in Prometheus' syntax (`1m30s`), the form prometheus-operator's CRDs accept.
 * @throws unless the duration is a positive whole number of milliseconds, naming `field`
 */
export function prometheusDuration(field: string, duration: Duration): string {
  const totalMillis = duration.toMilliseconds({ integral: false });
  if (!Number.isInteger(totalMillis) || totalMillis <= 0) {
    throw new Error(`${field} must be a positive whole number of milliseconds, such as Duration.seconds(15), got ${duration.toHumanString()}`);
  }
  let rest = totalMillis;
  let rendered = '';
  for (const [unit, millis] of UNITS) {
    const count = Math.floor(rest / millis);
    if (count > 0) {
      rendered += `${count}${unit}`;
      rest -= count * millis;
    }
  }
  return rendered;
}

/** Throws unless `name` is a Prometheus label name, naming `field`. */
export function assertPrometheusLabelName(field: string, name: string): void {
  if (!LABEL_NAME.test(name)) {
    throw new Error(`${field} must be a Prometheus label name (letters, digits and '_', not starting with a digit), got '${name}'`);
  }
}
