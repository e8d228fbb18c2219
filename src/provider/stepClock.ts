/**
 * One clock reading per step. The engine diffs a resource, shows what will happen, then updates it
 * in the same provider process; a scheduled rotation (`rotateAfterDays`) or a retirement that
 * falls due between the two would make the update do what the diff did not announce: an ApiKey
 * with `rotationStrategy: "replace"` regenerated in place (no overlap, the old value dead at once),
 * or a RotatingApiKey rotating unannounced and deleting its previous key inside its grace period.
 * So the diff's reading is kept for the update of the same resource, and the decision is taken
 * once. An update without a diff before it in this process (none is known to the engine) reads the
 * clock itself.
 */
import { now } from "./clock";

const readings = new Map<string, number>();

/** The clock for the diff of resource `id`, remembered for its update. */
export function diffTime(id: string): number {
  const t = now();
  readings.set(id, t);
  return t;
}

/** The clock the diff of resource `id` decided with, or now when no diff of it ran in this process. */
export function updateTime(id: string): number {
  const t = readings.get(id);
  readings.delete(id);
  return t ?? now();
}
