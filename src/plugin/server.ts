/**
 * `pulumi-resource-limitly`: Pulumi's ResourceProvider gRPC service over the provider core. Every
 * resource hook is the core's (`hooks(kind)`), the same the dynamic resources run; this door adds
 * what a real provider has and a dynamic one does not: provider configuration per provider
 * resource (CheckConfig, DiffConfig, Configure), a schema, functions (Invoke), import (Read with
 * only an id), previews answered from the core's plans (no API call), detailed diffs, and
 * cancellation (Cancel, a call's timeout). One process serves one provider configuration, that is
 * one Limitly account.
 */
import type { handleUnaryCall, sendUnaryData, ServerUnaryCall } from "@grpc/grpc-js";
import type { IResourceProviderServer } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as pb from "@pulumi/pulumi/proto/provider_pb";
import type { PluginAttach, PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import type { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { LimitlyError, rememberSecret } from "../client/errors";
import { hooks } from "../provider";
import { checkInputs } from "../provider/check";
import { clientOf, configure } from "../provider/config";
import { tokenOf } from "../provider/descriptor";
import { DESCRIPTORS, type ResourceKind } from "../provider/descriptors";
import { FUNCTIONS } from "../provider/descriptors/functions";
import { OWNER_INPUT } from "../provider/owner";
import { pulumiRpc } from "../provider/pulumiRpc";
import { VERSION } from "../version";
import { ownerOf, recordedIdentity, STACK_IDENTITY_SETTING } from "./identity";
import { InFlight } from "./inflight";
import { fromStruct, secretNames, toStruct } from "./properties";
import { checkFailures, diffResponse, errorResponse } from "./responses";
import { packageSchema } from "./schema";
import { diffSettings, settingFailures, settingText } from "./settings";

type Props = Record<string, unknown>;

const KINDS = new Map(Object.values(DESCRIPTORS).map((d) => [tokenOf(d), d.typeName as ResourceKind]));

/** The parts of a URN: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } {
  const [head, project, qualified, ...rest] = urn.split("::");
  return {
    stack: head.replace(/^urn:pulumi:/, ""),
    project,
    type: (qualified ?? "").split("$").pop() ?? "",
    name: rest.join("::"),
  };
}

/** The resource kind a request is about, from its type token or URN. */
function kindOf(req: { getType(): string; getUrn(): string }): ResourceKind {
  const type = req.getType() || parseUrn(req.getUrn()).type;
  const kind = KINDS.get(type);
  if (!kind)
    throw new LimitlyError({
      code: "UNKNOWN_RESOURCE_KIND",
      message: `pulumi-resource-limitly has no resource ${type}`,
    });
  return kind;
}

/** The provider's settings from a Configure request: `args` (typed) or the older `variables` map. */
function settingsOf(req: pb.ConfigureRequest): Props {
  if (req.hasArgs()) return fromStruct(req.getArgs()).props;
  const out: Props = {};
  req.getVariablesMap().forEach((v: string, k: string) => {
    out[k.replace(/^limitly:(config:)?/, "")] = v;
  });
  return out;
}

/**
 * What one call's request held in secret: every value is remembered by the redactor as it is read
 * (properties.ts), and a response wraps the request's secret properties and its kind's secret
 * outputs, whatever way it answers (success, partial failure, read, invoke).
 */
class RequestSecrets {
  readonly names = new Set<string>();
  /** The resource kind the response is about, for its descriptor's secret outputs. */
  kind?: ResourceKind;

  /** One of the request's property bags, unwrapped. */
  read(struct: Struct | undefined): Props {
    const { props, secrets } = fromStruct(struct);
    for (const name of secrets) this.names.add(name);
    return props;
  }

  /** The properties a response wraps as secret. */
  get wrapped(): Set<string> {
    return secretNames(this.kind, this.names);
  }
}

/** The protocol's methods this provider serves. */
type Served =
  | "getPluginInfo"
  | "getSchema"
  | "checkConfig"
  | "diffConfig"
  | "configure"
  | "check"
  | "diff"
  | "create"
  | "read"
  | "update"
  | "delete"
  | "invoke"
  | "cancel"
  | "attach";

/** How one RPC runs: its request, what it held in secret, and the work's name and timeout. */
interface CallSpec<Req> {
  what: (req: Req) => string;
  timeout?: (req: Req) => number;
}

export class LimitlyProviderServer {
  /** The core's provider object: the settings of this provider's account, and its client. */
  private readonly self: object = {};
  /** The provider resource's name, so that an error says which account it came from. */
  private providerName?: string;
  /** The stack identity this provider's state records (identity.ts), which key owner tags name. */
  private stackIdentity?: unknown;
  /** The calls in flight: Cancel, their timeouts and a signal to the process stop them. */
  readonly inflight = new InFlight();

  private readonly rpc = pulumiRpc();

  constructor() {
    configure(this.self, undefined);
  }

  /** A handler running `work` as one call, answering with its result or its error. */
  private unary<Req, Resp>(
    spec: CallSpec<Req>,
    work: (req: Req, secrets: RequestSecrets) => Promise<Resp>,
  ): handleUnaryCall<Req, Resp> {
    return (call: ServerUnaryCall<Req, Resp>, callback: sendUnaryData<Resp>) => {
      const secrets = new RequestSecrets();
      const req = call.request;
      this.inflight
        .run(spec.what(req), spec.timeout?.(req) ?? 0, () => work(req, secrets))
        .then(
          (resp) => callback(null, resp),
          (e: unknown) => callback(errorResponse(e, { providerName: this.providerName, secretNames: secrets.wrapped })),
        );
    };
  }

  readonly getPluginInfo: handleUnaryCall<Empty, PluginInfo> = (_call, callback) => {
    const info = new this.rpc.plugin.PluginInfo();
    info.setVersion(VERSION);
    callback(null, info);
  };

  readonly getSchema: handleUnaryCall<pb.GetSchemaRequest, pb.GetSchemaResponse> = (_call, callback) => {
    const resp = new this.rpc.provider.GetSchemaResponse();
    resp.setSchema(JSON.stringify(packageSchema()));
    callback(null, resp);
  };

  readonly checkConfig = this.unary<pb.CheckRequest, pb.CheckResponse>(
    { what: () => "checking the provider's settings" },
    async (req, secrets) => {
      const olds = secrets.read(req.getOlds());
      const news = secrets.read(req.getNews());
      const resp = new this.rpc.provider.CheckResponse();
      const secretSettings = ["apiKey", ...secrets.names];
      resp.setInputs(toStruct({ ...news, [STACK_IDENTITY_SETTING]: recordedIdentity(olds, news) }, secretSettings));
      resp.setFailuresList(checkFailures(settingFailures(news), secrets.names));
      return resp;
    },
  );

  readonly diffConfig = this.unary<pb.DiffRequest, pb.DiffResponse>(
    { what: () => "comparing the provider's settings" },
    async (req, secrets) => {
      const olds = secrets.read(req.hasOldInputs() ? req.getOldInputs() : req.getOlds());
      return diffResponse(diffSettings(olds, secrets.read(req.getNews())));
    },
  );

  readonly configure = this.unary<pb.ConfigureRequest, pb.ConfigureResponse>(
    { what: () => "configuring the provider" },
    async (req) => {
      this.providerName = req.hasName() ? req.getName() : req.hasUrn() ? parseUrn(req.getUrn() ?? "").name : undefined;
      const settings = settingsOf(req);
      this.stackIdentity = settings[STACK_IDENTITY_SETTING];
      rememberSecret(settingText(settings.apiKey));
      configure(this.self, { config: { get: (key: string) => settingText(settings[key.replace(/^limitly:/, "")]) } });
      const resp = new this.rpc.provider.ConfigureResponse();
      resp.setAcceptsecrets(true);
      resp.setSupportspreview(true);
      return resp;
    },
  );

  readonly check = this.unary<pb.CheckRequest, pb.CheckResponse>(
    { what: (req) => `checking ${parseUrn(req.getUrn()).name}` },
    async (req, secrets) => {
      const kind = kindOf(req);
      const olds = secrets.read(req.getOlds());
      const news = secrets.read(req.getNews());
      const owner =
        kind === "ApiKey" || kind === "RotatingApiKey" ? ownerOf(this.stackIdentity, req.getUrn()) : undefined;
      const given = owner ? { ...news, [OWNER_INPUT]: owner } : news;
      const result = await hooks(kind).check(this.self, olds, given, { secrets: secrets.names });
      const resp = new this.rpc.provider.CheckResponse();
      resp.setInputs(toStruct(result.inputs, secrets.names));
      resp.setFailuresList(checkFailures(result.failures, secrets.names));
      return resp;
    },
  );

  readonly diff = this.unary<pb.DiffRequest, pb.DiffResponse>(
    { what: (req) => `comparing ${parseUrn(req.getUrn()).name}` },
    async (req, secrets) => {
      const kind = kindOf(req);
      const olds = secrets.read(req.getOlds());
      const news = secrets.read(req.getNews());
      const ignoreChanges = req.getIgnorechangesList();
      return diffResponse(await hooks(kind).diff(this.self, req.getId(), olds, news, { ignoreChanges }));
    },
  );

  readonly create = this.unary<pb.CreateRequest, pb.CreateResponse>(
    { what: (req) => `creating ${parseUrn(req.getUrn()).name}`, timeout: (req) => req.getTimeout() },
    async (req, secrets) => {
      const kind = (secrets.kind = kindOf(req));
      const props = secrets.read(req.getProperties());
      const h = hooks(kind);
      const r = req.getPreview() ? await h.previewCreate(this.self, props) : await h.create(this.self, props);
      const resp = new this.rpc.provider.CreateResponse();
      resp.setId(r.id);
      resp.setProperties(toStruct(r.outs, secrets.wrapped));
      return resp;
    },
  );

  readonly read = this.unary<pb.ReadRequest, pb.ReadResponse>(
    { what: (req) => `reading ${parseUrn(req.getUrn()).name}`, timeout: (req) => req.getTimeout() },
    async (req, secrets) => {
      const kind = (secrets.kind = kindOf(req));
      const props = secrets.read(req.getProperties());
      secrets.read(req.getInputs());
      const r = await hooks(kind).read(this.self, req.getId(), props);
      const resp = new this.rpc.provider.ReadResponse();
      resp.setId(r.id);
      if (r.id) {
        resp.setProperties(toStruct(r.props ?? {}, secrets.wrapped));
        resp.setInputs(toStruct(r.inputs ?? {}, secrets.wrapped));
      }
      return resp;
    },
  );

  readonly update = this.unary<pb.UpdateRequest, pb.UpdateResponse>(
    { what: (req) => `updating ${parseUrn(req.getUrn()).name}`, timeout: (req) => req.getTimeout() },
    async (req, secrets) => {
      const kind = (secrets.kind = kindOf(req));
      const olds = secrets.read(req.getOlds());
      const news = secrets.read(req.getNews());
      const h = hooks(kind);
      const r = req.getPreview()
        ? await h.previewUpdate(this.self, req.getId(), olds, news)
        : await h.update(this.self, req.getId(), olds, news);
      const resp = new this.rpc.provider.UpdateResponse();
      resp.setProperties(toStruct(r.outs, secrets.wrapped));
      return resp;
    },
  );

  readonly delete = this.unary<pb.DeleteRequest, Empty>(
    { what: (req) => `deleting ${parseUrn(req.getUrn()).name}`, timeout: (req) => req.getTimeout() },
    async (req, secrets) => {
      const kind = (secrets.kind = kindOf(req));
      await hooks(kind).remove(this.self, req.getId(), secrets.read(req.getProperties()));
      return new this.rpc.empty.Empty();
    },
  );

  readonly invoke = this.unary<pb.InvokeRequest, pb.InvokeResponse>(
    { what: (req) => `calling ${req.getTok()}` },
    async (req, secrets) => {
      const token = req.getTok();
      const f = FUNCTIONS.find((x) => `limitly:index:${x.name}` === token);
      if (!f)
        throw new LimitlyError({
          code: "UNKNOWN_RESOURCE_KIND",
          message: `pulumi-resource-limitly has no function ${token}`,
        });
      const given = secrets.read(req.getArgs());
      const specs = Object.fromEntries(Object.entries(f.args).map(([name, a]) => [name, a.input]));
      const { inputs: args, failures } = checkInputs(f.name, specs, given, secrets.names);
      const resp = new this.rpc.provider.InvokeResponse();
      if (failures.length) return resp.setFailuresList(checkFailures(failures, secrets.names));
      const result: Props = { ...(await f.run(clientOf(this.self), args)) };
      // A result read with a secret argument is as secret as the argument.
      return resp.setReturn(toStruct(result, secrets.names.size ? Object.keys(result) : []));
    },
  );

  /** Stops every call in flight: each answers (an interrupted create, with what it made), and later calls stop at once. */
  readonly cancel: handleUnaryCall<Empty, Empty> = (_call, callback) => {
    this.inflight.cancelAll("the engine cancelled it (Ctrl-C, or `pulumi cancel`)");
    callback(null, new this.rpc.empty.Empty());
  };

  readonly attach: handleUnaryCall<PluginAttach, Empty> = (_call, callback) => {
    callback(null, new this.rpc.empty.Empty());
  };

  /** The gRPC service implementation: the methods this provider serves (the others answer UNIMPLEMENTED). */
  implementation(): Pick<IResourceProviderServer, Served> {
    const { getPluginInfo, getSchema, checkConfig, diffConfig, configure, check, diff, create, read } = this;
    const { update, invoke, cancel, attach } = this;
    return {
      getPluginInfo,
      getSchema,
      checkConfig,
      diffConfig,
      configure,
      check,
      diff,
      create,
      read,
      update,
      delete: this.delete,
      invoke,
      cancel,
      attach,
    };
  }
}

/** A running plugin: its port, the provider it serves, and how to stop it. */
export interface Serving {
  port: number;
  provider: LimitlyProviderServer;
  /** Stops accepting calls and resolves once those in flight have answered. */
  shutdown(): Promise<void>;
}

/** Starts the gRPC server on a loopback port; the engine reads the port from stdout. */
export async function serve(provider = new LimitlyProviderServer()): Promise<Serving> {
  const { grpc, providerGrpc } = pulumiRpc();
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(providerGrpc.ResourceProviderService, provider.implementation());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e: Error | null, p: number) =>
      e ? reject(e) : resolve(p),
    ),
  );
  return {
    port,
    provider,
    shutdown: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}
