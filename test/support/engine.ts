/**
 * Drives `@pulumi/pulumi/cmd/dynamic-provider` (Pulumi's own provider host) over gRPC, from the
 * scratch project where the packed package is installed, the way the Pulumi engine does: Configure
 * once, then Check/Diff/Create/Read/Update/Delete carrying the serialized `__provider` a user's
 * program produced. {@link Engine} replays the engine's sequences (preview, up, refresh, destroy)
 * and keeps a state the way a stack does.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { SCRATCH, serializedProvider } from "./scratch";

/* eslint-disable @typescript-eslint/no-explicit-any */
const pulumiDir = join(SCRATCH, "node_modules/@pulumi/pulumi");

/** The scratch project's gRPC and protobuf modules, loaded once it is installed. */
let modules:
  | {
      grpc: any;
      provproto: any;
      provrpc: any;
      structproto: any;
      statusproto: any;
      engrpc: any;
      engproto: any;
      emptyproto: any;
    }
  | undefined;
function pb() {
  if (!modules) {
    const req = createRequire(join(pulumiDir, "package.json"));
    modules = {
      grpc: req("@grpc/grpc-js"),
      provproto: req("./proto/provider_pb"),
      provrpc: req("./proto/provider_grpc_pb"),
      structproto: req("google-protobuf/google/protobuf/struct_pb"),
      statusproto: req("./proto/status_pb"),
      engrpc: req("./proto/engine_grpc_pb"),
      engproto: req("./proto/engine_pb"),
      emptyproto: req("google-protobuf/google/protobuf/empty_pb"),
    };
  }
  return modules;
}

type Props = Record<string, any>;
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export class HostError extends Error {
  constructor(
    message: string,
    readonly initFailure?: { id: string; properties: Props; reasons: string[] },
  ) {
    super(message);
  }
}

/** What the provider told the engine through its `Log` RPC, as the CLI would print it. */
export interface EngineLog {
  severity: "DEBUG" | "INFO" | "WARNING" | "ERROR";
  message: string;
}

/** The engine's `Log` service, which the provider host is given the address of, as the CLI does. */
async function startEngineLog(logs: EngineLog[]): Promise<{ addr: string; close(): void }> {
  const { grpc, engrpc, engproto, emptyproto } = pb();
  const names = Object.fromEntries(Object.entries(engproto.LogSeverity).map(([k, v]) => [v, k]));
  const server = new grpc.Server();
  server.addService(engrpc.EngineService, {
    log(call: any, cb: any) {
      logs.push({ severity: names[call.request.getSeverity()], message: call.request.getMessage() });
      cb(null, new emptyproto.Empty());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e: Error | null, p: number) =>
      e ? reject(e) : resolve(p),
    ),
  );
  return { addr: `127.0.0.1:${port}`, close: () => server.forceShutdown() };
}

