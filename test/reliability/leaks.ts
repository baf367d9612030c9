/**
 * Finds what must never leave the client: bearer tokens (JWT-shaped strings), Authorization headers,
 * and secret values. Used on logs, errors, outputs and state captured by the reliability tests.
 */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const AUTHORIZATION = /authorization["']?\s*[:=]\s*["']?bearer\s+(?!REDACTED)\S+/gi;

export function findLeaks(captured: Record<string, unknown>, secrets: string[] = []): string[] {
  const leaks: string[] = [];
  for (const [where, value] of Object.entries(captured)) {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    for (const m of text.match(JWT) ?? []) leaks.push(`${where}: token ${m.slice(0, 12)}…`);
    for (const m of text.match(AUTHORIZATION) ?? []) leaks.push(`${where}: ${m.slice(0, 24)}…`);
    for (const secret of secrets) if (secret && text.includes(secret)) leaks.push(`${where}: secret value`);
  }
  return leaks;
}
