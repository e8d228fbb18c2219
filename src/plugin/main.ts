#!/usr/bin/env node
/**
 * The `pulumi-resource-limitly` command: the engine starts it (with its own address as an
 * argument), reads the port it serves on from the first line of stdout, and talks gRPC to it.
 *
 * SIGINT or SIGTERM (the engine sends SIGINT when it is done with a plugin; a user may send either)
 * cancels every call in flight and lets each answer, so that a create cut short after Limitly
 * named its key still tells the engine about the key, then the process exits. A second signal exits at once.
 *
 * `--version` prints the version and exits, as Pulumi's own provider plugins do.
 */
import { redact } from "../client/errors";
import { VERSION } from "../version";
import { serve } from "./server";

process.on("unhandledRejection", (e) => process.stderr.write(`pulumi-resource-limitly: ${redact(String(e))}\n`));

if (process.argv.includes("--version")) process.stdout.write(`${VERSION}\n`);
else start();

function start(): void {
  serve().then(
    (serving) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) process.exit(1);
        stopping = true;
        serving.provider.inflight.cancelAll(`pulumi-resource-limitly received ${signal}`);
        // The answers have gone once the calls are idle; a connection the engine keeps open is not waited for long.
        const closed = serving.provider.inflight.idle().then(() => serving.shutdown());
        void Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]).then(() =>
          process.exit(0),
        );
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
      process.stdout.write(`${serving.port}\n`);
    },
    (e: Error) => {
      process.stderr.write(`pulumi-resource-limitly could not start: ${redact(e.message)}\n`);
      process.exit(1);
    },
  );
}
