#!/usr/bin/env node
/**
 * `limitly keys|plans|users <command>`: manage a Limitly account from a terminal with the same
 * client and the same input rules as the Pulumi provider. It never prints the account credential,
 * and prints a key value only when one is issued (create, regenerate), to stdout.
 */
import { parseArgs } from "node:util";
import { LimitlyClient, DEFAULT_BASE_URL, type RetryNotice } from "../client/client";
import { LimitlyError, redact } from "../client/errors";
import { VERSION } from "../version";
import { COMMANDS, usageLine, type Command } from "./commands";
import { FIELD_OPTIONS, fieldHelp, fieldOptions, fieldsFrom, userIdArgument, UsageError, type Group } from "./fields";

const GLOBAL_OPTIONS = `options:
  --json                   machine-readable output (errors too: one JSON object on stderr)
  --help, -h               help for the command given before it
  --version                the package version
  --api-key-env <NAME>     environment variable holding the account credential (default LIMITLY_API_KEY)
  --base-url <url>         API base URL (default LIMITLY_BASE_URL, else ${DEFAULT_BASE_URL})
  --timeout <seconds>      how long one call may take, retries and waits included (default 30)`;

const GROUPS = Object.keys(COMMANDS) as Group[];
const ALIASES: Record<string, Group> = { "api-keys": "keys" };
const SINGULAR: Record<Group, string> = { keys: "key", plans: "plan", users: "user" };

function groupUsage(group: Group): string {
  const lines = COMMANDS[group].map((c) => `  ${`${c.name}${c.arg ? ` ${c.arg}` : ""}`.padEnd(22)} ${c.summary}`);
  return `usage: limitly ${group} <command> [options]\n\ncommands:\n${lines.join("\n")}\n\n${GLOBAL_OPTIONS}`;
}

function globalUsage(): string {
  const groups = GROUPS.map((g) => `  limitly ${g.padEnd(6)} ${COMMANDS[g].map((c) => c.name).join("|")}`);
  return (
    `usage: limitly <keys|plans|users> <command> [options]\n\n${groups.join("\n")}\n\n` +
    `\`limitly <group> --help\` lists a group's commands; \`limitly <group> <command> --help\` explains one.\n\n${GLOBAL_OPTIONS}`
  );
}

function commandUsage(group: Group, c: Command): string {
  const extra = [
    ...(c.fields ? fieldHelp(group) : []),
    ...(c.options?.includes("name") ? ["  --name <name>                  the new key's name (required)"] : []),
    ...(c.options?.includes("period")
      ? ["  --period day|week|month|year   the period to count (default: the plan's)"]
      : []),
    ...(c.options?.includes("stack-state")
      ? [
          "  --stack-state <file>           the stack's state, from `pulumi stack export --file <file>`",
          "  --delete                       delete the keys listed",
        ]
      : []),
    ...(c.options?.includes("page")
      ? [
          "  --page <n>                     page from 1",
          "  --limit <n>                    entries per page, 1 to 100 (default 20)",
        ]
      : []),
  ];
  return `usage: ${usageLine(group, c)}\n\n${c.summary}.\n${extra.length ? `\n${extra.join("\n")}\n` : ""}\n${GLOBAL_OPTIONS}`;
}

/** A retry the client is about to wait for: said on stderr, so a slow command is never silent. */
function retryNotice(n: RetryNotice): string {
  const secs = Math.max(1, Math.round(n.delayMs / 1000));
  const why =
    n.status === 429
      ? `Limitly answered 429 (rate limited)${n.retryAfterMs !== undefined ? ` and asked to retry after ${Math.ceil(n.retryAfterMs / 1000)} s` : ""}`
      : n.status !== undefined
        ? `Limitly answered ${n.status}`
        : `the connection failed (${n.code ?? "error"})`;
  return `${n.method} ${n.path}: ${why}; waiting ${secs} s before attempt ${n.attempt + 1}\n`;
}

type Io = { out: (s: string) => void; err: (s: string) => void; env: NodeJS.ProcessEnv; isTTY?: boolean };

