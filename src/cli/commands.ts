/**
 * The commands of `limitly`, one table per resource: what each takes, what it says in its help,
 * and what it does with the client. The dispatcher in limitly.ts checks arguments from this table
 * before it needs the credential.
 */
import type { LimitlyClient } from "../client/client";
import { readFileSync } from "node:fs";
import { MAX_TEXT_LENGTH } from "../client/limits";
import { OWNER_METADATA_KEY } from "../provider/apiKeyInputs";
import {
  API_KEY_TYPE,
  PLUGIN_API_KEY_TYPE,
  PLUGIN_PROVIDER_TYPE,
  PLUGIN_ROTATING_API_KEY_TYPE,
  ROTATING_API_KEY_TYPE,
  STACK_IDENTITY_TYPE,
} from "../resources/typeTokens";
import { parseOwnerTag, usedOrChanged } from "../provider/owner";
import { STACK_IDENTITY_SETTING } from "../plugin/identity";
import type { CreatePlanFields } from "../client/plans";
import type { ApiKeyRecord, PlanRecord, UserRecord } from "../client/records";
import { adoptKeysSnippet, adoptPlansSnippet, adoptUsersSnippet } from "./adoptSnippet";
import { fieldUsage, userIdArgument, UsageError, type Group } from "./fields";
import { record, table } from "./format";

/** What a command's run gets. */
export interface CommandContext {
  client: LimitlyClient;
  /** The positional id, checked present when the command takes one. */
  id: string;
  /** Field options, checked by the provider's rules (create and update). */
  fields: Record<string, unknown>;
  values: Record<string, string | boolean | undefined>;
  json: boolean;
  out: (s: string) => void;
  /** Progress and notices, on stderr. */
  note: (s: string) => void;
  isTTY: boolean;
}

export interface Command {
  name: string;
  /** `<id>` when the command takes one. */
  arg?: string;
  summary: string;
  /** Field handling: create (required fields enforced), update (at least one), or none. */
  fields?: "create" | "update";
  /** Options besides the field options and the global ones. */
  options?: string[];
  /** Checks the command's own options before the credential is needed; throws a UsageError. */
  check?(values: CommandContext["values"]): void;
  run(ctx: CommandContext): Promise<void>;
}

const KEY_COLUMNS = ["id", "name", "status", "userId", "planId", "createdAt", "lastUsedAt"];
const PLAN_COLUMNS = ["id", "name", "maxRequests", "requestPeriod", "isActive", "createdAt"];
const USER_COLUMNS = ["userId", "name", "email", "planId", "isDisabled", "createdAt"];
const PERIOD = "--period day|week|month|year";

const rows = (items: object[]) => items as unknown as Record<string, unknown>[];

function show(ctx: CommandContext, value: object): void {
  if (ctx.json) ctx.out(`${JSON.stringify(value, null, 2)}\n`);
  else ctx.out(`${record({ ...(value as Record<string, unknown>), apiKey: undefined })}\n`);
}

function showList(ctx: CommandContext, items: object[], columns: string[]): void {
  if (ctx.json) ctx.out(`${JSON.stringify(items, null, 2)}\n`);
  else ctx.out(`${table(rows(items), columns)}\n`);
}

/** A key with its value: the only output that prints one, to stdout, with a warning on stderr. */
function showIssued(ctx: CommandContext, k: ApiKeyRecord): void {
  if (ctx.json) return ctx.out(`${JSON.stringify(k, null, 2)}\n`);
  const { limitInfo, ...rest } = k;
  ctx.out(`${record({ ...rest, apiKey: undefined })}\n`);
  ctx.out(`apiKey     ${k.apiKey}\n`);
  ctx.note("Store this value now: Limitly will not show it again.\n");
  if (limitInfo) ctx.note(`${limitInfo.remainingKeys} of ${limitInfo.maxAllowed} key slots left in the account.\n`);
}

function deleted(ctx: CommandContext, id: string | number): void {
  if (ctx.json) ctx.out(`${JSON.stringify({ id, deleted: true }, null, 2)}\n`);
  else ctx.out(`deleted ${id}\n`);
}

/** Every object of a list call, page by page, with progress on stderr. */
async function fetchAll<T>(
  ctx: CommandContext,
  what: string,
  list: (p: { page: number; limit: number }) => Promise<{ items: T[]; count?: number }>,
): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; ; page++) {
    const p = await list({ page, limit: 100 });
    all.push(...p.items);
    const total = p.count ?? all.length;
    const progress = `fetched ${all.length} of ${total} ${what} (page ${page})`;
    ctx.note(ctx.isTTY ? `\r${progress}` : `${progress}\n`);
    if (p.items.length < 100 || all.length >= total) break;
  }
  if (ctx.isTTY) ctx.note("\n");
  return all;
}

