/** The formats {@link formatProblem} checks. */
export const CHECKED_FORMATS: ReadonlySet<unknown> = new Set(['int32', 'int64', 'date-time', 'date', 'byte']);

/**
 * The `format`s kube-apiserver enforces on custom resources (kube-openapi's validator with the
 * strfmt registry), for those the CRDs this library knows use: integer `int32`/`int64` ranges,
 * string `date-time`, `date` and `byte`. Other formats (`double`, `float` and those no known CRD
 * uses) pass, as the ajv check runs with formats off.
 *
 * @returns what is wrong with the value, or undefined when its format is satisfied or not checked
 */
export function formatProblem(format: unknown, value: unknown): string | undefined {
  switch (format) {
    case 'int32':
      return typeof value === 'number' && (value < -(2 ** 31) || value > 2 ** 31 - 1) ? `must be a 32-bit integer (format int32), got ${value}` : undefined;
    case 'int64':
      return typeof value === 'number' && (value < -(2 ** 63) || value >= 2 ** 63) ? `must be a 64-bit integer (format int64), got ${value}` : undefined;
    case 'date-time':
      return typeof value === 'string' && parseDateTime(value) === undefined
        ? `must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z (format date-time), got ${JSON.stringify(value)}` : undefined;
    case 'date':
      return typeof value === 'string' && parseDateTime(`${value}T00:00:00Z`) === undefined
        ? `must be a date such as 2026-01-31 (format date), got ${JSON.stringify(value)}` : undefined;
    case 'byte':
      return typeof value === 'string' && !isBase64(value) ? `must be base64-encoded data (format byte), got ${JSON.stringify(value)}` : undefined;
    default:
      return undefined;
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// strfmt's DateTimePattern: hh:mm:ss, an optional fraction (after any one character), `Z` or an
// offset; the date before it and the `T` between are checked apart.
const TIME = /^(\d{2}):(\d{2}):(\d{2})(.\d+)?(z|[+-](\d{2}):(\d{2}))$/i;

/**
 * Milliseconds since the epoch of a date-time as strfmt's `IsDateTime` accepts it (which the API
 * server validates `format: date-time` with), or undefined when it does not.
 */
export function parseDateTime(text: string): number | undefined {
  const split = text.search(/t/i);
  if (split < 0) {
    return undefined;
  }
  const date = DATE.exec(text.slice(0, split));
  const time = TIME.exec(text.slice(split + 1));
  if (!date || !time) {
    return undefined;
  }
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const [hours, minutes, seconds] = [Number(time[1]), Number(time[2]), Number(time[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hours > 23 || minutes > 59 || seconds > 59) {
    return undefined;
  }
  const offsetMinutes = time[5].toLowerCase() === 'z' ? 0 : (time[5][0] === '-' ? -1 : 1) * (Number(time[6]) * 60 + Number(time[7]));
  const fraction = time[4] ? Math.floor(Number(`0.${time[4].slice(1)}`) * 1000) : 0;
  return Date.UTC(year, month - 1, day, hours, minutes, seconds, fraction) - offsetMinutes * 60_000;
}

/** Go's `base64.StdEncoding.DecodeString`, which ignores line breaks and wants the padding. */
function isBase64(text: string): boolean {
  return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text.replace(/[\r\n]/g, ''));
}
