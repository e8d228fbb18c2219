/**
 * Reads of one kind (keys, plans, users) answered from a listing of the account when that costs no
 * more calls than reading each object by id. A `pulumi refresh` reads every resource of a stack,
 * a handful at a time (the engine's `--parallel`); Limitly lists 100 objects a page, so a stack that
 * is most of its account is read in a page per 100 resources instead of a call per resource.
 *
 * The choice keeps a budget. Every read brings one call (what reading it by id costs), and a page
 * is fetched when the calls made so far, plus one for each read still waiting (it may yet need its
 * own GET), plus the page, stay within the reads received plus one (the first page, which also gives
 * Limitly's `count`): pages that answer reads pay for the next ones. The engine reads `--parallel`
 * resources at a time (8 on two cores) in an order of its own, so a stack's keys may all lie past the
 * first pages; then the rest of the listing is fetched once the reads received outnumber the pages it
 * has left (from `count`) plus the pages already fetched this way. So pages never outnumber reads
 * already made: a refresh costs at most twice its reads plus one (when a refresh ends just after
 * such a listing), in practice a page per 100 objects of the account plus the first reads; an
 * account with more than 100 objects per read (other stacks', the dashboard's, customers' own) is
 * never listed past its first page, and costs one call per read plus one, as reading by id does.
 *
 * Correctness never rests on the listing: an object missing from it (deleted, or skipped when
 * objects were deleted between pages) is read with its own GET, and that GET's answer (404 included)
 * is the read's. A listing is used only while this process has written nothing to the account since
 * it started (account.ts): whatever the process creates, updates, regenerates or deletes is read
 * anew. A page that fails after the transport's retries turns listing off for the kind in this
 * process (403: listing refused) and the waiting reads go by id. A listed object that does not fit
 * the contract fails the read of that object, naming it. Pages are fetched outside any one call's
 * cancellation (abort.ts `shared`), since other reads wait for them.
 */
import { shared, sleep, untilCancelled } from "./abort";
import type { WriteClock } from "./account";
import { LimitlyError } from "./errors";
import type { WireSchema } from "./answer";

/** Objects per page, Limitly's maximum. */
export const PAGE_SIZE = 100;

/**
 * How long a pass answers reads: while reads keep coming (a refresh) and for at most a minute, so
 * that a later operation in a long-lived process (an Automation API program) reads anew.
 */
const IDLE_MS = 1_000;
const MAX_AGE_MS = 60_000;

/** How long a lone read waits for others to share a listing with, in ms (the engine sends them together). */
const GATHER_MS = 5;

/** How one kind is listed and read. */
export interface ListedKind<T> {
  /** The list route, e.g. `/keys`. */
  path: string;
  /** What the kind is called in messages (`key`, `plan`, `user`). */
  what: string;
  /** One page of raw items and Limitly's `count`. */
  page(page: number): Promise<{ items: unknown[]; count?: number }>;
  /** The schema of one listed item. */
  schema: WireSchema<T>;
  /** The id of a parsed record. */
  idOf(rec: T): string;
  /** The id a raw item names, if it names one (to name an item that does not fit). */
  rawId(item: unknown): string | undefined;
  /** A listed record as a read answers it (a key's value is never taken from a listing). */
  fromListing(rec: T): T;
  /** Reads one object by id. */
  get(id: string): Promise<T>;
}

/** One pass over the pages, from page 1. */
interface Pass<T> {
  /** The account's write epoch when the pass started. */
  epoch: number;
  startedAt: number;
  /** When a read last looked into it. */
  usedAt: number;
  found: Map<string, T>;
  /** Items that did not fit the contract, by the id they name: the error to fail their read with. */
  unfit: Map<string, LimitlyError>;
  pages: number;
  /** Pages the listing has in all, from Limitly's `count` on the last page read. */
  total?: number;
  done: boolean;
  /** The page being fetched, if any: every read that needs it waits for this one. */
  next?: Promise<void>;
}

/** Reads of one kind in one account, shared by every client of the process (see the file's comment). */
export class ListedReads<T> {
  private received = 0;
  private calls = 0;
  private waiting = 0;
  private pass?: Pass<T>;
  /** Pages fetched on the listing's size (see {@link mayFetch}): each read funds at most one. */
  private sizedPages = 0;
  /** Pages of the last listing (from `count`), for a pass that has read none yet. */
  private total?: number;
  /** Set when a page failed: the kind is read by id from then on. */
  private off = false;

  /** `writes`: the account's write clock; the calls themselves come with each read (its client's). */
  constructor(private readonly writes: WriteClock) {}

  /** Calls made for reads so far (pages and GETs), and reads received: for tests and the bench. */
  get stats(): { reads: number; calls: number } {
    return { reads: this.received, calls: this.calls };
  }