const period = (ctx: Pick<CommandContext, "values">) => {
  const p = ctx.values.period;
  if (p === undefined) return {};
  if (p !== "day" && p !== "week" && p !== "month" && p !== "year")
    throw new UsageError("--period must be day, week, month or year");
  return { period: p } as const;
};

function pageOptions(ctx: Pick<CommandContext, "values">): { page?: number; limit?: number } {
  const parse = (name: string, max: number) => {
    const raw = ctx.values[name];
    if (typeof raw !== "string") return undefined;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1 || n > max)
      throw new UsageError(`--${name} must be a whole number from 1${max === Infinity ? " up" : ` to ${max}`}`);
    return n;
  };
  return { page: parse("page", Infinity), limit: parse("limit", 100) };
}

const keyCommands: Command[] = [
  {
    name: "list",
    summary: "every key (paged, with progress on stderr)",
    run: async (ctx) => showList(ctx, await fetchAll(ctx, "keys", (p) => ctx.client.apiKeys.list(p)), KEY_COLUMNS),
  },
  { name: "get", arg: "<id>", summary: "one key", run: async (ctx) => show(ctx, await ctx.client.apiKeys.get(ctx.id)) },
  {
    name: "create",
    fields: "create",
    summary: "a new key; its value is printed once, to stdout",
    run: async (ctx) => showIssued(ctx, await ctx.client.apiKeys.create(ctx.fields as { name: string })),
  },
  {
    name: "update",
    arg: "<id>",
    fields: "update",
    summary: "change the given fields of a key",
    run: async (ctx) => show(ctx, await ctx.client.apiKeys.update(ctx.id, ctx.fields)),
  },
  {
    name: "delete",
    arg: "<id>",
    summary: "delete a key; its value stops working",
    run: async (ctx) => {
      await ctx.client.apiKeys.delete(ctx.id);
      deleted(ctx, ctx.id);
    },
  },
  {
    name: "regenerate",
    arg: "<id>",
    summary: "new value, same id; the old value stops working at once",
    run: async (ctx) => showIssued(ctx, await ctx.client.apiKeys.regenerate(ctx.id)),
  },
  {
    name: "usage",
    arg: "<id>",
    options: ["period"],
    check: (values) => void period({ values }),
    summary: "usage in the current period (of the key's plan, or --period)",
    run: async (ctx) => show(ctx, await ctx.client.apiKeys.getUsage(ctx.id, period(ctx))),
  },
  {
    name: "requests",
    arg: "<id>",
    options: ["page", "limit"],
    check: (values) => void pageOptions({ values }),
    summary: "request history, one page (--page from 1, --limit up to 100; default 20)",
    run: async (ctx) => {
      const h = await ctx.client.apiKeys.getRequests(ctx.id, pageOptions(ctx));
      if (ctx.json) return ctx.out(`${JSON.stringify(h, null, 2)}\n`);
      const columns = ["timestamp", "method", "endpoint", "allowed", "statusCode", "ipAddress"];
      ctx.out(`${table(rows(h.requests), columns)}\n${h.count} request(s)\n`);
    },
  },
  {
    name: "adopt-snippet",
    summary: "a TypeScript program adopting every existing key with adoptKeyId",
    run: async (ctx) => ctx.out(adoptKeysSnippet(await fetchAll(ctx, "keys", (p) => ctx.client.apiKeys.list(p)))),
  },
  {
    name: "orphans",
    options: ["stack-state", "delete"],
    summary:
      "keys a stack created but does not track (--stack-state: the output of `pulumi stack export`); --delete deletes them",
    check: (values) => {
      if (typeof values["stack-state"] !== "string")
        throw new UsageError(
          "limitly keys orphans needs --stack-state <file> (from `pulumi stack export --file <file>`)",
        );
      stackOf(values["stack-state"]);
    },
    run: async (ctx) => {
      const stack = stackOf(String(ctx.values["stack-state"]));
      const keys = await fetchAll(ctx, "keys", (p) => ctx.client.apiKeys.list(p));
      const whose = (k: ApiKeyRecord) => {
        const owner = k.metadata?.[OWNER_METADATA_KEY];
        if (typeof owner !== "string" || stack.ids.has(k.id)) return undefined;
        const tag = parseOwnerTag(owner);
        // Tagged by this stack, but used or changed since it was created: handed out (adopted by
        // another stack, say), so not deleted here either.
        if (tag && stack.identities.has(tag.stackId))
          return usedOrChanged(k) ? "this stack's tag, handed out since" : "this stack";
        // Same project and stack names, but no proof the key is this stack's: a look-alike stack
        // (another backend or organization), a first run killed before its identity was recorded,
        // or 0.1's tags, which name no identity. Listed for a person to check, never deleted here.
        const names = tag ? tag.urn.startsWith(stack.urnPrefix) : owner.startsWith(stack.prefix);
        return names ? "same names, unproven" : undefined;
      };
      const found = keys.flatMap((k) => {
        const w = whose(k);
        return w ? [{ key: k, whose: w }] : [];
      });
      const proven = found.filter((f) => f.whose === "this stack");
      const rowsOut = found.map(({ key: k, whose: w }) => ({
        id: k.id,
        name: k.name,
        owner: k.metadata?.[OWNER_METADATA_KEY],
        whose: w,
        createdAt: k.createdAt,
      }));
      if (ctx.values.delete === true) for (const { key } of proven) await ctx.client.apiKeys.delete(key.id);
      if (ctx.json)
        return ctx.out(`${JSON.stringify({ orphans: rowsOut, deleted: ctx.values.delete === true }, null, 2)}\n`);
      ctx.out(`${table(rows(rowsOut), ["id", "name", "whose", "owner", "createdAt"])}\n`);
      ctx.out(
        `${proven.length} key(s) created by ${stack.prefix.slice(0, -1)} that it does not track` +
          `${ctx.values.delete === true ? ": deleted" : "; --delete deletes them"}\n`,
      );
      const unproven = found.length - proven.length;
      if (unproven)
        ctx.out(
          `${unproven} more key(s) carry this stack's tag or names but cannot be proven to be strays of its own ` +
            "(used or changed since created, a look-alike stack's, a first run killed before it recorded its identity, or tagged by 0.1): " +
            "check them, then delete with `limitly keys delete <id>`; --delete leaves them\n",
        );
    },
  },
];

