/**
 * Drives the provider plugin over gRPC the way the engine does: `LimitlyProviderServer` served
 * in-process on a loopback port, or the built command in a process of its own, and a
 * ResourceProvider client of the same protocol stubs. Answers
 * keep the wire form (secrets as Pulumi's secret objects, unknowns as the sentinel), so a test
 * sees exactly what the engine would.
 */
import type { ServiceError } from "@grpc/grpc-js";
import type { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as pb from "@pulumi/pulumi/proto/provider_pb";
import type { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { pulumiRpc } from "../../src/provider/pulumiRpc";
import { serve, type Serving } from "../../src/plugin/server";
import { REPO } from "./scratch";

type Props = Record<string, unknown>;

export { secret } from "../../src/plugin/properties";
export { UNKNOWN } from "../../src/provider/unknown";

/**
 * `LIMITLY_PLUGIN_EXECUTABLE`: the path of a release's standalone `pulumi-resource-limitly`, for
 * running the plugin suites against it instead of the npm bin.
 */
export const PLUGIN_EXECUTABLE = process.env.LIMITLY_PLUGIN_EXECUTABLE || undefined;

/** A resource's URN in a stack `dev` of project `proj`. */
export const urnOf = (type: string, name: string) => `urn:pulumi:dev::proj::limitly:index:${type}::${name}`;

/** What a failed call told the engine; `initFailure` when it kept an object in the stack. */
export class PluginError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly initFailure?: { id: string; properties: Props; reasons: string[] },
  ) {
    super(message);
  }
}

export interface DiffAnswer {
  changes: "unknown" | "none" | "some";
  replaces: string[];
  stables: string[];
  diffs: string[];
  deleteBeforeReplace: boolean;
  hasDetailedDiff: boolean;
  /** By path: Pulumi's kind (`UPDATE_REPLACE`, …) and whether it is an input difference. */
  detailedDiff: Record<string, { kind: string; inputDiff: boolean }>;
}

export interface CheckAnswer {
  inputs: Props;
  failures: { property: string; reason: string }[];
}

