/**
 * RotatingApiKey diff rules, computed locally without an API call, like ApiKey's: the same plan
 * drives `diff` (what preview shows) and `update` (what is done).
 *
 * The current key follows ApiKey's rules (fields, `rotation`, `rotateAfterDays`, a lost value),
 * except that a rotation is always an in-place update. The previous key is retired by the first
 * update at or after the earlier of:
 * - its grace end, `rotatedAt + gracePeriod`;
 * - with `retireWhenUnusedFor`: the moment it has gone unused that long, counted from its last use
 *   as last read from Limitly, or from the rotation if it was not used since. Setting it is what
 *   allows a retirement before the grace ends.
 */
import { keyPlanChanges, planApiKeyChange, type ApiKeyChangePlan } from "./apiKeyDiff";
import { diffResult, type DiffOptions, type DiffResult } from "./diffResult";
import { DEFAULT_GRACE } from "./rotatingInputs";
import { durationMs } from "./duration";
import { isUnknown } from "./unknown";

/** Without `retireWhenUnusedFor`, a previous key used within this long counts as still in use. */
export const RECENT_USE_MS = 24 * 3_600_000;

type Props = Record<string, unknown>;

const time = (v: unknown): number | undefined => {
  const t = typeof v === "string" ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? undefined : t;
};

/** A setting from the new inputs, or the state's while the new one is not known yet (preview). */
export const setting = (olds: Props, news: Props, key: string): unknown =>
  isUnknown(news[key]) ? olds[key] : news[key];

/** How long a previous key lives after a rotation, in ms, under `gracePeriod` (checked, or the default). */
const graceMs = (gracePeriod: unknown) => durationMs(gracePeriod ?? DEFAULT_GRACE) ?? durationMs(DEFAULT_GRACE)!;

/** When a previous key issued out at `rotatedAt` stops working at the latest (ISO 8601). */
export function retiresAt(rotatedAt: unknown, gracePeriod: unknown): string | undefined {
  const t = time(rotatedAt);
  return t === undefined ? undefined : new Date(t + graceMs(gracePeriod)).toISOString();
}

export interface Retirement {
  /** Why the previous key goes now. */
  reason: "grace" | "unused";
  /** Its last recorded use, when that is recent enough to count as still in use. */
  stillUsedAt?: string;
}

/** Whether the state's previous key is due for retirement at `nowMs` under the new inputs. */
export function retirementDue(olds: Props, news: Props, nowMs: number): Retirement | undefined {
  if (typeof olds.previousKeyId !== "string" || !olds.previousKeyId) return undefined;
  const rotatedAt = time(olds.rotatedAt);
  if (rotatedAt === undefined) return { reason: "grace" };
  const grace = graceMs(setting(olds, news, "gracePeriod"));
  const unusedFor = durationMs(setting(olds, news, "retireWhenUnusedFor"));
  const lastUsed = time(olds.previousLastUsedAt);
  const usedSince = lastUsed !== undefined && lastUsed > rotatedAt ? lastUsed : undefined;
  if (nowMs >= rotatedAt + grace) {
    const recent = usedSince !== undefined && nowMs - usedSince < (unusedFor ?? RECENT_USE_MS);
    return { reason: "grace", stillUsedAt: recent ? String(olds.previousLastUsedAt) : undefined };
  }
  if (unusedFor !== undefined && nowMs - (usedSince ?? rotatedAt) >= unusedFor) return { reason: "unused" };
  return undefined;
}

export interface RotatingChangePlan extends Omit<ApiKeyChangePlan, "strategy"> {
  /** The previous key is retired by this update. */
  retire?: Retirement;
}

/** Bookkeeping only the provider keeps, on top of ApiKey's. */
const GRACE_FIELDS = ["gracePeriod", "retireWhenUnusedFor"] as const;

export function planRotatingChange(olds: Props, news: Props, nowMs: number): RotatingChangePlan {
  const { strategy: _always, changed, ...plan } = planApiKeyChange(olds, news, nowMs);
  // ApiKey's strategy is not an input here: a rotation is always an update.
  const own = changed.filter((c) => c !== "rotationStrategy");
  for (const field of GRACE_FIELDS) {
    const [a, b] = [olds[field], news[field]];
    if (isUnknown(b) || String(a ?? "") !== String(b ?? "")) own.push(field);
  }
  // A rotation drops the previous key anyway (the new one's predecessor takes its place).
  const retire = plan.rotateBecause ? undefined : retirementDue(olds, news, nowMs);
  const notInputs = [...plan.notInputs];
  if (retire) {
    own.push("previousKeyId");
    notInputs.push("previousKeyId");
  }
  return { ...plan, changed: own, retire, notInputs };
}

/**
 * The `diff` answer for Pulumi: never a replacement, the resource id never changes. A rotation
 * shows as the property asking for it; a retirement as the previous key going.
 */
export function diffRotatingApiKey(
  plan: RotatingChangePlan,
  olds: Props,
  news: Props,
  options: DiffOptions = {},
  stables: string[] = [],
): DiffResult {
  return diffResult(keyPlanChanges(plan, olds, news), news, options, stables);
}
