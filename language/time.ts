const UTC_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?(?:Z|\+00:00)$/;
const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Parses an ISO 8601 UTC time as specs write it. Returns undefined when the text is not of that form,
 * and an Invalid Date when it is of the form but not a real instant (e.g. February 30).
 */
export function parseUtcTime(text: string): Date | undefined {
  const m = UTC_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const ms = Number(((m[7] ?? "") + "000").slice(0, 3));
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return real ? date : new Date(NaN);
}

/** The time as the service writes it: seven fraction digits and `Z` (e.g. 2021-07-08T00:00:00.0000000Z). */
export function toServiceTime(text: string): string {
  const m = UTC_TIME.exec(text);
  if (!m) throw new Error(`not a UTC time: ${text}`);
  const fraction = ((m[7] ?? "") + "0000000").slice(0, 7);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${fraction}Z`;
}

/** Milliseconds in an ISO 8601 duration (years and months as 365 and 30 days), or undefined if malformed. */
export function durationMs(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const [y, mo, w, d, h, mi] = m.slice(1, 7).map((x) => Number(x ?? 0));
  const s = Number(m[7] ?? 0);
  return ((((y * 365 + mo * 30 + w * 7 + d) * 24 + h) * 60 + mi) * 60 + s) * 1000;
}

export function durationDays(text: string): number | undefined {
  const ms = durationMs(text);
  return ms === undefined ? undefined : ms / 86_400_000;
}
