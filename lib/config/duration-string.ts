import { Duration } from 'cdk8s';

const UNIT_MILLIS: Readonly<Record<string, number>> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
const PART = /([0-9]+)(ms|s|m|h|d)/g;
const WHOLE = /^([0-9]+(ms|s|m|h|d))+$/;

/**
 * A duration of mesh.yaml (`15s`, `1m30s`, `15d`; the DurationString of the schema) as a cdk8s
 * Duration.
 * @throws if `text` is not such a duration, naming `field`
 */
export function parseDurationString(field: string, text: string): Duration {
  if (!WHOLE.test(text)) {
    throw new Error(`${field} must be a duration such as 15s, 1m30s or 15d (units ms, s, m, h, d), got '${text}'`);
  }
  let millis = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    millis += Number(amount) * UNIT_MILLIS[unit];
  }
  return Duration.millis(millis);
}