/**
 * What tells a stack's keys in a `pulumi stack export`: the stack identities its owner tags name
 * (its StackIdentity resource's id, its plugin providers' recorded identity), the 0.1 owner prefix
 * `<project>/<stack>/` from the stack's own URN, and the key ids it holds. Keys of other stacks,
 * look-alikes included, are never listed.
 */
function stackOf(file: string): { prefix: string; urnPrefix: string; identities: Set<string>; ids: Set<string> } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`--stack-state ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let resources: {
    urn?: string;
    type?: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
  }[];
  try {
    resources = (JSON.parse(text) as { deployment?: { resources?: typeof resources } }).deployment?.resources ?? [];
  } catch {
    throw new UsageError(`--stack-state ${file} is not JSON from \`pulumi stack export\``);
  }
  const root = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
  const m = root ? /^urn:pulumi:([^:]+)::([^:]+)::/.exec(root) : null;
  if (!m) throw new UsageError(`--stack-state ${file} holds no stack: export one with \`pulumi stack export\``);
  const ids = new Set<string>();
  const identities = new Set<string>();
  for (const r of resources) {
    if ((r.type === API_KEY_TYPE || r.type === PLUGIN_API_KEY_TYPE) && r.id) ids.add(String(r.id));
    // A RotatingApiKey holds its current and previous keys under its own id.
    if (r.type === ROTATING_API_KEY_TYPE || r.type === PLUGIN_ROTATING_API_KEY_TYPE)
      for (const k of [r.outputs?.keyId, r.outputs?.previousKeyId]) if (typeof k === "string") ids.add(k);
    if (r.type === STACK_IDENTITY_TYPE && r.id) identities.add(String(r.id));
    const recorded = r.type === PLUGIN_PROVIDER_TYPE ? (r.inputs ?? r.outputs)?.[STACK_IDENTITY_SETTING] : undefined;
    if (typeof recorded === "string") identities.add(recorded);
  }
  return { prefix: `${m[2]}/${m[1]}/`, urnPrefix: `urn:pulumi:${m[1]}::${m[2]}::`, identities, ids };
}