  /** The object `id`, from a listing when it is cheaper, else (and when the listing lacks it) by its own GET. */
  async read(id: string, kind: ListedKind<T>): Promise<T> {
    this.received++;
    this.waiting++;
    try {
      for (let gathered = false; ; ) {
        const pass = this.usablePass();
        if (pass) {
          const unfit = pass.unfit.get(id);
          if (unfit) throw unfit;
          const hit = pass.found.get(id);
          if (hit !== undefined) return kind.fromListing(hit);
          if (pass.done) break;
          if (pass.next) {
            await untilCancelled(pass.next, `waiting for a page of ${kind.path}`);
            continue;
          }
        }
        // A lone read waits a moment for the others of the same refresh: one read never lists alone.
        if (!pass && this.waiting < 2 && !gathered) {
          gathered = true;
          await sleep(GATHER_MS, `waiting to read ${kind.what} ${id}`);
          continue;
        }
        const may = this.mayFetch(pass);
        if (!may) break;
        if (may === "sized") this.sizedPages++;
        this.fetchNext(kind);
      }
    } finally {
      this.waiting--;
    }
    this.calls++;
    return kind.get(id);
  }

  /**
   * The current pass, unless this process wrote to the account since it started (or writes now), or
   * it is idle or old (see {@link IDLE_MS}).
   */
  private usablePass(): Pass<T> | undefined {
    const p = this.pass;
    const now = Date.now();
    const stale = p && (now - p.usedAt > IDLE_MS || now - p.startedAt > MAX_AGE_MS);
    if (p && (stale || p.epoch !== this.writes.epoch || this.writes.inFlight > 0)) this.pass = undefined;
    if (this.pass) this.pass.usedAt = now;
    return this.pass;
  }

  /**
   * Whether one more page stays within the budget (see the file's comment), and whether it is a
   * page fetched on the listing's size rather than paid for by reads already answered.
   */
  private mayFetch(pass: Pass<T> | undefined): "paid" | "sized" | false {
    if (this.off || this.writes.inFlight > 0) return false;
    // A new pass is started only for reads that can share it.
    if (!pass && this.waiting < 2) return false;
    if (this.calls + 1 + this.waiting <= this.received + 1) return "paid";
    // The engine reads `--parallel` resources at a time, in an order of its own, so a stack's keys
    // may come after the first pages: once the reads received outnumber the pages left (Limitly's
    // `count`) plus the pages already fetched this way, the rest of the listing costs no more than
    // the reads already made.
    const total = pass?.total ?? this.total;
    if (total === undefined) return false;
    return total - (pass?.pages ?? 0) + this.sizedPages < this.received ? "sized" : false;
  }

  /** Starts fetching the next page (a new pass's first), single-flight. */
  private fetchNext(kind: ListedKind<T>): void {
    const pass: Pass<T> = (this.pass ??= {
      epoch: this.writes.epoch,
      startedAt: Date.now(),
      usedAt: Date.now(),
      found: new Map(),
      unfit: new Map(),
      pages: 0,
      done: false,
    });
    const page = pass.pages + 1;
    this.calls++;
    pass.next = shared(() => kind.page(page)).then(
      (r) => {
        pass.pages = page;
        pass.next = undefined;
        pass.usedAt = Date.now();
        for (const item of r.items) take(kind, pass, page, item);
        if (r.count !== undefined) this.total = pass.total = Math.ceil(r.count / PAGE_SIZE);
        if (r.items.length < PAGE_SIZE || (r.count !== undefined && page * PAGE_SIZE >= r.count)) pass.done = true;
      },
      () => {
        // Retried by the transport already (429, 5xx, resets); refused (403) or still failing, the
        // reads go by id, which answers the same and reports its own errors.
        this.off = true;
        if (this.pass === pass) this.pass = undefined;
      },
    );
  }
}

/** Files one listed item: its record, or the error of an item that does not fit. */
function take<T>(kind: ListedKind<T>, pass: Pass<T>, page: number, item: unknown): void {
  const parsed = kind.schema.safeParse(item);
  const id = parsed.success ? kind.idOf(parsed.data) : kind.rawId(item);
  if (id === undefined) return; // names no id: no read can be answered from it, so none is; a read of it goes by id
  if (parsed.success) {
    pass.found.set(id, parsed.data);
    return;
  }
  const issue = parsed.error.issues[0];
  const at = issue ? issue.path.map(String).join(".") || "(the item)" : "(the item)";
  pass.unfit.set(
    id,
    new LimitlyError({
      code: "INVALID_RESPONSE",
      method: "GET",
      path: `${kind.path}?page=${page}&limit=${PAGE_SIZE}`,
      message: `${kind.what} ${id} in the listing does not fit the Limitly contract at ${at}: ${issue?.message ?? "invalid"}`,
    }),
  );
}
