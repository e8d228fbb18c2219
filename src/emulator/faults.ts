/**
 * Fault injection for tests: scripted faults per route, and seeded random faults that a failing
 * run can replay from its seed.
 */
import type { Store } from "./store";
import { paging } from "./validation";

/** One scripted fault. Matching requests, up to `times`, get it instead of normal handling. */
export interface FaultSpec {
  /** HTTP method to match; any when absent. */
  method?: string;
  /**
   * Path to match, relative to `/functions/v1`: a route pattern (`/keys/:id`), an exact path
   * (`/keys/key_1`), or a RegExp tested on the path. Any when absent.
   */
  path?: string | RegExp;
  /** Answer with this status, without touching state. */
  status?: number;
  /** `Retry-After` header to send with `status` (seconds, or an HTTP date). */
  retryAfter?: number | string;
  /** Body to send with `status` (default: a Limitly error envelope), or a raw string. */
  body?: unknown;
  /**
   * Delay before the request is handled (normally, unless other fields say otherwise). Longer than
   * the client's deadline, it is a *slow commit*: the client gives up, then the change is made.
   */
  latencyMs?: number;
  /**
   * Holds the request until this promise settles, then handles it as usual: a test that kills a
   * client mid-request releases it afterwards, so the change is made after the kill however slow
   * the machine, where a fixed latency would race the kill.
   */
  holdUntil?: Promise<unknown>;
  /**
   * Runs against the state just before the request is handled, e.g. to delete keys between two
   * pages of a listing as a concurrent client would.
   */
  before?: (store: Store, query: URLSearchParams) => void;
  /** Drop the connection before handling the request: nothing is changed. */
  reset?: boolean;
  /** Handle the request (commit its change), then drop the connection instead of answering. */
  commitThenDrop?: boolean;
  /** How many matching requests get the fault. Default 1; `Infinity` for all. */
  times?: number;
}

/** The kinds of random fault. */
export type FaultKind = "429" | "5xx" | "latency" | "reset" | "commitThenDrop" | "slowCommit" | "listingRace";

/** Metadata that marks a key the `listingRace` fault may delete (a stand-in for someone else's keys). */
export const DISPOSABLE_KEY = "emulator:disposable";

/** Seeded random faults: each request gets a fault with `probability`. */
export interface RandomFaultOptions {
  seed: number;
  /** Chance per request, 0..1. */
  probability: number;
  kinds?: FaultKind[];
  /** Upper bound of injected latency, ms. Default 50. */
  maxLatencyMs?: number;
  /** Only requests whose method and path match (`"POST /keys"`, …); all when absent. */
  routes?: string[];
  /**
   * Delay of a `slowCommit`, ms (default 1500): set it longer than the client's deadline, so the
   * client times out and the request is carried out afterwards.
   */
  slowCommitMs?: number;
}

/** mulberry32: a tiny seeded PRNG, enough for reproducible fault schedules. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over a string: a seed for one request's own random stream. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Faults {
  private scripted: (FaultSpec & { left: number })[] = [];
  /**
   * Random faults are drawn from a stream of their own per request, seeded by the run's seed, the
   * request's method and route and its sequence number on that route, not from one stream in
   * arrival order: concurrent requests on other routes do not shift a route's faults, so a seed replays.
   */
  private random?: { opts: RandomFaultOptions; sequence: Map<string, number> };
  /** What was injected, for reports: kind → count. */
  readonly injected: Record<string, number> = {};

  /** Adds a scripted fault; returns a function that removes it. */
  add(spec: FaultSpec): () => void {
    const entry = { ...spec, left: spec.times ?? 1 };
    this.scripted.push(entry);
    return () => {
      this.scripted = this.scripted.filter((e) => e !== entry);
    };
  }

  /** Turns on seeded random faults (or off, with undefined). */
  setRandom(opts: RandomFaultOptions | undefined): void {
    this.random = opts ? { opts, sequence: new Map() } : undefined;
  }

  clear(): void {
    this.scripted = [];
    this.random = undefined;
  }

  /** The fault for one request, if any; `route` is the matched pattern, e.g. `/keys/:id`. */
  pick(method: string, path: string, route: string): FaultSpec | undefined {
    for (const f of this.scripted) {
      if (f.left <= 0) continue;
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.path !== undefined) {
        const ok = f.path instanceof RegExp ? f.path.test(path) : f.path === path || f.path === route;
        if (!ok) continue;
      }
      f.left--;
      this.count(describe(f));
      return f;
    }
    const r = this.random;
    if (!r) return undefined;
    const id = `${method} ${route}`;
    if (r.opts.routes && !r.opts.routes.includes(id)) return undefined;
    const n = (r.sequence.get(id) ?? 0) + 1;
    r.sequence.set(id, n);
    const rng = seededRandom(hash32(`${r.opts.seed}|${id}|${n}`));
    if (rng() >= r.opts.probability) return undefined;
    const kinds = r.opts.kinds ?? ["429", "5xx", "latency", "reset", "commitThenDrop"];
    const kind = kinds[Math.floor(rng() * kinds.length)];
    if (kind === "listingRace" && !(method === "GET" && route === "/keys")) return undefined;
    this.count(kind);
    switch (kind) {
      case "429":
        return { status: 429, retryAfter: 0 };
      case "5xx":
        return { status: rng() < 0.5 ? 500 : 503 };
      case "latency":
        return { latencyMs: Math.floor(rng() * (r.opts.maxLatencyMs ?? 50)) };
      case "reset":
        return { reset: true };
      case "commitThenDrop":
        return { commitThenDrop: true };
      case "slowCommit":
        return { latencyMs: r.opts.slowCommitMs ?? 1500 };
      case "listingRace":
        // Only a later page of a listing can be raced; other requests go through untouched.
        return { before: deleteBeforePage };
    }
    return undefined;
  }

  private count(kind: string): void {
    this.injected[kind] = (this.injected[kind] ?? 0) + 1;
  }
}

/**
 * Deletes up to three disposable keys on the pages already served and creates as many at the end,
 * as concurrent clients would: the later pages' offsets shift, so a naive listing skips keys.
 */
function deleteBeforePage(store: Store, query: URLSearchParams): void {
  // The listing's own reading of page and limit: a bad one is refused the same way.
  const { page, limit } = paging(query);
  if (page < 2) return;
  const before = store.liveKeys().slice(0, (page - 1) * limit);
  const victims = before.filter((k) => k.metadata?.[DISPOSABLE_KEY] === true).slice(0, 3);
  for (const k of victims) {
    k.deleted_at = k.updated_at = store.now();
    store.touch(k);
    const now = store.now();
    const id = store.newKeyId();
    const copy = { ...k, id, created_at: now, updated_at: now, deleted_at: null, value_hash: "" };
    store.keys.set(id, copy);
    store.touch(copy);
  }
}

function describe(f: FaultSpec): string {
  if (f.before) return "before";
  if (f.reset) return "reset";
  if (f.commitThenDrop) return "commitThenDrop";
  if (f.status !== undefined) return String(f.status);
  if (f.holdUntil) return "hold";
  return "latency";
}
