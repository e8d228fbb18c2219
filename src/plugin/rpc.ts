/**
 * The gRPC modules the plugin speaks through: the generated Pulumi protocol stubs and the gRPC and
 * protobuf runtimes, all from the `@pulumi/pulumi` installed beside this package (its peer), so the
 * plugin speaks exactly the protocol version of the SDK the user installed.
 */
import { dirname } from "node:path";

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface Rpc {
  grpc: any;
  provider: any;
  providerService: any;
  plugin: any;
  status: any;
  struct: any;
  empty: any;
  any: any;
}

let rpc: Rpc | undefined;

export function loadRpc(): Rpc {
  if (rpc) return rpc;
  const base = dirname(require.resolve("@pulumi/pulumi/package.json"));
  const req = (m: string) => require(require.resolve(m, { paths: [base] }));
  rpc = {
    grpc: req("@grpc/grpc-js"),
    provider: req("@pulumi/pulumi/proto/provider_pb"),
    providerService: req("@pulumi/pulumi/proto/provider_grpc_pb").ResourceProviderService,
    plugin: req("@pulumi/pulumi/proto/plugin_pb"),
    status: req("@pulumi/pulumi/proto/status_pb"),
    struct: req("google-protobuf/google/protobuf/struct_pb"),
    empty: req("google-protobuf/google/protobuf/empty_pb"),
    any: req("google-protobuf/google/protobuf/any_pb"),
  };
  return rpc;
}
