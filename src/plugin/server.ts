/**
 * `pulumi-resource-limitly`: Pulumi's ResourceProvider gRPC service over the provider core. Every
 * resource hook is the core's (`hooks(kind)`), the same the dynamic resources run; this door adds
 * what a real provider has and a dynamic one does not: provider configuration per provider
 * resource (CheckConfig, DiffConfig, Configure), a schema, functions (Invoke) and import (Read with
 * only an id). One process serves one provider configuration, that is one Limitly account.
 */
import { LimitlyError, redact, rememberSecret } from "../client/errors";
import { hooks } from "../provider";
import { clientOf, configure, settingProblem } from "../provider/config";
import { secretOutputs, tokenOf } from "../provider/descriptor";
import { DESCRIPTORS, type ResourceKind } from "../provider/descriptors";
import { FUNCTIONS } from "../provider/descriptors/functions";
import { PROVIDER_SETTINGS } from "../provider/descriptors/provider";
import { OWNER_INPUT } from "../provider/owner";
import { isUnknown } from "../provider/unknown";
import { VERSION } from "../version";
import { fromStruct, toStruct } from "./properties";
import { ownerOf, recordedIdentity, STACK_IDENTITY_SETTING } from "./identity";
import { loadRpc } from "./rpc";
import { packageSchema } from "./schema";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Props = Record<string, unknown>;
type Callback = (err: unknown, value?: unknown) => void;
type Call = { request: any };

const KINDS = new Map(Object.values(DESCRIPTORS).map((d) => [tokenOf(d), d.typeName as ResourceKind]));
const SECRET_OUTPUTS = new Map(Object.values(DESCRIPTORS).map((d) => [d.typeName, secretOutputs(d)]));

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
function kindOf(req: any): ResourceKind {
  const type = (req.getType?.() as string | undefined) || parseUrn(req.getUrn()).type;
  const kind = KINDS.get(type);
  if (!kind)
    throw new LimitlyError({
      code: "UNKNOWN_RESOURCE_KIND",
      message: `pulumi-resource-limitly has no resource ${type}`,
    });
  return kind;
}

/** A settings value as text, for the core's `limitly:<name>` getter; the engine may send numbers. */
const settingText = (v: unknown) => (v === undefined || v === null || isUnknown(v) ? undefined : String(v));

/** The provider's settings from a Configure request: `args` (typed) or the older `variables` map. */
function settingsOf(req: any): Props {
  if (req.hasArgs?.()) return fromStruct(req.getArgs()).props;
  const out: Props = {};
  req.getVariablesMap().forEach((v: string, k: string) => {
    out[k.replace(/^limitly:(config:)?/, "")] = v;
  });
  return out;
}

export class LimitlyProviderServer {
  /** The core's provider object: the settings of this provider's account, and its client. */
  private readonly self: object = {};
  /** The provider resource's name, so that an error says which account it came from. */
  private providerName?: string;
  /** The stack identity this provider's state records (identity.ts), which key owner tags name. */
  private stackIdentity?: unknown;

  private readonly rpc = loadRpc();

  constructor() {
    configure(this.self, undefined);
  }

  /** Runs a hook, answering the engine with its result or its error. */
  private handle(callback: Callback, work: () => Promise<unknown>): void {
    work().then(
      (resp) => callback(null, resp),
      (e) => callback(this.errorFor(e)),
    );
  }

  /** An error as the engine reads it: an object kept in the stack travels as ErrorResourceInitFailed. */
  private errorFor(e: unknown): unknown {
    const { grpc, status: statusPb, provider, any } = this.rpc;
    const err = e as Error & { id?: string; properties?: Props; reasons?: string[]; kind?: ResourceKind };
    const text = err instanceof Error ? err.message : String(e);
    const message = redact(this.providerName ? `limitly provider "${this.providerName}": ${text}` : text);
    const metadata = new grpc.Metadata();
    if (err && err.id) {
      const status = new statusPb.Status();
      status.setCode(grpc.status.UNKNOWN);
      status.setMessage(message);
      const detail = new provider.ErrorResourceInitFailed();
      detail.setId(err.id);
      detail.setProperties(toStruct(err.properties ?? {}, err.kind ? SECRET_OUTPUTS.get(err.kind) : []));
      detail.setReasonsList((err.reasons ?? []).map((r) => redact(r)));
      const packed = new any.Any();
      packed.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
      status.addDetails(packed);
      metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
    }
    return { code: grpc.status.UNKNOWN, details: message, message, metadata };
  }