const planCommands: Command[] = [
  {
    name: "list",
    summary: "every plan",
    run: async (ctx) => showList(ctx, await fetchAll(ctx, "plans", (p) => ctx.client.plans.list(p)), PLAN_COLUMNS),
  },
  { name: "get", arg: "<id>", summary: "one plan", run: async (ctx) => show(ctx, await ctx.client.plans.get(ctx.id)) },
  {
    name: "create",
    fields: "create",
    summary: "a new plan",
    run: async (ctx) => show(ctx, await ctx.client.plans.create(ctx.fields as unknown as CreatePlanFields)),
  },
  {
    name: "update",
    arg: "<id>",
    fields: "update",
    summary: "change the given fields of a plan",
    run: async (ctx) => show(ctx, await ctx.client.plans.update(ctx.id, ctx.fields)),
  },
  {
    name: "delete",
    arg: "<id>",
    summary: "delete a plan no key or user is on",
    run: async (ctx) => {
      await ctx.client.plans.delete(ctx.id);
      deleted(ctx, ctx.id);
    },
  },
  {
    name: "usage",
    arg: "<id>",
    options: ["period"],
    check: (values) => void period({ values }),
    summary: "requests by the plan's keys in the current period",
    run: async (ctx) => show(ctx, await ctx.client.plans.getUsage(ctx.id, period(ctx))),
  },
  {
    name: "users",
    arg: "<id>",
    summary: "the users on the plan",
    run: async (ctx) => showList(ctx, await ctx.client.plans.users(ctx.id), USER_COLUMNS),
  },
  {
    name: "keys",
    arg: "<id>",
    summary: "the keys on the plan",
    run: async (ctx) => showList(ctx, await ctx.client.plans.keys(ctx.id), KEY_COLUMNS),
  },
  {
    name: "adopt-snippet",
    summary: "a TypeScript program adopting every existing plan with adoptPlanId",
    run: async (ctx) =>
      ctx.out(adoptPlansSnippet(await fetchAll<PlanRecord>(ctx, "plans", (p) => ctx.client.plans.list(p)))),
  },
];

const userCommands: Command[] = [
  {
    name: "list",
    summary: "every user",
    run: async (ctx) => showList(ctx, await fetchAll(ctx, "users", (p) => ctx.client.users.list(p)), USER_COLUMNS),
  },
  {
    name: "get",
    arg: "<id>",
    summary: "one user",
    run: async (ctx) => show(ctx, await ctx.client.users.get(userIdArgument(ctx.id))),
  },
  {
    name: "create",
    fields: "create",
    summary: "a new user; Limitly assigns its number",
    run: async (ctx) => show(ctx, await ctx.client.users.create(ctx.fields as { name: string })),
  },
  {
    name: "update",
    arg: "<id>",
    fields: "update",
    summary: "change the given fields of a user",
    run: async (ctx) => show(ctx, await ctx.client.users.update(userIdArgument(ctx.id), ctx.fields)),
  },
  {
    name: "delete",
    arg: "<id>",
    summary: "delete a user that has no keys",
    run: async (ctx) => {
      const id = userIdArgument(ctx.id);
      await ctx.client.users.delete(id);
      deleted(ctx, id);
    },
  },
  {
    name: "usage",
    arg: "<id>",
    options: ["period"],
    check: (values) => void period({ values }),
    summary: "requests by the user's keys in the current period",
    run: async (ctx) => show(ctx, await ctx.client.users.getUsage(userIdArgument(ctx.id), period(ctx))),
  },
  {
    name: "keys",
    arg: "<id>",
    summary: "the user's keys",
    run: async (ctx) => showList(ctx, await ctx.client.users.keys(userIdArgument(ctx.id)), KEY_COLUMNS),
  },
  {
    name: "create-key",
    arg: "<id>",
    options: ["name"],
    summary: "a new key for the user (--name); its value is printed once, to stdout",
    check: (values) => {
      const name = values.name;
      if (typeof name !== "string" || name.trim() === "") throw new UsageError("limitly users create-key needs --name");
      if (name.length > MAX_TEXT_LENGTH) throw new UsageError(`--name must be at most ${MAX_TEXT_LENGTH} characters`);
    },
    run: async (ctx) =>
      showIssued(ctx, await ctx.client.users.createKey(userIdArgument(ctx.id), { name: String(ctx.values.name) })),
  },
  {
    name: "adopt-snippet",
    summary: "a TypeScript program adopting every existing user with adoptUserId",
    run: async (ctx) =>
      ctx.out(adoptUsersSnippet(await fetchAll<UserRecord>(ctx, "users", (p) => ctx.client.users.list(p)))),
  },
];

export const COMMANDS: Record<Group, Command[]> = { keys: keyCommands, plans: planCommands, users: userCommands };

/** `limitly keys create --name <name> […]`: a command's usage line. */
export function usageLine(group: Group, c: Command): string {
  const parts = [`limitly ${group} ${c.name}`];
  if (c.arg) parts.push(c.arg);
  if (c.fields) parts.push(fieldUsage(group, c.fields === "create"));
  if (c.options?.includes("name")) parts.push("--name <name>");
  if (c.options?.includes("period")) parts.push(`[${PERIOD}]`);
  if (c.options?.includes("page")) parts.push("[--page <n>] [--limit <n>]");
  if (c.options?.includes("stack-state")) parts.push("--stack-state <file> [--delete]");
  return parts.join(" ");
}