/** A running provider host process and a gRPC client connected to it. */
export class ProviderHost {
  stdout = "";
  stderr = "";
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: any,
    private readonly engineLog: { close(): void },
    /** Messages the provider logged to the engine. */
    readonly logs: EngineLog[],
  ) {}

  static async start(env: Record<string, string | undefined> = {}): Promise<ProviderHost> {
    const entry = join(pulumiDir, "cmd/dynamic-provider/index.js");
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      LIMITLY_API_KEY: undefined,
      LIMITLY_BASE_URL: undefined,
      ...env,
    };
    for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k];
    const logs: EngineLog[] = [];
    const engineLog = await startEngineLog(logs);
    const child = spawn(process.execPath, [entry, engineLog.addr], {
      cwd: SCRATCH,
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      child.once("exit", () => engineLog.close());
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = /^(\d+)\s*$/m.exec(out);
        if (m) {
          child.stdout!.off("data", onData);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on("data", onData);
      child.once("exit", (code) => reject(new Error(`provider host exited with ${code}: ${err}`)));
    });
    const { provrpc, grpc } = pb();
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const host = new ProviderHost(child, client, engineLog, logs);
    host.stdout = out;
    child.stdout!.on("data", (d: Buffer) => (host.stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (host.stderr += d.toString()));
    host.stderr = err;
    return host;
  }

  private call<T>(method: string, request: any): Promise<T> {
    return new Promise((resolve, reject) => {
      const { statusproto, provproto } = pb();
      this.client[method](request, (e: any, resp: T) => {
        if (!e) return resolve(resp);
        let initFailure: HostError["initFailure"];
        const bin = e.metadata?.get?.("grpc-status-details-bin")?.[0];
        if (bin) {
          const status = statusproto.Status.deserializeBinary(bin);
          for (const any of status.getDetailsList()) {
            const detail = any.unpack(
              provproto.ErrorResourceInitFailed.deserializeBinary,
              "pulumirpc.ErrorResourceInitFailed",
            );
            if (detail)
              initFailure = {
                id: detail.getId(),
                properties: detail.getProperties()?.toJavaScript() ?? {},
                reasons: detail.getReasonsList(),
              };
          }
        }
        reject(new HostError(e.details ?? e.message, initFailure));
      });
    });
  }

  async configure(config: Record<string, string>): Promise<void> {
    const { provproto, structproto } = pb();
    const r = new provproto.ConfigureRequest();
    r.setArgs(structproto.Struct.fromJavaScript(config));
    const vars = r.getVariablesMap();
    for (const [k, v] of Object.entries(config)) vars.set(k, v);
    await this.call("configure", r);
  }

  async check(
    urn: string,
    olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const { provproto, structproto } = pb();
    const r = new provproto.CheckRequest();
    r.setUrn(urn);
    r.setOlds(structproto.Struct.fromJavaScript(olds));
    r.setNews(structproto.Struct.fromJavaScript(news));
    const resp: any = await this.call("check", r);
    return {
      inputs: resp.getInputs()?.toJavaScript() ?? {},
      failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(
    urn: string,
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[]; deleteBeforeReplace: boolean }> {
    const { provproto, structproto } = pb();
    const r = new provproto.DiffRequest();
    r.setUrn(urn);
    r.setId(id);
    r.setOlds(structproto.Struct.fromJavaScript(olds));
    r.setNews(structproto.Struct.fromJavaScript(news));
    const resp: any = await this.call("diff", r);
    const C = provproto.DiffResponse.DiffChanges;
    const c = resp.getChanges();
    return {
      changes: c === C.DIFF_NONE ? "none" : c === C.DIFF_SOME ? "some" : "unknown",
      replaces: resp.getReplacesList(),
      deleteBeforeReplace: resp.getDeletebeforereplace(),
    };
  }

  async create(urn: string, props: Props): Promise<{ id: string; outputs: Props }> {
    const { provproto, structproto } = pb();
    const r = new provproto.CreateRequest();
    r.setUrn(urn);
    r.setProperties(structproto.Struct.fromJavaScript(props));
    const resp: any = await this.call("create", r);
    return { id: resp.getId(), outputs: resp.getProperties()?.toJavaScript() ?? {} };
  }

  async read(
    urn: string,
    id: string,
    props: Props,
    inputs: Props = {},
  ): Promise<{ id: string; outputs: Props; inputs?: Props }> {
    const { provproto, structproto } = pb();
    const r = new provproto.ReadRequest();
    r.setUrn(urn);
    r.setId(id);
    r.setProperties(structproto.Struct.fromJavaScript(props));
    r.setInputs(structproto.Struct.fromJavaScript(inputs));
    const resp: any = await this.call("read", r);
    return {
      id: resp.getId(),
      outputs: resp.getProperties()?.toJavaScript() ?? {},
      inputs: resp.getInputs()?.toJavaScript(),
    };
  }

  async update(urn: string, id: string, olds: Props, news: Props): Promise<Props> {
    const { provproto, structproto } = pb();
    const r = new provproto.UpdateRequest();
    r.setUrn(urn);
    r.setId(id);
    r.setOlds(structproto.Struct.fromJavaScript(olds));
    r.setNews(structproto.Struct.fromJavaScript(news));
    const resp: any = await this.call("update", r);
    return resp.getProperties()?.toJavaScript() ?? {};
  }

  async delete(urn: string, id: string, props: Props): Promise<void> {
    const { provproto, structproto } = pb();
    const r = new provproto.DeleteRequest();
    r.setUrn(urn);
    r.setId(id);
    r.setProperties(structproto.Struct.fromJavaScript(props));
    await this.call("delete", r);
  }

  /** SIGKILL, as a CI runner killed or a laptop closed would end it: no cleanup runs. */
  async kill(): Promise<void> {
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.kill("SIGKILL");
    await exited;
    this.client.close();
    this.engineLog.close();
  }

  async stop(): Promise<void> {
    this.client.close();
    this.engineLog.close();
    // A child killed by a signal has a null exitCode but a signalCode.
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill("SIGTERM");
    });
  }
}

/** What a stack holds for one resource. */
export interface StateEntry {
  type: string;
  name: string;
  id: string;
  inputs: Props;
  outputs: Props;
}

export type Op = "create" | "same" | "update" | "replace";

export class CheckFailed extends Error {
  constructor(readonly failures: { property: string; reason: string }[]) {
    super(failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
  }
}

/** The engine's sequences over one provider host, with a stack state. */
export class Engine {
  readonly state = new Map<string, StateEntry>();
  /** Old objects of replacements whose delete failed; the engine retries them on the next run. */
  readonly pendingDeletes: StateEntry[] = [];

  constructor(readonly host: ProviderHost) {}

  urn(type: string, name: string): string {
    return `urn:pulumi:test::scratch::${type}::${name}`;
  }

  private readonly providers = new Map<string, string>();

  /** The user's args plus the serialized provider a program registered for the type, as the engine sends them. */
  private withProvider(type: string, args: Props): Props {
    let provider = this.providers.get(type);
    if (provider === undefined) {
      provider = serializedProvider(type);
      this.providers.set(type, provider);
    }
    return { ...args, __provider: provider };
  }

