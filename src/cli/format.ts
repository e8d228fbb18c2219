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

/** Lowercase ASCII words joined by dashes; accents are dropped (é → e), other scripts leave nothing. */
export function slug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * Pulumi resource names for objects, stable whatever order Limitly lists them in: the display
 * name's slug; the id is added when the slug is empty (a name in a non-Latin script) or shared by
 * several objects, so a name never depends on which object came first.
 */
export function stableNames<T>(items: T[], display: (t: T) => string, id: (t: T) => string, prefix: string) {
  const base = new Map(items.map((t) => [t, slug(display(t))]));
  const uses = new Map<string, number>();
  for (const b of base.values()) if (b) uses.set(b, (uses.get(b) ?? 0) + 1);
  const names = new Map<T, string>();
  for (const t of items) {
    const b = base.get(t)!;
    const own = slug(id(t)).startsWith(`${prefix}-`) ? slug(id(t)) : `${prefix}-${slug(id(t))}`;
    names.set(t, !b ? own : uses.get(b)! > 1 ? `${b}-${own}` : b);
  }
  return names;
}