  /** Runs a resource hook; an error that keeps the object in the stack learns its kind for the secrets. */
  private async hook<T>(kind: ResourceKind, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (e && typeof e === "object" && "id" in e) Object.assign(e, { kind });
      throw e;
    }
  }

  getPluginInfo(_call: Call, callback: Callback) {
    const info = new this.rpc.plugin.PluginInfo();
    info.setVersion(VERSION);
    callback(null, info);
  }

  getSchema(call: Call, callback: Callback) {
    const resp = new this.rpc.provider.GetSchemaResponse();
    resp.setSchema(JSON.stringify(packageSchema()));
    callback(null, resp);
  }

  checkConfig(call: Call, callback: Callback) {
    this.handle(callback, async () => {
      const { props: olds } = fromStruct(call.request.getOlds());
      const { props: news } = fromStruct(call.request.getNews());
      const resp = new this.rpc.provider.CheckResponse();
      const failures = Object.entries(news).flatMap(([name, value]) => {
        const problem = settingProblem(name, value);
        if (!problem) return [];
        const f = new this.rpc.provider.CheckFailure();
        f.setProperty(name);
        f.setReason(problem);
        return [f];
      });
      resp.setInputs(toStruct({ ...news, [STACK_IDENTITY_SETTING]: recordedIdentity(olds, news) }, ["apiKey"]));
      resp.setFailuresList(failures);
      return resp;
    });
  }

  diffConfig(call: Call, callback: Callback) {
    this.handle(callback, async () => {
      const { props: olds } = fromStruct(call.request.getOldInputs?.() ?? call.request.getOlds());
      const { props: news } = fromStruct(call.request.getNews());
      const changed = Object.keys(PROVIDER_SETTINGS).filter((k) => settingText(olds[k]) !== settingText(news[k]));
      const resp = new this.rpc.provider.DiffResponse();
      const { DiffChanges } = this.rpc.provider.DiffResponse;
      resp.setChanges(changed.length ? DiffChanges.DIFF_SOME : DiffChanges.DIFF_NONE);
      resp.setDiffsList(changed);
      return resp;
    });
  }

  configure(call: Call, callback: Callback) {
    this.handle(callback, async () => {
      const req = call.request;
      this.providerName = req.hasName?.() ? req.getName() : req.hasUrn?.() ? parseUrn(req.getUrn()).name : undefined;
      const settings = settingsOf(req);
      this.stackIdentity = settings[STACK_IDENTITY_SETTING];
      rememberSecret(settingText(settings.apiKey));
      configure(this.self, { config: { get: (key: string) => settingText(settings[key.replace(/^limitly:/, "")]) } });
      const resp = new this.rpc.provider.ConfigureResponse();
      resp.setAcceptsecrets(true);
      resp.setSupportspreview(false);
      return resp;
    });
  }

  check(call: Call, callback: Callback) {
    this.handle(callback, async () => {
      const req = call.request;
      const kind = kindOf(req);
      const { props: olds } = fromStruct(req.getOlds());
      const { props: news, secrets } = fromStruct(req.getNews());
      const owner =
        kind === "ApiKey" || kind === "RotatingApiKey" ? ownerOf(this.stackIdentity, req.getUrn()) : undefined;
      const result = (await hooks(kind).check(this.self, olds, owner ? { ...news, [OWNER_INPUT]: owner } : news)) as {
        inputs: Props;
        failures: { property: string; reason: string }[];
      };
      const resp = new this.rpc.provider.CheckResponse();
      resp.setInputs(toStruct(result.inputs, secrets));
      resp.setFailuresList(
        result.failures.map((f) => {
          const failure = new this.rpc.provider.CheckFailure();
          failure.setProperty(f.property);
          failure.setReason(f.reason);
          return failure;
        }),
      );
      return resp;
    });
  }

  diff(call: Call, callback: Callback) {
    this.handle(callback, async () => {
      const req = call.request;
      const kind = kindOf(req);
      const { props: olds } = fromStruct(req.getOlds());
      const { props: news } = fromStruct(req.getNews());
      const r = (await hooks(kind).diff(this.self, req.getId(), olds, news)) as {
        changes: boolean;
        replaces: string[];
        deleteBeforeReplace: boolean;
      };
      const resp = new this.rpc.provider.DiffResponse();
      const { DiffChanges } = this.rpc.provider.DiffResponse;
      resp.setChanges(r.changes ? DiffChanges.DIFF_SOME : DiffChanges.DIFF_NONE);
      resp.setReplacesList(r.replaces);
      resp.setDeletebeforereplace(r.deleteBeforeReplace);
      return resp;
    });
  }

  create(call: Call, callback: Callback) {
    this.handle(callback, async () => {
      const req = call.request;
      const kind = kindOf(req);
      const { props, secrets } = fromStruct(req.getProperties());
      const r = await this.hook(kind, () => hooks(kind).create(this.self, props));
      const resp = new this.rpc.provider.CreateResponse();
      resp.setId(r.id);
      resp.setProperties(toStruct(r.outs, [...secrets, ...SECRET_OUTPUTS.get(kind)!]));
      return resp;
    });
  }

  read(call: Call, callback: Callback) {
    this.handle(callback, async () => {
      const req = call.request;
      const kind = kindOf(req);
      const { props, secrets } = fromStruct(req.getProperties());
      const { secrets: inputSecrets } = fromStruct(req.getInputs());
      const r = (await hooks(kind).read(this.self, req.getId(), props)) as {
        id: string;
        props?: Props;
        inputs?: Props;
      };
      const resp = new this.rpc.provider.ReadResponse();
      resp.setId(r.id);
      if (r.id) {
        resp.setProperties(toStruct(r.props ?? {}, [...secrets, ...SECRET_OUTPUTS.get(kind)!]));
        resp.setInputs(toStruct(r.inputs ?? {}, inputSecrets));
      }
      return resp;
    });
  }

  update(call: Call, callback: Callback) {
    this.handle(callback, async () => {
      const req = call.request;
      const kind = kindOf(req);
      const { props: olds } = fromStruct(req.getOlds());
      const { props: news, secrets } = fromStruct(req.getNews());
      const r = (await this.hook(kind, () => hooks(kind).update(this.self, req.getId(), olds, news))) as {
        outs: Props;
      };
      const resp = new this.rpc.provider.UpdateResponse();
      resp.setProperties(toStruct(r.outs, [...secrets, ...SECRET_OUTPUTS.get(kind)!]));
      return resp;
    });
  }

  delete(call: Call, callback: Callback) {
    this.handle(callback, async () => {
      const req = call.request;
      const kind = kindOf(req);
      const { props } = fromStruct(req.getProperties());
      await hooks(kind).remove(this.self, req.getId(), props);
      return new this.rpc.empty.Empty();
    });
  }

  invoke(call: Call, callback: Callback) {
    this.handle(callback, async () => {
      const req = call.request;
      const token: string = req.getTok();
      const f = FUNCTIONS.find((x) => `limitly:index:${x.name}` === token);
      if (!f)
        throw new LimitlyError({
          code: "UNKNOWN_RESOURCE_KIND",
          message: `pulumi-resource-limitly has no function ${token}`,
        });
      const { props: args } = fromStruct(req.getArgs());
      const resp = new this.rpc.provider.InvokeResponse();
      const missing = Object.entries(f.args).filter(
        ([n, a]) => a.required && (args[n] === undefined || args[n] === null),
      );
      if (missing.length) {
        resp.setFailuresList(
          missing.map(([n]) => {
            const failure = new this.rpc.provider.CheckFailure();
            failure.setProperty(n);
            failure.setReason(`${n} is required`);
            return failure;
          }),
        );
        return resp;
      }
      resp.setReturn(toStruct((await f.run(clientOf(this.self), args)) as Props));
      return resp;
    });
  }

  cancel(_call: Call, callback: Callback) {
    callback(null, new this.rpc.empty.Empty());
  }

  attach(_call: Call, callback: Callback) {
    callback(null, new this.rpc.empty.Empty());
  }
}

/** Starts the gRPC server on a loopback port; resolves with the port, which the engine reads from stdout. */
export async function serve(): Promise<number> {
  const { grpc, providerService } = loadRpc();
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  const impl = new LimitlyProviderServer();
  const methods = Object.fromEntries(
    Object.keys(providerService)
      .filter((m) => typeof (impl as any)[m] === "function")
      .map((m) => [m, (impl as any)[m].bind(impl)]),
  );
  server.addService(providerService, methods);
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e: Error | null, port: number) =>
      e ? reject(e) : resolve(port),
    ),
  );
}
