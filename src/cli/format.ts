/** Output helpers for the `limitly` command: aligned tables for people, JSON for scripts. */

/** Longest cell a table shows; longer text ends in an ellipsis (`--json` has it whole). */
export const MAX_CELL = 60;

/** Text for one table line: control characters escaped, so a value can never split or garble a row. */
const ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
function printable(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function cell(v: unknown): string {
  const text = printable(v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

/** An aligned table; any number of rows (widths are found without spreading rows into arguments). */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c) => c.length);
  for (const row of cells) row.forEach((text, i) => (widths[i] = Math.max(widths[i], text.length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const lines = [line(columns), line(widths.map((w) => "-".repeat(w)))];
  for (const row of cells) lines.push(line(row));
  return lines.join("\n");
}

/** One record as `field  value` lines. */
export function record(r: Record<string, unknown>): string {
  const entries = Object.entries(r).filter(([, v]) => v !== undefined);
  const w = Math.max(...entries.map(([k]) => k.length));
  return entries
    .map(([k, v]) => `${k.padEnd(w)}  ${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}`)
    .join("\n");
}

/** A Pulumi resource name from a key's display name: lowercase, dashes, unique. */
export function resourceName(name: string, taken: Set<string>): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "key";
  let n = base;
  for (let i = 2; taken.has(n); i++) n = `${base}-${i}`;
  taken.add(n);
  return n;
}
