/**
 * The emulator's state: keys, plans and users in wire (snake_case) form, as Limitly stores them,
 * with optional persistence to a JSON file written atomically (temp file, then rename), so a crash
 * mid-write never leaves a torn file behind.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface KeyRow {
  id: string;
  name: string;
  status: "active" | "inactive";
  user_id: number | string | null;
  plan_id: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
  /** sha256 of the key value: the emulator, like Limitly, cannot show a value again. */
  value_hash: string;
  deleted_at: string | null;
}

export interface PlanRow {
  id: string;
  name: string;
  description: string | null;
  max_requests: number;
  request_period: "day" | "week" | "month" | "year";
  is_active: boolean;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface UserRow {
  user_id: number;
  name: string;
  email: string | null;
  is_disabled: boolean;
  plan_id: string | null;
  custom_start: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** One request made with a managed key through `POST /validate`. */
export interface RequestRow {
  api_key_id: string;
  timestamp: string;
  endpoint: string;
  method: string;
  allowed: boolean;
  ip_address: string;
  response_time_ms: number;
}

interface Snapshot {
  version: 1;
  keys: KeyRow[];
  plans: PlanRow[];
  users: UserRow[];
  requests: RequestRow[];
  nextUserId: number;
}

export const hashValue = (value: string) => createHash("sha256").update(value).digest("hex");
export const newKeyValue = () => `lk_user_${randomBytes(16).toString("hex")}`;

export class Store {
  keys = new Map<string, KeyRow>();
  plans = new Map<string, PlanRow>();
  users = new Map<number, UserRow>();
  requests: RequestRow[] = [];
  nextUserId = 1;
  /** The account's key quota (live keys), as create answers report it in `limitInfo`. */
  maxKeys = 10_000;
  /** The account plan `limitInfo` names. */
  planType = "emulator";
  /** A logical clock, so that timestamps strictly increase even within one millisecond. */
  private lastTime = 0;

  constructor(private readonly file?: string) {
    if (file) this.load(file);
  }

  now(): string {
    const t = Math.max(Date.now(), this.lastTime + 1);
    this.lastTime = t;
    return new Date(t).toISOString();
  }

  newKeyId(): string {
    return `key_${randomBytes(8).toString("hex")}`;
  }

  newPlanId(): string {
    return `plan_${randomBytes(6).toString("hex")}`;
  }

  liveKeys(): KeyRow[] {
    return [...this.keys.values()].filter((k) => !k.deleted_at);
  }

  livePlans(): PlanRow[] {
    return [...this.plans.values()].filter((p) => !p.deleted_at);
  }

  liveUsers(): UserRow[] {
    return [...this.users.values()].filter((u) => !u.deleted_at);
  }

  private load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw e;
    }
    const snap = JSON.parse(text) as Snapshot;
    this.keys = new Map(snap.keys.map((k) => [k.id, k]));
    this.plans = new Map(snap.plans.map((p) => [p.id, p]));
    this.users = new Map(snap.users.map((u) => [u.user_id, u]));
    this.requests = snap.requests ?? [];
    this.nextUserId = snap.nextUserId ?? 1;
  }

  /** Writes the state file, if any: to a temporary file first, then renamed over the old one. */
  save(): void {
    if (!this.file) return;
    const snap: Snapshot = {
      version: 1,
      keys: [...this.keys.values()],
      plans: [...this.plans.values()],
      users: [...this.users.values()],
      requests: this.requests,
      nextUserId: this.nextUserId,
    };
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    writeFileSync(tmp, JSON.stringify(snap, null, 2));
    renameSync(tmp, this.file);
  }
}
