/**
 * Reads of one kind (keys, plans, users) answered from a listing of the account when that costs no
 * more calls than reading each object by id. A `pulumi refresh` reads every resource of a stack,
 * a handful at a time (the engine's `--parallel`); Limitly lists 100 objects a page, so a stack that
 * is most of its account is read in a page per 100 resources instead of a call per resource.
 *
 * The bound: per kind and per process, calls (pages and GETs) never exceed the reads received plus
 * one, whatever the account's size and the order the reads come in. Every read either is answered
 * from a page or makes its own GET, so the bound holds exactly when pages never exceed the reads
 * answered from them plus one. Hence the rule: the process's first page is free (Limitly's list has
 * no filter, so whether it holds any of the reads' objects is a gamble no rule avoids); every later
 * page is fetched only while the pages fetched so far are no more than the reads answered from a
 * listing, counted per process (the credit a read answered from a page earns pays for one page, that
 * one or a later one); and no more pages past the last one that answered a read than reads waiting
 * for the next. A read the pages so far lack waits for the next page while another read may still earn one
 * (a read neither waiting nor in its own GET: only a read answered from a page pays); otherwise it
 * goes by id. No rule can do better in every case: a page fetched unpaid may hold none of the
 * reads' objects. So a stack alone in its account costs about a page per 100 resources; one whose
 * objects lie among many others' costs a page per 100 objects while the pages keep answering
 * reads, and one call per read plus one when they do not (an account whose first page holds none
 * of the stack's objects is read by id after that page).
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
  /** Pages requested, the one being fetched included (single-flight: the last is the one fetched). */
  requested: number;
  /** The page each record came from. */
  pageOf: Map<string, number>;
  /** The last page that answered a read (0: none yet). */
  lastHit: number;
  done: boolean;
  /** The page being fetched, if any: every read that needs it waits for this one. */
  next?: Promise<void>;
}

/** Reads of one kind in one account, shared by every client of the process (see the file's comment). */
export class ListedReads<T> {
  private received = 0;
  private calls = 0;
  /** Pages fetched in this process, every pass's. */
  private pages = 0;
  /** Reads answered from a listing (an unfit item's error included): each pays for one page. */
  private answered = 0;
  /** Reads received and not yet answered (those in their own GET included). */
  private outstanding = 0;
  /** Reads in their own GET. */
  private inGet = 0;
  /** Reads waiting for a page that a read answered from the listing may yet pay for: how to wake each. */
  private readonly parked = new Set<() => void>();
  private pass?: Pass<T>;
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
    this.outstanding++;
    try {
      const listed = await this.fromListing(id, kind);
      if (listed !== undefined) return kind.fromListing(listed);
      this.calls++;
      this.inGet++;
      // A read in its own GET pays for no page: the parked reads need not wait for it.
      this.wake();
      try {
        return await kind.get(id);
      } finally {
        this.inGet--;
      }
    } finally {
      this.outstanding--;
      this.wake();
    }
  }

  /** The object `id` as a listing has it, or `undefined` when it is to be read by its own GET. */
  private async fromListing(id: string, kind: ListedKind<T>): Promise<T | undefined> {
    for (let gathered = false; ; ) {
      const pass = this.usablePass();
      if (pass) {
        const unfit = pass.unfit.get(id);
        const hit = pass.found.get(id);
        if (unfit || hit !== undefined) {
          this.answered++;
          pass.lastHit = Math.max(pass.lastHit, pass.pageOf.get(id) ?? 0);
          this.wake(); // a page more may be paid for now
          if (unfit) throw unfit;
          return hit;
        }
        if (pass.done) return undefined;
        if (pass.next) {
          await untilCancelled(pass.next, `waiting for a page of ${kind.path}`);
          continue;
        }
      }
      // A lone read waits a moment for the others of the same refresh: one read never lists alone.
      if (!pass && this.outstanding < 2 && !gathered) {
        gathered = true;
        await sleep(GATHER_MS, `waiting to read ${kind.what} ${id}`);
        continue;
      }
      if (this.off || this.writes.inFlight > 0 || (!pass && this.outstanding < 2)) return undefined;
      if (this.mayFetch(pass)) {
        this.fetchNext(kind);
        continue;
      }
      // No page is paid for yet. Only a read answered from a pass's records can pay, so this one
      // waits only while another read may still be (neither parked nor in its own GET); else it
      // goes by id, which the bound allows (a GET per read) and which lets the next read in.
      if (!pass || this.parked.size + this.inGet + 1 >= this.outstanding) return undefined;
      await untilCancelled(this.park(), `waiting for a page of ${kind.path}`);
    }
  }

  /** Waits until {@link wake}. */
  private park(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.parked.delete(wake);
        resolve();
      };
      this.parked.add(wake);
    });
  }

  /** Lets every parked read look again: a page may be paid for, started, or none is left to wait for. */
  private wake(): void {
    for (const wake of [...this.parked]) wake();
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
   * Whether one more page keeps the bound (see the file's comment): the process's first page, or a
   * page paid for by a read answered from a listing, one page each; and, within a pass, no more
   * pages past the last one that answered a read than reads hoping for the next (each could have
   * had its own GET for that page: a late read in a big account does not search the whole listing).
   */
  private mayFetch(pass: Pass<T> | undefined): boolean {
    const paid = this.pages === 0 || this.pages <= this.answered;
    return paid && (!pass || pass.requested - pass.lastHit < this.outstanding - this.inGet);
  }

  /** Starts fetching the next page (a new pass's first), single-flight. */
  private fetchNext(kind: ListedKind<T>): void {
    const pass: Pass<T> = (this.pass ??= {
      epoch: this.writes.epoch,
      startedAt: Date.now(),
      usedAt: Date.now(),
      found: new Map(),
      unfit: new Map(),
      requested: 0,
      pageOf: new Map(),
      lastHit: 0,
      done: false,
    });
    const page = ++pass.requested;
    this.calls++;
    this.pages++;
    pass.next = shared(() => kind.page(page)).then(
      (r) => {
        pass.next = undefined;
        pass.usedAt = Date.now();
        for (const item of r.items) take(kind, pass, page, item);
        if (r.items.length < PAGE_SIZE || (r.count !== undefined && page * PAGE_SIZE >= r.count)) pass.done = true;
      },
      () => {
        // Retried by the transport already (429, 5xx, resets); refused (403) or still failing, the
        // reads go by id, which answers the same and reports its own errors.
        this.off = true;
        if (this.pass === pass) this.pass = undefined;
      },
    );
    this.wake(); // parked reads wait for this page now
  }
}

/** Files one listed item: its record, or the error of an item that does not fit. */
function take<T>(kind: ListedKind<T>, pass: Pass<T>, page: number, item: unknown): void {
  const parsed = kind.schema.safeParse(item);
  const id = parsed.success ? kind.idOf(parsed.data) : kind.rawId(item);
  if (id === undefined) return; // names no id: no read can be answered from it, so none is; a read of it goes by id
  pass.pageOf.set(id, page);
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
