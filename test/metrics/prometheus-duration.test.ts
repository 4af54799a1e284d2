import { Duration } from 'cdk8s';
import { goDuration, prometheusDuration } from '../../lib/metrics/prometheus-duration';

describe('prometheusDuration', () => {
  test.each([
    [Duration.seconds(15), '15s'],
    [Duration.seconds(90), '1m30s'],
    [Duration.millis(1500), '1s500ms'],
    [Duration.hours(36), '1d12h'],
  ])('renders %s as %s', (duration, expected) => {
    expect(prometheusDuration('interval', duration)).toBe(expected);
  });

  test('rejects zero and fractions of a millisecond, naming the field', () => {
    expect(() => prometheusDuration('scrapeInterval', Duration.seconds(0))).toThrow(/^scrapeInterval must be a positive whole number of milliseconds/);
    expect(() => prometheusDuration('retention', Duration.millis(1.5))).toThrow(/^retention must be/);
  });

  test('renders Go durations without days', () => {
    expect(goDuration('resyncPeriod', Duration.hours(36))).toBe('36h');
    expect(goDuration('resyncPeriod', Duration.seconds(90))).toBe('1m30s');
    expect(() => goDuration('resyncPeriod', Duration.seconds(0))).toThrow(/^resyncPeriod must be a positive/);
  });
});
