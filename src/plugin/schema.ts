/**
 * The Pulumi package schema of `pulumi-resource-limitly`, made from the descriptors: every
 * resource's properties, the provider's settings and the functions. `npm run gen:schema` writes it
 * to schema.json, where CI checks it is current; the plugin serves the same object.
 */
import { VERSION } from "../version";
import { tokenOf, type PropertyDescriptor, type ResourceDescriptor } from "../provider/descriptor";
import { DESCRIPTORS } from "../provider/descriptors";
import { FUNCTIONS, KEY_REQUEST_TYPE, type FieldDescriptor } from "../provider/descriptors/functions";
import { PROVIDER_SETTINGS, type SettingDescriptor } from "../provider/descriptors/provider";

type Json = Record<string, unknown>;

/** Where releases of the plugin are published; the Go module path's organisation too. */
export const PLUGIN_DOWNLOAD_URL = "github://api.github.com/pulumi-limitly";

function property(p: PropertyDescriptor | FieldDescriptor | SettingDescriptor): Json {
  const out: Json = { ...(p.type as object), description: p.description };
  if ("secret" in p && p.secret) out.secret = true;
  if ("default" in p && p.default !== undefined) out.default = p.default;
  return out;
}

const map = <T>(o: Record<string, T>, f: (v: T) => Json) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

function resource(d: ResourceDescriptor): Json {
  const entries = Object.entries(d.properties);
  const inputs = entries.filter(([, p]) => p.input);
  const outputs = entries.filter(([, p]) => !p.inputOnly);
  const required = inputs.filter(([, p]) => p.required).map(([n]) => n);
  return {
    description: `${d.description}\n\nImport with the id: ${d.importId}.`,
    properties: Object.fromEntries(outputs.map(([n, p]) => [n, property(p)])),
    required,
    inputProperties: Object.fromEntries(inputs.map(([n, p]) => [n, property({ ...p, secret: p.secret })])),
    requiredInputs: required,
  };
}

function objectType(fields: Record<string, FieldDescriptor & { required?: boolean }>): Json {
  const required = Object.entries(fields)
    .filter(([, f]) => f.required)
    .map(([n]) => n);
  return { properties: map(fields, property), ...(required.length ? { required } : {}) };
}

/** The schema as an object. */
export function packageSchema(): Json {
  const settings = map(PROVIDER_SETTINGS, property);
  return {
    name: "limitly",
    displayName: "Limitly",
    version: VERSION,
    description: "Limitly API keys, plans and users as Pulumi resources.",
    keywords: ["pulumi", "limitly", "api-keys", "category/utility", "kind/native"],
    homepage: "https://limitly.dev",
    license: "Apache-2.0",
    publisher: "pulumi-limitly",
    // The project's GitHub releases (repository pulumi-limitly, tag v<version>): every SDK's
    // pulumi-plugin.json names it, so the CLI downloads the plugin's executable by itself.
    pluginDownloadURL: PLUGIN_DOWNLOAD_URL,
    config: { variables: settings },
    provider: {
      description:
        "The Limitly provider: one Limitly account. Declare several (`new limitly.Provider(…)`) to manage several accounts in one program.",
      inputProperties: settings,
    },
    resources: Object.fromEntries(Object.values(DESCRIPTORS).map((d) => [tokenOf(d), resource(d)])),
    functions: Object.fromEntries(
      FUNCTIONS.map((f) => [
        `limitly:index:${f.name}`,
        { description: f.description, inputs: objectType(f.args), outputs: objectType(f.results) },
      ]),
    ),
    types: {
      "limitly:index:KeyRequest": { type: "object", ...objectType(KEY_REQUEST_TYPE) },
    },
    language: {
      nodejs: { packageName: "pulumi-limitly", respectSchemaVersion: true },
      python: { packageName: "pulumi_limitly", respectSchemaVersion: true },
      go: { importBasePath: "github.com/pulumi-limitly/pulumi-limitly/sdk/go/limitly", respectSchemaVersion: true },
      // Package com.pulumi.limitly (base package + the schema's name): the Java SDK finds a provider's
      // plugin.json only at com/<namespace>/<name>/plugin.json on the classpath. No Gradle files: they cannot build offline
      // and pin com.pulumi:pulumi 1.0.0; scripts/gen-sdk.js writes a Maven pom.xml instead.
      java: { basePackage: "com.pulumi", buildFiles: "none" },
    },
  };
}
