import { Duration } from 'cdk8s';

type Units = ReadonlyArray<readonly [string, number]>;

const GO_UNITS: Units = [['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]];
const PROMETHEUS_UNITS: Units = [['d', 86_400_000], ...GO_UNITS];
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Renders a duration in Prometheus' syntax (`1m30s`), the form prometheus-operator's CRDs accept.
 * @throws unless the duration is a positive whole number of milliseconds, naming `field`
 */
export function prometheusDuration(field: string, duration: Duration): string {
  return render(field, duration, PROMETHEUS_UNITS);
}

/**
 * Renders a duration in Go's syntax (`36h`, `1m30s`), the form grafana-operator's CRDs
 * accept: unlike Prometheus, Go has no days.
 * @throws unless the duration is a positive whole number of milliseconds, naming `field`
 */
export function goDuration(field: string, duration: Duration): string {
  return render(field, duration, GO_UNITS);
}

function render(field: string, duration: Duration, units: Units): string {
  const totalMillis = duration.toMilliseconds({ integral: false });
  if (!Number.isInteger(totalMillis) || totalMillis <= 0) {
    throw new Error(`${field} must be a positive whole number of milliseconds, such as Duration.seconds(15), got ${duration.toHumanString()}`);
  }
  let rest = totalMillis;
  let rendered = '';
  for (const [unit, millis] of units) {
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
