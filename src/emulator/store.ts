/**
 * The emulator's state: keys, plans and users in wire (snake_case) form, as Limitly stores them,
 * with optional persistence. The state file is a JSON snapshot; each change is appended to a
 * journal beside it (`<file>.journal`, one JSON line per changed row), so a change costs one
 * small append however large the state is. The snapshot is rewritten (to a temporary file, then
 * renamed) only at start and when the journal outgrows it; the journal is replayed on load, and a
 * torn last line (a kill mid-append) is ignored. Temporary files of an interrupted rewrite are
 * removed at the next start.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { PackageErrorCode } from "../client/errors";

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
/**
 * Shapes of issued key values. Limitly's own keys have been seen as `lk_…`, as 32 uppercase letters
 * and as UUIDs; a client must not rely on the shape to keep them secret.
 */
export type KeyValueStyle = "lk" | "upper32" | "uuid";

export function newKeyValue(style: KeyValueStyle = "lk"): string {
  switch (style) {
    case "upper32":
      return Array.from(randomBytes(32), (b) => String.fromCharCode(65 + (b % 26))).join("");
    case "uuid":
      return randomUUID();
    default:
      return `lk_user_${randomBytes(16).toString("hex")}`;
  }
}

/** A `--state` file the emulator cannot use, named, with what is wrong with it. */
export class StateFileError extends Error {
  override readonly name = "StateFileError";
  readonly code = "INVALID_STATE_FILE" satisfies PackageErrorCode;

  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`state file ${file} ${problem}`);
  }
}

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
  /** The account that owns every plan (the Python SDK's `Plan.owner_id`). */
  ownerId = "owner_emulator";
  /** The shape of the key values it issues. */
  valueStyle: KeyValueStyle = "lk";
  /** A logical clock, so that timestamps strictly increase even within one millisecond. */
  private lastTime = 0;
  /** Rows changed since the last {@link save}, and how many requests are already written. */
  private readonly touched = new Set<KeyRow | PlanRow | UserRow>();
  private requestsWritten = 0;
  private journalBytes = 0;
  private snapshotBytes = 0;

  constructor(private readonly file?: string) {
    if (file) {
      this.removeStaleTemporaries(file);
      this.load(file);
      this.replayJournal(file);
      this.compact();
    }
  }

  /** Marks a row as changed, so the next {@link save} writes it. */
  touch(row: KeyRow | PlanRow | UserRow): void {
    if (this.file) this.touched.add(row);
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
      throw new StateFileError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (text.trim() === "") throw new StateFileError(file, "is empty; delete it to start with an empty account");
    let snap: unknown;
    try {
      snap = JSON.parse(text);
    } catch (e) {
      throw new StateFileError(
        file,
        `is not valid JSON (${(e as Error).message}); it may have been cut short or edited`,
      );
    }
    const s = snap as Partial<Snapshot> | null;
    const problem =
      s === null || typeof s !== "object" || Array.isArray(s)
        ? "does not hold a JSON object"
        : s.version !== 1
          ? `has version ${JSON.stringify(s.version)}; this emulator reads version 1`
          : !Array.isArray(s.keys) || !Array.isArray(s.plans) || !Array.isArray(s.users)
            ? 'lacks the "keys", "plans" and "users" lists'
            : !s.keys.every((k) => typeof k?.id === "string") ||
                !s.plans.every((p) => typeof p?.id === "string") ||
                !s.users.every((u) => typeof u?.user_id === "number")
              ? "has a key, plan or user without its id"
              : undefined;
    if (problem) throw new StateFileError(file, `${problem}: it is not a limitly-emulator state file`);
    const ok = s as Snapshot;
    this.keys = new Map(ok.keys.map((k) => [k.id, k]));
    this.plans = new Map(ok.plans.map((p) => [p.id, p]));
    this.users = new Map(ok.users.map((u) => [u.user_id, u]));
    this.requests = Array.isArray(ok.requests) ? ok.requests : [];
    this.nextUserId = typeof ok.nextUserId === "number" ? ok.nextUserId : Math.max(0, ...this.users.keys()) + 1;
  }

  /** Appends the rows changed since the last call (and new requests) to the journal. */
  save(): void {
    if (!this.file) return;
    const lines: string[] = [];
    for (const row of this.touched) {
      if ("value_hash" in row) lines.push(JSON.stringify({ key: row }));
      else if ("user_id" in row) lines.push(JSON.stringify({ user: row }));
      else lines.push(JSON.stringify({ plan: row }));
    }
    this.touched.clear();
    for (; this.requestsWritten < this.requests.length; this.requestsWritten++)
      lines.push(JSON.stringify({ request: this.requests[this.requestsWritten] }));
    if (lines.length === 0) return;
    lines.push(JSON.stringify({ nextUserId: this.nextUserId }));
    const text = `${lines.join("\n")}\n`;
    appendFileSync(journalOf(this.file), text);
    this.journalBytes += Buffer.byteLength(text);
    if (this.journalBytes > Math.max(1 << 20, this.snapshotBytes)) this.compact();
  }

  /** Rewrites the snapshot with everything (temporary file, then rename) and empties the journal. */
  private compact(): void {
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
    const text = JSON.stringify(snap);
    writeFileSync(tmp, text);
    renameSync(tmp, this.file);
    // Only after the snapshot holds every change may the journal go.
    writeFileSync(journalOf(this.file), "");
    this.snapshotBytes = Buffer.byteLength(text);
    this.journalBytes = 0;
    this.requestsWritten = this.requests.length;
    this.touched.clear();
  }

  private replayJournal(file: string): void {
    let text: string;
    try {
      text = readFileSync(journalOf(file), "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw new StateFileError(journalOf(file), `cannot be read (${(e as NodeJS.ErrnoException).code})`);
    }
    const lines = text.split("\n");
    lines.forEach((line, i) => {
      if (line.trim() === "") return;
      let entry: { key?: KeyRow; plan?: PlanRow; user?: UserRow; request?: RequestRow; nextUserId?: number };
      try {
        entry = JSON.parse(line);
      } catch (e) {
        // A kill in the middle of an append tears only the last line; anything else is damage.
        if (i >= lines.length - 2) return;
        throw new StateFileError(journalOf(file), `line ${i + 1} is not valid JSON (${(e as Error).message})`);
      }
      if (entry.key) this.keys.set(entry.key.id, entry.key);
      else if (entry.plan) this.plans.set(entry.plan.id, entry.plan);
      else if (entry.user) this.users.set(entry.user.user_id, entry.user);
      else if (entry.request) this.requests.push(entry.request);
      else if (typeof entry.nextUserId === "number") this.nextUserId = entry.nextUserId;
    });
  }

  /** Temporary files a killed rewrite left behind: `<file>.<pid>.<random>.tmp`. */
  private removeStaleTemporaries(file: string): void {
    const dir = dirname(file);
    const prefix = `${basename(file)}.`;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith(prefix) && /^\d+\.[0-9a-f]{8}\.tmp$/.test(name.slice(prefix.length)))
        rmSync(join(dir, name), { force: true });
    }
  }
}

const journalOf = (file: string) => `${file}.journal`;