  /** check, then diff against the state: what `pulumi preview` shows. No create/update/delete. */
  async preview(type: string, name: string, args: Props): Promise<{ op: Op; replaces: string[] }> {
    const urn = this.urn(type, name);
    const old = this.state.get(urn);
    const checked = await this.host.check(urn, old?.inputs ?? {}, this.withProvider(type, args));
    if (checked.failures.length) throw new CheckFailed(checked.failures);
    if (!old) return { op: "create", replaces: [] };
    const d = await this.host.diff(urn, old.id, old.outputs, checked.inputs);
    if (d.replaces.length) return { op: "replace", replaces: d.replaces };
    return { op: d.changes === "some" ? "update" : "same", replaces: [] };
  }

  /** check, diff, then create / update / replace (create new, then delete old): `pulumi up`. */
  async up(type: string, name: string, args: Props): Promise<{ op: Op; entry: StateEntry }> {
    const urn = this.urn(type, name);
    const old = this.state.get(urn);
    const checked = await this.host.check(urn, old?.inputs ?? {}, this.withProvider(type, args));
    if (checked.failures.length) throw new CheckFailed(checked.failures);
    if (old) {
      const d = await this.host.diff(urn, old.id, old.outputs, checked.inputs);
      if (d.replaces.length === 0) {
        if (d.changes !== "some") return { op: "same", entry: old };
        let outputs: Props;
        try {
          outputs = await this.host.update(urn, old.id, old.outputs, checked.inputs);
        } catch (e) {
          // As the engine does: an update that failed to initialize records the properties it returned.
          if (e instanceof HostError && e.initFailure)
            this.state.set(urn, { ...old, inputs: checked.inputs, outputs: e.initFailure.properties });
          throw e;
        }
        const entry = { ...old, inputs: checked.inputs, outputs };
        this.state.set(urn, entry);
        return { op: "update", entry };
      }
      if (d.deleteBeforeReplace) await this.host.delete(urn, old.id, old.outputs);
      // As the engine does (step_generator): a replacement's inputs are checked again without the
      // old ones, since the object is created anew.
      const again = await this.host.check(urn, {}, this.withProvider(type, args));
      if (again.failures.length) throw new CheckFailed(again.failures);
      let created: StateEntry;
      try {
        created = await this.createInto(type, name, urn, again.inputs);
      } catch (e) {
        // As the engine does (CreateStep.Apply): a replacement that was created but failed to
        // initialize is recorded, and the old object is marked for deletion by the next update.
        if (e instanceof HostError && e.initFailure && !d.deleteBeforeReplace) this.pendingDeletes.push(old);
        throw e;
      }
      if (!d.deleteBeforeReplace) {
        try {
          await this.host.delete(urn, old.id, old.outputs);
        } catch (e) {
          this.pendingDeletes.push(old);
          throw e;
        }
      }
      return { op: "replace", entry: created };
    }
    return { op: "create", entry: await this.createInto(type, name, urn, checked.inputs) };
  }

  private async createInto(type: string, name: string, urn: string, inputs: Props): Promise<StateEntry> {
    try {
      const { id, outputs } = await this.host.create(urn, inputs);
      const entry = { type, name, id, inputs, outputs };
      this.state.set(urn, entry);
      return entry;
    } catch (e) {
      // As the engine does: an object created but failed to initialize is recorded in the state.
      if (e instanceof HostError && e.initFailure) {
        this.state.set(urn, {
          type,
          name,
          id: e.initFailure.id,
          inputs,
          // Stored as returned, __provider included or not, as the engine stores them.
          outputs: e.initFailure.properties,
        });
      }
      throw e;
    }
  }

  /** read: `pulumi refresh`. A resource whose read returns no id leaves the state. */
  async refresh(type: string, name: string): Promise<"gone" | StateEntry> {
    const urn = this.urn(type, name);
    const old = this.state.get(urn);
    if (!old) throw new Error(`${urn} is not in the state`);
    const r = await this.host.read(urn, old.id, old.outputs, old.inputs);
    if (!r.id) {
      this.state.delete(urn);
      return "gone";
    }
    const entry = {
      ...old,
      id: r.id,
      outputs: r.outputs,
      inputs: r.inputs && Object.keys(r.inputs).length ? r.inputs : old.inputs,
    };
    this.state.set(urn, entry);
    return entry;
  }

  /** delete: `pulumi destroy` of one resource. */
  async destroy(type: string, name: string): Promise<void> {
    const urn = this.urn(type, name);
    const old = this.state.get(urn);
    if (!old) return;
    await this.host.delete(urn, old.id, old.outputs);
    this.state.delete(urn);
  }

  /** Retries the deletes of replaced objects that failed earlier, as the engine's next run does. */
  async settlePendingDeletes(): Promise<void> {
    for (const old of this.pendingDeletes.splice(0)) {
      try {
        await this.host.delete(this.urn(old.type, old.name), old.id, old.outputs);
      } catch (e) {
        this.pendingDeletes.push(old);
        throw e;
      }
    }
  }

  /** Destroys everything, newest first (dependents before what they depend on). */
  async destroyAll(): Promise<void> {
    for (const e of [...this.state.values()].reverse()) await this.destroy(e.type, e.name);
  }
}
