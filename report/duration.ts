/**
 * Durations as a drill's `objectives` write them (ISO 8601: `PT1H`, `P1D`, `PT30M`) and as a reader wants
 * them (`1h 12m`). The report may import only `errors/` and `drills/`, so it reads them itself.
 */
const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Seconds in an ISO 8601 duration (a year 365 days, a month 30), or undefined when it is not one. */
export function durationSeconds(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const [y, mo, w, d, h, mi] = m.slice(1, 7).map((x) => Number(x ?? 0));
  const s = Number(m[7] ?? 0);
  return (((y * 365 + mo * 30 + w * 7 + d) * 24 + h) * 60 + mi) * 60 + s;
}

/** `42s`, `4m 16s`, `1h 02m`, `2d 03h`: two units at most, rounded down to whole seconds. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  if (days > 0) return hours > 0 ? `${days}d ${two(hours)}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${two(minutes)}m` : `${hours}h`;
  if (minutes > 0) return rest > 0 ? `${minutes}m ${two(rest)}s` : `${minutes}m`;
  return `${rest}s`;
}
