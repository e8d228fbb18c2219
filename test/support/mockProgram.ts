/**
 * Runs a Pulumi program under `pulumi.runtime.setMocks` with the config of one of its stack
 * files, in a fresh module registry, and returns what it registered (with the options the
 * monitor received) and its exports, resolved.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface MockRegistration {
  type: string;
  name: string;
  inputs: Record<string, any>;
  additionalSecretOutputs: string[];
}

export interface MockRun {
  registrations: MockRegistration[];
  exports: Record<string, { value: unknown; secret: boolean }>;
}

/** The config of `Pulumi.<stack>.yaml` as the SDK holds it: `ns:key` → string (objects as JSON). */
export function stackConfig(dir: string, stack: string): Record<string, string> {
  const doc = (load(readFileSync(join(dir, `Pulumi.${stack}.yaml`), "utf8")) ?? {}) as {
    config?: Record<string, unknown>;
  };
  return Object.fromEntries(
    Object.entries(doc.config ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

export function projectName(dir: string): string {
  return (load(readFileSync(join(dir, "Pulumi.yaml"), "utf8")) as { name: string }).name;
}

export async function runProgram(
  dir: string,
  stack: string,
  extraConfig: Record<string, string> = {},
): Promise<MockRun> {
  let pulumi: any;
  let program: Record<string, unknown> = {};
  const registrations: MockRegistration[] = [];
  const secretOutputs: Record<string, string[]> = {};
  jest.isolateModules(() => {
    pulumi = require("@pulumi/pulumi");
    pulumi.runtime.setMocks(
      {
        newResource(args: any) {
          registrations.push({ type: args.type, name: args.name, inputs: args.inputs, additionalSecretOutputs: [] });
          const computed: Record<string, unknown> = {};
          if (args.type.endsWith(":ApiKey")) computed.apiKey = `lk_user_mock_${args.name}`;
          if (args.type.endsWith(":User")) computed.userId = 7;
          return { id: args.type.endsWith(":User") ? "7" : `${args.name}_id`, state: { ...args.inputs, ...computed } };
        },
        call(args: any) {
          return args.inputs;
        },
      },
      projectName(dir),
      stack,
      false,
    );
    pulumi.runtime.setAllConfig({ ...stackConfig(dir, stack), ...extraConfig });
    const monitor = require("@pulumi/pulumi/runtime/settings").getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, cb: any) => {
      secretOutputs[req.getName()] = req.getAdditionalsecretoutputsList();
      return register(req, cb);
    };
    program = require(join(dir, "index.ts"));
  });
  const exports: MockRun["exports"] = {};
  for (const [name, value] of Object.entries(program)) {
    // pulumi.output also unwraps arrays and objects of Outputs, as stack exports are.
    const o = pulumi.output(value);
    exports[name] = { value: await new Promise((r) => o.apply(r)), secret: await o.isSecret };
  }
  for (const r of registrations) r.additionalSecretOutputs = secretOutputs[r.name] ?? [];
  return { registrations, exports };
}
