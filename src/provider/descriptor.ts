/**
 * One descriptor per resource: every property declared once, with what each consumer needs of it.
 * `check` takes its input rules from here (inputSpecs), the dynamic resources their output names,
 * the provider plugin its schema and secrets, and the `limitly` command its options. Adding a
 * property is one entry; a consumer that needs something the entry lacks fails to compile or to
 * generate.
 */
import type { PropertySpec } from "./check";

/** A property's type in the Pulumi package schema (the subset this package uses). */
export type SchemaType =
  | { type: "string" | "integer" | "number" | "boolean" }
  | { type: "object"; additionalProperties: SchemaType }
  | { type: "array"; items: SchemaType }
  | { $ref: string }
  | { oneOf: SchemaType[] };

/** How the `limitly` command reads a property from its command line. */
export interface CliOption {
  /** `--<option>`. */
  option: string;
  /** How the option's text becomes a value before the input rule checks it. */
  parse: "text" | "json" | "number" | "boolean";
  /** Shown in the usage line, e.g. `<name>`, `active|inactive`. */
  hint: string;
  /** Required by `limitly … create`. */
  requiredOnCreate?: boolean;
}

export interface PropertyDescriptor {
  /** What users read in their editor, in the schema and in the generated SDKs. */
  description: string;
  type: SchemaType;
  /** Present for inputs: the rule `check` applies and the sentence it says when a value does not fit. */
  input?: PropertySpec;
  /** A required input. */
  required?: boolean;
  /** The documented default of an input left unset. */
  default?: string | number | boolean;
  /** Not an output: read at creation only, or provider bookkeeping. Default: every property is an output. */
  inputOnly?: boolean;
  /** Encrypted in the state and masked in output. */
  secret?: boolean;
  /** The `limitly` command's option for this field, for the resources it manages. */
  cli?: CliOption;
}

export interface ResourceDescriptor {
  /** The type name: `ApiKey`, `Plan`, … (the token is `limitly:index:<typeName>`). */
  typeName: string;
  description: string;
  properties: Record<string, PropertyDescriptor>;
  /** What `pulumi import` takes as the id, for the schema's docs. */
  importId: string;
}

/** The Pulumi type token of a resource served by the provider plugin. */
export const tokenOf = (d: ResourceDescriptor): string => `limitly:index:${d.typeName}`;

/** The input rules `check` applies, by property. */
export function inputSpecs(d: ResourceDescriptor): Record<string, PropertySpec> {
  return Object.fromEntries(
    Object.entries(d.properties).flatMap(([name, p]) => (p.input ? [[name, p.input] as const] : [])),
  );
}

/** The names of the resource's outputs. */
export function outputNames(d: ResourceDescriptor): string[] {
  return Object.entries(d.properties)
    .filter(([, p]) => !p.inputOnly)
    .map(([name]) => name);
}

/** The outputs that are no input: what only Limitly gives (ids, times, values). */
export function computedOutputs(d: ResourceDescriptor): string[] {
  return outputNames(d).filter((name) => !d.properties[name].input);
}

/** The outputs that are secret. */
export function secretOutputs(d: ResourceDescriptor): string[] {
  return Object.entries(d.properties)
    .filter(([, p]) => p.secret)
    .map(([name]) => name);
}

/** The `limitly` command's fields: property name and option, in declaration order. */
export function cliFields(d: ResourceDescriptor): (CliOption & { prop: string })[] {
  return Object.entries(d.properties).flatMap(([prop, p]) => (p.cli ? [{ prop, ...p.cli }] : []));
}

/** The names of a descriptor's inputs, as a type. */
export type InputName<D extends { properties: object }> = {
  [K in keyof D["properties"]]: D["properties"][K] extends { input: PropertySpec } ? K : never;
}[keyof D["properties"]];

/**
 * `true` when `A` and `B` are the same set of names; otherwise what `A` has that the descriptor's
 * `B` lacks and the reverse, so that `const _: SameNames<keyof Args, InputName<typeof d>> = true`
 * fails to compile, naming the property, when a class and its descriptor disagree.
 */
export type SameNames<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never]
  ? true
  : { notInDescriptor: Exclude<A, B>; missingFromClass: Exclude<B, A> };

/** The names of a descriptor's outputs, as a type. */
export type OutputName<D extends { properties: object }> = {
  [K in keyof D["properties"]]: D["properties"][K] extends { inputOnly: true } ? never : K;
}[keyof D["properties"]];

/** The names of a resource class's declared outputs (its `Output` properties, less `id` and `urn`). */
export type DeclaredOutputs<C> = Exclude<
  {
    [K in keyof C]-?: C[K] extends (...args: never[]) => unknown ? never : C[K] extends { apply: unknown } ? K : never;
  }[keyof C],
  "id" | "urn"
>;
