/**
 * Durations as users write them in a program: `"90m"`, `"36h"`, `"7d"`, `"1d12h"`. A number alone
 * is refused on purpose: nobody can tell whether `48` means hours or days.
 */
const UNITS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000 };
const SHAPE = /^(?:(\d{1,4})d)?(?:(\d{1,6})h)?(?:(\d{1,7})m)?$/;

/** The longest duration accepted: a key kept "previous" for longer than a year is not rotated. */
export const MAX_DURATION_MS = 366 * UNITS.d;

/** Milliseconds in `text`, or undefined when it is not a duration of at least a minute. */
export function durationMs(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const m = SHAPE.exec(text.trim());
  if (!m || (!m[1] && !m[2] && !m[3])) return undefined;
  const ms = Number(m[1] ?? 0) * UNITS.d + Number(m[2] ?? 0) * UNITS.h + Number(m[3] ?? 0) * UNITS.m;
  return ms >= UNITS.m && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** `ms` as a person reads it: "3d 4h", "25m", "just now". */
export function humanDuration(ms: number): string {
  if (ms < UNITS.m) return "less than a minute";
  const d = Math.floor(ms / UNITS.d);
  const h = Math.floor((ms % UNITS.d) / UNITS.h);
  const m = Math.floor((ms % UNITS.h) / UNITS.m);
  return [d && `${d}d`, h && `${h}h`, !d && m && `${m}m`].filter(Boolean).join(" ");
}
