/**
 * One seeded fault run: random lifecycle operations over many ApiKeys through Pulumi's provider
 * host while the emulator injects seeded random faults on every route, then a census of what is
 * live against what the stack recorded. Shared by the test suite and the benchmark.
 */
import { createHash } from "node:crypto";
import { DISPOSABLE_KEY, seededRandom, type FaultKind } from "../../src/emulator";
import type { Stack } from "./stack";
import { API_KEY } from "./stack";

export interface FaultRunOptions {
  seed: number;
  resources: number;
  operations: number;
  concurrency: number;
  probability: number;
  kinds?: FaultKind[];
  /**
   * Keys of someone else in the account (default 150), so listings span pages and the
   * `listingRace` fault has keys to delete between them; the census leaves them out.
   */
  bystanders?: number;
}

/** Every fault kind the emulator has: what the suite and the soak inject. */
export const ALL_FAULT_KINDS: FaultKind[] = [
  "429",
  "5xx",
  "latency",
  "reset",
  "commitThenDrop",
  "slowCommit",
  "listingRace",
];
/** The provider's deadline in a fault run, and a slow commit that outlasts it but not the in-flight window. */
export const FAULT_RUN_TIMEOUT_MS = 1_000;
const SLOW_COMMIT_MS = 1_500;

export interface FaultRunReport {
  seed: number;
  operations: number;
  succeeded: number;
  failed: number;
  /** Failure messages, for the clear-error check. */
  errors: string[];
  injected: Record<string, number>;
  /** Live keys beyond one per recorded resource. */
  duplicates: number;
  /** Live keys the stack does not know. */
  orphans: number;
  /** Values lost and marked so (apiKeyLost) at the end of the run, which the final `up` re-issues. */
  marked: number;
  /** Recorded keys whose value does not match the live key (or whose key is gone), after that `up`. */
  lost: number;
  /** Recorded ids that are not live. */
  missing: number;
  valuesSeen: string[];
  /** What each defect is: the resource, the ids involved and what the emulator holds. */
  details: string[];
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export async function faultRun(s: Stack, o: FaultRunOptions): Promise<FaultRunReport> {
  const rng = seededRandom(o.seed ^ 0x5eed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)];
  const specs = new Map<string, Record<string, unknown>>();
  const errors: string[] = [];
  const valuesSeen = new Set<string>();
  let succeeded = 0;
  for (let i = 0; i < (o.bystanders ?? 150); i++)
    await s.dashboard.apiKeys.create({ name: `bystander ${i}`, metadata: { [DISPOSABLE_KEY]: true } });
  s.emu.faults.setRandom({
    seed: o.seed,
    probability: o.probability,
    kinds: o.kinds ?? ALL_FAULT_KINDS,
    maxLatencyMs: 30,
    slowCommitMs: SLOW_COMMIT_MS,
  });

  const names = Array.from({ length: o.resources }, (_, i) => `r${i}`);
  const opFor = (name: string): (() => Promise<unknown>) => {
    const spec = specs.get(name);
    if (!spec) {
      const fresh = { name: `key ${name}`, rotationStrategy: rng() < 0.5 ? "replace" : "regenerate", rotation: 0 };
      return async () => {
        specs.set(name, fresh);
        return s.engine.up(API_KEY, name, fresh);
      };
    }
    const kind = pick(["rename", "rotate", "refresh", "destroy", "preview", "rename", "rotate"] as const);
    switch (kind) {
      case "rename":
        return () =>
          s.engine
            .up(API_KEY, name, { ...spec, name: `${spec.name}'` })
            .then((r) => (specs.set(name, { ...spec, name: `${spec.name}'` }), r));
      case "rotate":
        return () =>
          s.engine
            .up(API_KEY, name, { ...spec, rotation: Number(spec.rotation) + 1 })
            .then((r) => (specs.set(name, { ...spec, rotation: Number(spec.rotation) + 1 }), r));
      case "refresh":
        return () => s.engine.refresh(API_KEY, name);
      case "preview":
        return () => s.engine.preview(API_KEY, name, spec);
      case "destroy":
        return () => s.engine.destroy(API_KEY, name).then(() => specs.delete(name));
    }
  };

  let done = 0;
  while (done < o.operations) {
    // One operation per resource at a time, as the engine never runs two on one resource.
    const batch = new Set<string>();
    while (batch.size < Math.min(o.concurrency, o.operations - done)) batch.add(pick(names));
    await Promise.all(
      [...batch].map(async (name) => {
        try {
          await opFor(name)();
          succeeded++;
        } catch (e) {
          errors.push((e as Error).message);
        }
      }),
    );
    for (const e of s.engine.state.values()) if (e.outputs.apiKey) valuesSeen.add(String(e.outputs.apiKey));
    done += batch.size;
  }

  // Census, with faults off, after the engine's own retry of replaced objects' deletes.
  s.emu.faults.clear();
  await s.engine.settlePendingDeletes();
  // The next `pulumi up`: a resource whose value was lost is marked so, and this must issue a value.
  const marked = [...s.engine.state.values()].filter((e) => e.outputs.apiKeyLost === true).length;
  for (const [name, spec] of specs) await s.engine.up(API_KEY, name, spec);
  const live = s.emu.store.liveKeys().filter((k) => k.metadata?.[DISPOSABLE_KEY] !== true);
  const liveIds = new Set(live.map((k) => k.id));
  const recorded = [...s.engine.state.values()].filter((e) => e.type === API_KEY);
  const recordedIds = new Set(recorded.map((e) => e.id));
  const perResource = new Map<string, number>();
  for (const k of live) {
    const owner = /^key (r\d+)/.exec(k.name)?.[1] ?? k.name;
    perResource.set(owner, (perResource.get(owner) ?? 0) + 1);
  }
  const lost = recorded.filter((e) => {
    const k = s.emu.store.keys.get(e.id);
    return !k || k.deleted_at || !e.outputs.apiKey || k.value_hash !== sha256(String(e.outputs.apiKey));
  }).length;
  const details: string[] = [];
  for (const e of recorded) {
    const k = s.emu.store.keys.get(e.id);
    const why = !k
      ? "no such key"
      : k.deleted_at
        ? `deleted at ${k.deleted_at}`
        : !e.outputs.apiKey
          ? "no value"
          : k.value_hash !== sha256(String(e.outputs.apiKey))
            ? "value differs"
            : "";
    if (why) details.push(`${e.name} → ${e.id}: ${why}`);
  }
  for (const [owner, n] of perResource)
    if (n > 1)
      details.push(
        `${owner}: ${n} live keys ${live
          .filter((k) => (/^key (r\d+)/.exec(k.name)?.[1] ?? k.name) === owner)
          .map((k) => `${k.id} (${k.created_at}${recordedIds.has(k.id) ? ", recorded" : ""})`)
          .join(", ")}`,
      );
  return {
    details,
    seed: o.seed,
    operations: done,
    succeeded,
    failed: errors.length,
    errors,
    injected: { ...s.emu.faults.injected },
    duplicates: [...perResource.values()].reduce((n, c) => n + Math.max(0, c - 1), 0),
    orphans: [...liveIds].filter((id) => !recordedIds.has(id)).length,
    missing: [...recordedIds].filter((id) => !liveIds.has(id)).length,
    lost,
    marked,
    valuesSeen: [...valuesSeen],
  };
}
