/**
 * Time and duration formats as the Data Protection service writes them: ISO 8601 date-times in UTC with
 * trailing zeros of the fraction dropped ("2021-07-08T20:46:56Z", "2021-07-08T20:44:19.546Z") and ISO 8601
 * durations ("PT4M16.283S").
 */

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch of a strict ISO 8601 date-time (with a zone), or undefined. */
export function parseDateTime(text: string): number | undefined {
  if (!ISO_DATE_TIME.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `2021-07-08T20:44:19.546Z`; `2021-07-08T20:46:56Z` when the fraction is zero. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_m, digits: string) => (digits ? `.${digits}Z` : "Z"));
}

/** Whole seconds, as the service writes an operation's endTime: `2021-07-08T20:46:56Z`. */
export function formatDateTimeSeconds(ms: number): string {
  return formatDateTime(Math.floor(ms / 1000) * 1000);
}

/** The endTime an operation reports while it runs. */
export const UNSET_DATE_TIME = "0001-01-01T00:00:00Z";

const ISO_DURATION =
  /^P(?!$)(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?=\d)(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/** Milliseconds of an ISO 8601 duration (a year counts 365 days, a month 30), or undefined. */
export function parseDuration(text: string): number | undefined {
  const m = ISO_DURATION.exec(text);
  if (!m) return undefined;
  const n = (i: number) => (m[i] ? Number(m[i].replace(",", ".")) : 0);
  const days = n(1) * 365 + n(2) * 30 + n(3) * 7 + n(4);
  const seconds = days * 86400 + n(5) * 3600 + n(6) * 60 + n(7);
  return Math.round(seconds * 1000);
}

/** `PT4M16.283S`, `PT0S`, `P1DT2H`. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  let time = "";
  if (hours) time += `${hours}H`;
  if (minutes) time += `${minutes}M`;
  if (seconds || (!days && !hours && !minutes)) time += `${Number(seconds.toFixed(3))}S`;
  return `P${days ? `${days}D` : ""}${time ? `T${time}` : ""}`;
}
