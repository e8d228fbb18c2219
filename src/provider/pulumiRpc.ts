/**
 * The gRPC modules the plugin and the engine log speak through: the generated Pulumi protocol
 * stubs and the gRPC and protobuf runtimes, all from the `@pulumi/pulumi` installed beside this
 * package (its peer), so that both speak exactly the protocol version of the SDK the user
 * installed. Each module is loaded on first use: the dynamic resources' provider host only ever
 * needs the engine's, and only to log.
 */
import { dirname } from "node:path";
import type * as grpcJs from "@grpc/grpc-js";
import type * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import type * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import type * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import type * as statusPb from "@pulumi/pulumi/proto/status_pb";
import type * as anyPb from "google-protobuf/google/protobuf/any_pb";
import type * as emptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as structPb from "google-protobuf/google/protobuf/struct_pb";

/** The modules, typed by the declarations `@pulumi/pulumi` and `@types/google-protobuf` ship. */
export interface PulumiRpc {
  readonly grpc: typeof grpcJs;
  readonly provider: typeof providerPb;
  readonly providerGrpc: typeof providerGrpc;
  readonly plugin: typeof pluginPb;
  readonly status: typeof statusPb;
  readonly engine: typeof enginePb;
  readonly engineGrpc: typeof engineGrpc;
  readonly struct: typeof structPb;
  readonly empty: typeof emptyPb;
  readonly any: typeof anyPb;
}

const PATHS: Record<keyof PulumiRpc, string> = {
  grpc: "@grpc/grpc-js",
  provider: "@pulumi/pulumi/proto/provider_pb",
  providerGrpc: "@pulumi/pulumi/proto/provider_grpc_pb",
  plugin: "@pulumi/pulumi/proto/plugin_pb",
  status: "@pulumi/pulumi/proto/status_pb",
  engine: "@pulumi/pulumi/proto/engine_pb",
  engineGrpc: "@pulumi/pulumi/proto/engine_grpc_pb",
  struct: "google-protobuf/google/protobuf/struct_pb",
  empty: "google-protobuf/google/protobuf/empty_pb",
  any: "google-protobuf/google/protobuf/any_pb",
};

let rpc: PulumiRpc | undefined;

/** The modules; each is required from beside `@pulumi/pulumi` when first read. Throws when it is not installed. */
export function pulumiRpc(): PulumiRpc {
  if (rpc) return rpc;
  const base = dirname(require.resolve("@pulumi/pulumi/package.json"));
  const loaded: Partial<Record<keyof PulumiRpc, unknown>> = {};
  const lazy = {} as PulumiRpc;
  for (const name of Object.keys(PATHS) as (keyof PulumiRpc)[]) {
    Object.defineProperty(lazy, name, {
      enumerable: true,
      get: () => (loaded[name] ??= require(require.resolve(PATHS[name], { paths: [base] }))),
    });
  }
  return (rpc = lazy);
}
