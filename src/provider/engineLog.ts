/**
 * Warnings from the provider to the person running `pulumi preview` or `pulumi up`.
 *
 * A dynamic provider's hooks have no logging of their own: Pulumi's provider host
 * (`@pulumi/pulumi/cmd/dynamic-provider`) is started with the engine's address as its first
 * argument but never connects `pulumi.log` to it. So the provider speaks the engine's `Log` RPC
 * itself, with the gRPC modules of the `@pulumi/pulumi` that runs it; the CLI prints the message
 * as a warning in the preview. Without an engine (or when the call fails) it goes to stderr.
 */
import type { EngineClient } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { pulumiRpc } from "./pulumiRpc";

let client: EngineClient | null | undefined;

/** The engine's address, as the provider host was started with it. */
function engineAddress(): string | undefined {
  // The engine adds flags (`-v=9`, `--logtostderr`) before it when asked to log.
  return process.argv.slice(2).find((a) => /^[\w.[\]:-]+:\d+$/.test(a));
}

function connect(): EngineClient | null {
  if (client !== undefined) return client;
  const addr = engineAddress();
  try {
    if (!addr) return (client = null);
    const { grpc, engineGrpc } = pulumiRpc();
    client = new engineGrpc.EngineClient(addr, grpc.credentials.createInsecure());
  } catch {
    client = null;
  }
  return client;
}

/** Shows `message` to the user at `level`; never throws and never waits more than 5 s. */
export async function tellUser(level: "INFO" | "WARNING", message: string): Promise<void> {
  const engine = connect();
  const fallback = () => process.stderr.write(`${level.toLowerCase()}: ${message}\n`);
  if (!engine) return void fallback();
  const { engine: pb, grpc } = pulumiRpc();
  await new Promise<void>((resolve) => {
    const r = new pb.LogRequest();
    r.setSeverity(level === "INFO" ? pb.LogSeverity.INFO : pb.LogSeverity.WARNING);
    r.setMessage(message);
    r.setUrn("");
    engine.log(r, new grpc.Metadata(), { deadline: Date.now() + 5_000 }, (e) => {
      if (e) fallback();
      resolve();
    });
  });
}
