#!/usr/bin/env node
/**
 * `limitly keys list|get|create|update|delete|regenerate|usage|requests|adopt-snippet`: manage
 * Limitly keys from a terminal with the same client and settings as the Pulumi provider. It never
 * prints the account credential, and prints a key value only on create and regenerate, to stdout.
 */
import { parseArgs } from "node:util";
import { LimitlyClient, DEFAULT_BASE_URL } from "../client/client";
import { LimitlyError, redact } from "../client/errors";
import { apiKeySpecs } from "../provider/apiKeyInputs";
import { VERSION } from "../version";
import type { ApiKeyFields, ApiKeyRecord } from "../client/records";
import { adoptSnippet } from "./adoptSnippet";
import { record, table } from "./format";

const USAGE = `usage: limitly keys <command> [options]

commands:
  list                     every key (paged, with progress on stderr)
  get <id>                 one key
  create --name <name> [--user-id <id>] [--plan-id <id>] [--status active|inactive] [--metadata <json>]
  update <id> [--name …] [--user-id …] [--plan-id …] [--status …] [--metadata …]
  delete <id>
  regenerate <id>          new value, same id; the old value stops working at once
  usage <id>               usage in the current period
  requests <id>            request history
  adopt-snippet            a TypeScript program adopting every existing key with adoptKeyId

options:
  --json                   machine-readable output (errors too: one JSON object on stderr)
  --version                the package version
  --api-key-env <NAME>     environment variable holding the account credential (default LIMITLY_API_KEY)
  --base-url <url>         API base URL (default LIMITLY_BASE_URL, else ${DEFAULT_BASE_URL})`;

class UsageError extends Error {}

const KEY_COLUMNS = ["id", "name", "status", "userId", "planId", "createdAt", "lastUsedAt"];
const COMMANDS = ["list", "get", "create", "update", "delete", "regenerate", "usage", "requests", "adopt-snippet"];
const NEEDS_ID = ["get", "update", "delete", "regenerate", "usage", "requests"];

/** One option checked by the provider's own rule for that input, so the CLI and `check` agree. */
function byProviderRule(option: string, input: keyof typeof apiKeySpecs, value: unknown): unknown {
  const spec = apiKeySpecs[input];
  const r = spec.schema.safeParse(value);
  if (!r.success) throw new UsageError(`--${option} must be ${spec.allowed}`);
  return r.data;
}

function fieldsFrom(v: Record<string, string | boolean | undefined>): ApiKeyFields {
  const f: ApiKeyFields = {};
  if (typeof v.name === "string") f.name = byProviderRule("name", "name", v.name) as string;
  if (typeof v["user-id"] === "string") f.userId = byProviderRule("user-id", "userId", v["user-id"]) as number | string;
  if (typeof v["plan-id"] === "string") f.planId = byProviderRule("plan-id", "planId", v["plan-id"]) as string;
  if (typeof v.status === "string") {
    if (v.status !== "active" && v.status !== "inactive") throw new UsageError("--status must be active or inactive");
    f.status = v.status;
  }
  if (typeof v.metadata === "string") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(v.metadata);
    } catch {
      throw new UsageError('--metadata must be a JSON object, e.g. \'{"team":"core"}\'');
    }
    f.metadata = byProviderRule("metadata", "metadata", parsed) as Record<string, unknown>;
  }
  return f;
}

/** Checks the command line before anything needs the credential; returns the fields to send. */
function checkArguments(
  command: string | undefined,
  id: string | undefined,
  v: Record<string, string | boolean | undefined>,
) {
  if (!command) throw new UsageError("limitly keys needs a command");
  if (!COMMANDS.includes(command)) throw new UsageError(`unknown command keys ${command}`);
  if (NEEDS_ID.includes(command) && !id) throw new UsageError(`limitly keys ${command} needs a key id`);
  if (command !== "create" && command !== "update") return undefined;
  const fields = fieldsFrom(v);
  if (command === "create" && !fields.name) throw new UsageError("limitly keys create needs --name");
  if (command === "update" && Object.keys(fields).length === 0)
    throw new UsageError(
      "limitly keys update needs at least one of --name, --user-id, --plan-id, --status, --metadata",
    );
  return fields;
}

