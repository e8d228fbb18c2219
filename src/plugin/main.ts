#!/usr/bin/env node
/**
 * The `pulumi-resource-limitly` command: the engine starts it (with its own address as an
 * argument), reads the port it serves on from the first line of stdout, and talks gRPC to it.
 */
import { redact } from "../client/errors";
import { serve } from "./server";

process.on("unhandledRejection", (e) => process.stderr.write(`pulumi-resource-limitly: ${redact(String(e))}\n`));

serve().then(
  (port) => process.stdout.write(`${port}\n`),
  (e: Error) => {
    process.stderr.write(`pulumi-resource-limitly could not start: ${redact(e.message)}\n`);
    process.exit(1);
  },
);