/** Runs the command; returns the exit code. Output goes through the given writers (tests pass their own). */
export async function main(
  argv: string[],
  io: Io = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    env: process.env,
    isTTY: process.stderr.isTTY,
  },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        "api-key-env": { type: "string", default: "LIMITLY_API_KEY" },
        "base-url": { type: "string" },
        timeout: { type: "string" },
        ...Object.fromEntries(FIELD_OPTIONS.map((o) => [o, { type: "string" as const }])),
        period: { type: "string" },
        "stack-state": { type: "string" },
        delete: { type: "boolean" },
        page: { type: "string" },
        limit: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", default: false },
      },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${globalUsage()}\n`);
    return 2;
  }
  const { positionals } = parsed;
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const [groupName, commandName, id, ...rest] = positionals;
  if (v.version) {
    io.out(`${VERSION}\n`);
    return 0;
  }
  /** Errors go to stderr: as one JSON object with --json, so that scripts can read them too. */
  const fail = (code: number, e: { code: string; status?: number; message: string }, usage?: string) => {
    if (v.json) io.err(`${JSON.stringify({ error: e })}\n`);
    else io.err(`${e.message}\n${usage ? `\n${usage}\n` : ""}`);
    return code;
  };
  if (!groupName) {
    io.out(`${globalUsage()}\n`);
    return v.help ? 0 : 2;
  }
  const group = (ALIASES[groupName] ?? groupName) as Group;
  if (!GROUPS.includes(group))
    return fail(2, { code: "USAGE", message: `unknown command group ${groupName}` }, globalUsage());
  const command = COMMANDS[group].find((c) => c.name === commandName);
  if (v.help && !command) {
    io.out(`${groupUsage(group)}\n`);
    return 0;
  }
  if (!commandName) return fail(2, { code: "USAGE", message: `limitly ${group} needs a command` }, groupUsage(group));
  if (!command)
    return fail(2, { code: "USAGE", message: `unknown command ${group} ${commandName}` }, groupUsage(group));
  if (v.help) {
    io.out(`${commandUsage(group, command)}\n`);
    return 0;
  }

  let fields: Record<string, unknown> = {};
  try {
    if (command.arg && !id) throw new UsageError(`limitly ${group} ${command.name} needs a ${SINGULAR[group]} id`);
    const extra = command.arg ? rest : [id, ...rest].filter((x) => x !== undefined);
    if (extra.length)
      throw new UsageError(`limitly ${group} ${command.name} takes no argument ${JSON.stringify(extra[0])}`);
    if (group === "users" && command.arg) userIdArgument(id);
    const allowed = new Set([...(command.fields ? fieldOptions(group) : []), ...(command.options ?? [])]);
    const notHere = [...FIELD_OPTIONS, "period", "page", "limit", "stack-state", "delete"].find(
      (o) => v[o] !== undefined && !allowed.has(o),
    );
    if (notHere) throw new UsageError(`limitly ${group} ${command.name} does not take --${notHere}`);
    if (command.fields) fields = fieldsFrom(group, v, command.fields);
    command.check?.(v);
    if (v.timeout !== undefined && !(Number(v.timeout) > 0 && Number(v.timeout) <= 3600))
      throw new UsageError("--timeout must be a number of seconds above 0 and at most 3600");
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return fail(2, { code: "USAGE", message: e.message }, commandUsage(group, command));
  }

  const credentialVar = String(v["api-key-env"]);
  const credential = io.env[credentialVar];
  if (!credential) {
    return fail(2, {
      code: "MISSING_CREDENTIAL",
      message: `no account credential: set ${credentialVar} (or name another variable with --api-key-env)`,
    });
  }
  let client: LimitlyClient | undefined;
  try {
    client = new LimitlyClient({
      apiKey: credential,
      baseUrl: (v["base-url"] as string | undefined) ?? io.env.LIMITLY_BASE_URL ?? DEFAULT_BASE_URL,
      timeoutMs: v.timeout === undefined ? undefined : Math.round(Number(v.timeout) * 1000),
      onRetry: (n) => io.err(retryNotice(n)),
    });
    await command.run({
      client,
      id: id ?? "",
      fields,
      values: v,
      json: v.json === true,
      out: io.out,
      note: io.err,
      isTTY: io.isTTY === true,
    });
    return 0;
  } catch (e) {
    if (e instanceof UsageError) return fail(2, { code: e.code, message: e.message }, commandUsage(group, command));
    // An id the client refused before sending anything is a mistake in the command line, not an API error.
    if (e instanceof LimitlyError && e.code === "INVALID_ID" && e.status === undefined)
      return fail(2, { code: e.code, message: e.message }, commandUsage(group, command));
    if (e instanceof LimitlyError) return fail(1, { code: e.code, status: e.status, message: e.message });
    return fail(1, { code: LimitlyError.codeOf(e), message: redact(`limitly: ${(e as Error).message}`) });
  } finally {
    await client?.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