/** Runs the command; returns the exit code. Output goes through the given writers (tests pass their own). */
export async function main(
  argv: string[],
  io: { out: (s: string) => void; err: (s: string) => void; env: NodeJS.ProcessEnv; isTTY?: boolean } = {
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
        name: { type: "string" },
        "user-id": { type: "string" },
        "plan-id": { type: "string" },
        status: { type: "string" },
        metadata: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", default: false },
      },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  const [group, command, id] = positionals;
  if (v.version) {
    io.out(`${VERSION}\n`);
    return 0;
  }
  if (v.help || !group) {
    io.out(`${USAGE}\n`);
    return v.help ? 0 : 2;
  }
  /** Errors go to stderr: as one JSON object with --json, so that scripts can read them too. */
  const fail = (code: number, e: { code: string; status?: number; message: string }, usage = false) => {
    if (v.json) io.err(`${JSON.stringify({ error: e })}\n`);
    else io.err(`${e.message}\n${usage ? `\n${USAGE}\n` : ""}`);
    return code;
  };
  if (group !== "keys" && group !== "api-keys")
    return fail(2, { code: "USAGE", message: `unknown command group ${group}` }, true);
  let fields: ApiKeyFields | undefined;
  try {
    fields = checkArguments(command, id, v);
  } catch (e) {
    return fail(2, { code: "USAGE", message: (e as Error).message }, true);
  }
  const credential = io.env[v["api-key-env"]!];
  if (!credential) {
    return fail(2, {
      code: "MISSING_CREDENTIAL",
      message: `no account credential: set ${v["api-key-env"]} (or name another variable with --api-key-env)`,
    });
  }

  let client: LimitlyClient | undefined;
  const json = (x: unknown) => io.out(`${JSON.stringify(x, null, 2)}\n`);
  const show = (k: ApiKeyRecord) => (v.json ? json(k) : io.out(`${record({ ...k, apiKey: undefined })}\n`));
  const showValue = (k: ApiKeyRecord) => {
    if (v.json) return json(k);
    io.out(`${record({ ...k, apiKey: undefined })}\n`);
    io.out(`apiKey     ${k.apiKey}\n`);
    io.err("Store this value now: Limitly will not show it again.\n");
  };
  try {
    client = new LimitlyClient({
      apiKey: credential,
      baseUrl: v["base-url"] ?? io.env.LIMITLY_BASE_URL ?? DEFAULT_BASE_URL,
    });
    switch (command) {
      case "list":
      case "adopt-snippet": {
        const keys: ApiKeyRecord[] = [];
        for (let page = 1; ; page++) {
          const p = await client.apiKeys.list({ page, limit: 100 });
          keys.push(...p.items);
          const total = p.count ?? keys.length;
          const progress = `fetched ${keys.length} of ${total} keys (page ${page})`;
          io.err(io.isTTY ? `\r${progress}` : `${progress}\n`);
          if (p.items.length < 100 || keys.length >= total) break;
        }
        if (io.isTTY) io.err("\n");
        if (command === "adopt-snippet") io.out(adoptSnippet(keys));
        else if (v.json) json(keys);
        else io.out(`${table(keys as unknown as Record<string, unknown>[], KEY_COLUMNS)}\n`);
        break;
      }
      case "get":
        show(await client.apiKeys.get(id));
        break;
      case "create":
        showValue(await client.apiKeys.create({ ...fields, name: fields!.name! }));
        break;
      case "update":
        show(await client.apiKeys.update(id, fields!));
        break;
      case "delete":
        await client.apiKeys.delete(id);
        if (v.json) json({ id, deleted: true });
        else io.out(`deleted ${id}\n`);
        break;
      case "regenerate":
        showValue(await client.apiKeys.regenerate(id));
        break;
      case "usage": {
        const u = await client.apiKeys.getUsage(id);
        if (v.json) json(u);
        else io.out(`${record(u as unknown as Record<string, unknown>)}\n`);
        break;
      }
      case "requests": {
        const h = await client.apiKeys.getRequests(id);
        if (v.json) json(h);
        else
          io.out(
            `${table(h.requests as unknown as Record<string, unknown>[], ["timestamp", "method", "endpoint", "allowed", "statusCode", "ipAddress"])}\n${h.count} request(s)\n`,
          );
        break;
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof LimitlyError) return fail(1, { code: e.code, status: e.status, message: e.message });
    return fail(1, { code: "ERROR", message: redact(`limitly: ${(e as Error).message}`) });
  } finally {
    await client?.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
