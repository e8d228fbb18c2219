/**
 * The gRPC modules the plugin and the engine log speak through: the generated Pulumi protocol
 * stubs and the gRPC and protobuf runtimes, from the `@pulumi/pulumi` installed beside this package
 * (its peer), so that both speak exactly the protocol version of the SDK the user installed (the
 * plugin's executable bundles the ones this repository locks). Each module is loaded on first use: the dynamic resources' provider host only ever
 * needs the engine's, and only to log.
 */
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

// Literal requires, each resolved the way Node resolves any dependency of this package (the peer
// `@pulumi/pulumi` and the gRPC and protobuf runtimes npm installs beside it), so that a bundler can
// follow them: the plugin's single executable is built from the same code as the npm bin.
const LOADERS: { [K in keyof PulumiRpc]: () => PulumiRpc[K] } = {
  grpc: () => require("@grpc/grpc-js"),
  provider: () => require("@pulumi/pulumi/proto/provider_pb"),
  providerGrpc: () => require("@pulumi/pulumi/proto/provider_grpc_pb"),
  plugin: () => require("@pulumi/pulumi/proto/plugin_pb"),
  status: () => require("@pulumi/pulumi/proto/status_pb"),
  engine: () => require("@pulumi/pulumi/proto/engine_pb"),
  engineGrpc: () => require("@pulumi/pulumi/proto/engine_grpc_pb"),
  struct: () => require("google-protobuf/google/protobuf/struct_pb"),
  empty: () => require("google-protobuf/google/protobuf/empty_pb"),
  any: () => require("google-protobuf/google/protobuf/any_pb"),
};

let rpc: PulumiRpc | undefined;

/** The modules; each is required when first read. Throws when `@pulumi/pulumi` is not installed. */
export function pulumiRpc(): PulumiRpc {
  if (rpc) return rpc;
  const loaded: Partial<Record<keyof PulumiRpc, unknown>> = {};
  const lazy = {} as PulumiRpc;
  for (const name of Object.keys(LOADERS) as (keyof PulumiRpc)[]) {
    Object.defineProperty(lazy, name, {
      enumerable: true,
      get: () => (loaded[name] ??= LOADERS[name]()),
    });
  }
  return (rpc = lazy);
}
