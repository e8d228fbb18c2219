/**
 * Warnings from the provider to the person running `pulumi preview` or `pulumi up`.
 *
 * A dynamic provider's hooks have no logging of their own: Pulumi's provider host
 * (`@pulumi/pulumi/cmd/dynamic-provider`) is started with the engine's address as its first
 * argument but never connects `pulumi.log` to it. So the provider speaks the engine's `Log` RPC
 * itself, with the gRPC modules of the `@pulumi/pulumi` that runs it; the CLI prints the message
 * as a warning in the preview. Without an engine (or when the call fails) it goes to stderr.
 */
import { dirname } from "node:path";

/* eslint-disable @typescript-eslint/no-explicit-any */
interface EngineLink {
  client: any;
  LogRequest: any;
  severity: Record<"INFO" | "WARNING", number>;
}

let link: EngineLink | null | undefined;

/** The engine's address, as the provider host was started with it. */
function engineAddress(): string | undefined {
  // The engine adds flags (`-v=9`, `--logtostderr`) before it when asked to log.
  return process.argv.slice(2).find((a) => /^[\w.[\]:-]+:\d+$/.test(a));
}

function connect(): EngineLink | null {
  if (link !== undefined) return link;
  const addr = engineAddress();
  try {
    if (!addr) return (link = null);
    const base = dirname(require.resolve("@pulumi/pulumi/package.json"));
    const req = (m: string) => require(require.resolve(m, { paths: [base] }));
    const grpc = req("@grpc/grpc-js");
    const { EngineClient } = req("@pulumi/pulumi/proto/engine_grpc_pb");
    const { LogRequest, LogSeverity } = req("@pulumi/pulumi/proto/engine_pb");
    link = { client: new EngineClient(addr, grpc.credentials.createInsecure()), LogRequest, severity: LogSeverity };
  } catch {
    link = null;
  }
  return link;
}

/** Shows `message` to the user at `level`; never throws and never waits more than 5 s. */
export async function tellUser(level: "INFO" | "WARNING", message: string): Promise<void> {
  const engine = connect();
  const fallback = () => process.stderr.write(`${level.toLowerCase()}: ${message}\n`);
  if (!engine) return void fallback();
  await new Promise<void>((resolve) => {
    const r = new engine.LogRequest();
    r.setSeverity(engine.severity[level]);
    r.setMessage(message);
    r.setUrn("");
    engine.client.log(r, { deadline: Date.now() + 5_000 }, (e: unknown) => {
      if (e) fallback();
      resolve();
    });
  });
}
