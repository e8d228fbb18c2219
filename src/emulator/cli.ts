#!/usr/bin/env node
/**
 * `limitly-emulator --port <n> --api-key <key> [--api-key …] [--state <file.json>] [--rate-limit <per minute>] [--max-keys <n>]`
 */
import { parseArgs } from "node:util";
import { startEmulator } from "./server";

const USAGE =
  "usage: limitly-emulator [--port <n>] [--api-key <key>]... [--state <file.json>] [--rate-limit <per minute>] [--max-keys <n>] [--quiet]";

async function main(argv: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: "string", default: "0" },
        "api-key": { type: "string", multiple: true },
        state: { type: "string" },
        "rate-limit": { type: "string" },
        "max-keys": { type: "string" },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = Number(values.port);
  const rate = values["rate-limit"] === undefined ? undefined : Number(values["rate-limit"]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be an integer from 0 to 65535\n${USAGE}\n`);
    process.exit(2);
  }
  if (rate !== undefined && !(Number.isFinite(rate) && rate >= 0)) {
    process.stderr.write(`--rate-limit must be a number of requests per minute (0 turns it off)\n${USAGE}\n`);
    process.exit(2);
  }
  const maxKeys = values["max-keys"] === undefined ? undefined : Number(values["max-keys"]);
  if (maxKeys !== undefined && !(Number.isInteger(maxKeys) && maxKeys >= 0)) {
    process.stderr.write(`--max-keys must be a whole number of keys the account may hold\n${USAGE}\n`);
    process.exit(2);
  }
  const given = values["api-key"] ?? [];
  // Signals are handled from the start: a stop while starting still exits cleanly, with code 0.
  const running: { emu?: Awaited<ReturnType<typeof startEmulator>>; stopping?: boolean } = {};
  const stop = () => {
    if (running.stopping) return;
    running.stopping = true;
    void (running.emu ? running.emu.close() : Promise.resolve()).then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const emu = await startEmulator({
    port,
    apiKeys: given,
    stateFile: values.state,
    rateLimitPerMinute: rate,
    maxKeys,
    log: values.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`${emu.url}\n`);
  if (given.length === 0) {
    // The only time the emulator prints a credential: one it made up, so the user can use it.
    process.stdout.write(`generated account API key: ${emu.apiKeys[0]}\n`);
  }
  running.emu = emu;
  if (running.stopping) await emu.close().then(() => process.exit(0));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`limitly-emulator: ${(e as Error).message}\n`);
  process.exit(1);
});