/** A client of the plugin serving on `port`. */
function clientOn(port: number): ResourceProviderClient {
  const { grpc, providerGrpc } = pulumiRpc();
  return new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

export class PluginDriver {
  private constructor(
    private readonly client: ResourceProviderClient,
    private readonly stop: () => Promise<void>,
    /** The plugin's process, when it runs in one of its own. */
    readonly child?: ChildProcess,
  ) {}

  /** The plugin served in this process. */
  static async start(): Promise<PluginDriver> {
    const serving: Serving = await serve();
    return new PluginDriver(clientOn(serving.port), () => serving.shutdown());
  }

  /**
   * The built `pulumi-resource-limitly` (dist/plugin/main.js, or the standalone executable that
   * {@link PLUGIN_EXECUTABLE} names) in a process of its own, as the engine starts it.
   */
  static async spawn(env: NodeJS.ProcessEnv = {}, executable = PLUGIN_EXECUTABLE): Promise<PluginDriver> {
    const [command, args] = executable ? [executable, []] : [process.execPath, [join(REPO, "dist/plugin/main.js")]];
    const child = spawn(command, args, {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /^(\d+)\s*$/m.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once("exit", (code) => reject(new Error(`pulumi-resource-limitly exited with ${code} before serving`)));
    });
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await new Promise((resolve) => child.once("exit", resolve));
      }
    };
    return new PluginDriver(clientOn(port), stop, child);
  }

  /** The version GetPluginInfo answers. */
  async pluginVersion(): Promise<string> {
    const { empty } = pulumiRpc();
    const info = await this.call<{ getVersion(): string }>((cb) => this.client.getPluginInfo(new empty.Empty(), cb));
    return info.getVersion();
  }

  async close(): Promise<void> {
    this.client.close();
    await this.stop();
  }

  private call<Resp>(send: (cb: (e: ServiceError | null, r: Resp) => void) => unknown): Promise<Resp> {
    const { status: statusPb, provider } = pulumiRpc();
    return new Promise((resolve, reject) =>
      send((e, resp) => {
        if (!e) return resolve(resp);
        let initFailure: PluginError["initFailure"];
        const bin = e.metadata?.get("grpc-status-details-bin")?.[0];
        if (bin) {
          for (const any of statusPb.Status.deserializeBinary(bin as Uint8Array).getDetailsList()) {
            const detail = any.unpack(
              provider.ErrorResourceInitFailed.deserializeBinary,
              "pulumirpc.ErrorResourceInitFailed",
            );
            if (detail)
              initFailure = {
                id: detail.getId(),
                properties: (detail.getProperties()?.toJavaScript() ?? {}) as Props,
                reasons: detail.getReasonsList(),
              };
          }
        }
        reject(new PluginError(e.details ?? e.message, e.code, initFailure));
      }),
    );
  }

  private struct(props: Props) {
    return pulumiRpc().struct.Struct.fromJavaScript(props as Record<string, JavaScriptValue>);
  }

  private checkAnswer(resp: pb.CheckResponse): CheckAnswer {
    return {
      inputs: (resp.getInputs()?.toJavaScript() ?? {}) as Props,
      failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  private diffAnswer(resp: pb.DiffResponse): DiffAnswer {
    const { DiffResponse, PropertyDiff } = pulumiRpc().provider;
    const name = <E extends Record<string, string | number>>(e: E, v: number) =>
      Object.keys(e).find((k) => e[k] === v) ?? String(v);
    const detailedDiff: DiffAnswer["detailedDiff"] = {};
    resp.getDetaileddiffMap().forEach((d, path) => {
      detailedDiff[path] = { kind: name(PropertyDiff.Kind, d.getKind()), inputDiff: d.getInputdiff() };
    });
    return {
      changes: name(DiffResponse.DiffChanges, resp.getChanges())
        .replace("DIFF_", "")
        .toLowerCase() as DiffAnswer["changes"],
      replaces: resp.getReplacesList(),
      stables: resp.getStablesList(),
      diffs: resp.getDiffsList(),
      deleteBeforeReplace: resp.getDeletebeforereplace(),
      hasDetailedDiff: resp.getHasdetaileddiff(),
      detailedDiff,
    };
  }

  async configure(settings: Props, name = "default"): Promise<void> {
    const r = new (pulumiRpc().provider.ConfigureRequest)();
    r.setArgs(this.struct(settings));
    r.setName(name);
    await this.call<pb.ConfigureResponse>((cb) => this.client.configure(r, cb));
  }

  async checkConfig(olds: Props, news: Props): Promise<CheckAnswer> {
    const r = new (pulumiRpc().provider.CheckRequest)();
    r.setUrn("urn:pulumi:dev::proj::pulumi:providers:limitly::default");
    r.setOlds(this.struct(olds));
    r.setNews(this.struct(news));
    return this.checkAnswer(await this.call<pb.CheckResponse>((cb) => this.client.checkConfig(r, cb)));
  }

  async diffConfig(olds: Props, news: Props): Promise<DiffAnswer> {
    const r = new (pulumiRpc().provider.DiffRequest)();
    r.setUrn("urn:pulumi:dev::proj::pulumi:providers:limitly::default");
    r.setId("provider-id");
    r.setOldInputs(this.struct(olds));
    r.setOlds(this.struct(olds));
    r.setNews(this.struct(news));
    return this.diffAnswer(await this.call<pb.DiffResponse>((cb) => this.client.diffConfig(r, cb)));
  }

  async check(urn: string, olds: Props, news: Props): Promise<CheckAnswer> {
    const r = new (pulumiRpc().provider.CheckRequest)();
    r.setUrn(urn);
    r.setOlds(this.struct(olds));
    r.setNews(this.struct(news));
    return this.checkAnswer(await this.call<pb.CheckResponse>((cb) => this.client.check(r, cb)));
  }

  async diff(urn: string, id: string, olds: Props, news: Props, ignoreChanges: string[] = []): Promise<DiffAnswer> {
    const r = new (pulumiRpc().provider.DiffRequest)();
    r.setUrn(urn);
    r.setId(id);
    r.setOlds(this.struct(olds));
    r.setNews(this.struct(news));
    r.setIgnorechangesList(ignoreChanges);
    return this.diffAnswer(await this.call<pb.DiffResponse>((cb) => this.client.diff(r, cb)));
  }

  async create(urn: string, props: Props, opts: { preview?: boolean; timeout?: number } = {}) {
    const r = new (pulumiRpc().provider.CreateRequest)();
    r.setUrn(urn);
    r.setProperties(this.struct(props));
    r.setPreview(opts.preview ?? false);
    r.setTimeout(opts.timeout ?? 0);
    const resp = await this.call<pb.CreateResponse>((cb) => this.client.create(r, cb));
    return { id: resp.getId(), properties: (resp.getProperties()?.toJavaScript() ?? {}) as Props };
  }

  async read(urn: string, id: string, props: Props, inputs: Props = {}) {
    const r = new (pulumiRpc().provider.ReadRequest)();
    r.setUrn(urn);
    r.setId(id);
    r.setProperties(this.struct(props));
    r.setInputs(this.struct(inputs));
    const resp = await this.call<pb.ReadResponse>((cb) => this.client.read(r, cb));
    return {
      id: resp.getId(),
      properties: (resp.getProperties()?.toJavaScript() ?? {}) as Props,
      inputs: (resp.getInputs()?.toJavaScript() ?? {}) as Props,
    };
  }

  async update(urn: string, id: string, olds: Props, news: Props, opts: { preview?: boolean; timeout?: number } = {}) {
    const r = new (pulumiRpc().provider.UpdateRequest)();
    r.setUrn(urn);
    r.setId(id);
    r.setOlds(this.struct(olds));
    r.setNews(this.struct(news));
    r.setPreview(opts.preview ?? false);
    r.setTimeout(opts.timeout ?? 0);
    const resp = await this.call<pb.UpdateResponse>((cb) => this.client.update(r, cb));
    return { properties: (resp.getProperties()?.toJavaScript() ?? {}) as Props };
  }

  async delete(urn: string, id: string, props: Props, timeout = 0): Promise<void> {
    const r = new (pulumiRpc().provider.DeleteRequest)();
    r.setUrn(urn);
    r.setId(id);
    r.setProperties(this.struct(props));
    r.setTimeout(timeout);
    await this.call<Empty>((cb) => this.client.delete(r, cb));
  }

  async invoke(fn: string, args: Props) {
    const r = new (pulumiRpc().provider.InvokeRequest)();
    r.setTok(`limitly:index:${fn}`);
    r.setArgs(this.struct(args));
    const resp = await this.call<pb.InvokeResponse>((cb) => this.client.invoke(r, cb));
    return {
      result: (resp.getReturn()?.toJavaScript() ?? {}) as Props,
      failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async cancel(): Promise<void> {
    await this.call<Empty>((cb) => this.client.cancel(new (pulumiRpc().empty.Empty)(), cb));
  }
}
