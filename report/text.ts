/**
 * Text as the renderers write it. Instance IDs, check details and error messages are user and service
 * data: every renderer escapes them for its format, here.
 */
import type { Rate } from "./summary";

const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** For HTML text and attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]);
}

/**
 * For a GitHub-flavoured Markdown table cell: one line, no HTML (job summaries render it), no pipe
 * closing the cell, no emphasis, link or code span made of the data.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|~#!])/g, "\\$1");
}

/** `testBkpVault/pgflex-orders-…` for a backup instance's ARM ID; anything else as it is. */
export function shortInstance(id: string): string {
  const m = /\/backupVaults\/([^/]+)\/backupInstances\/([^/]+)\/?$/i.exec(id);
  return m ? `${m[1]}/${m[2]}` : id;
}

/** `2025-06-08 02:00 UTC` for an ISO 8601 time; the text as it is when it is not one. */
export function formatTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `3/5 (60%)`, or `—` with nothing to count. */
export function formatRate(r: Rate): string {
  return r.rate === null ? "—" : `${r.passed}/${r.of} (${Math.round(r.rate * 100)}%)`;
}
