/**
 * Command-line options turned into client fields by the provider's own rules (the descriptors'
 * input rules `check` uses), so that the `limitly` command accepts exactly what a Pulumi program may
 * declare; each option is declared beside its property in the resource's descriptor.
 */
import type { PackageErrorCode } from "../client/errors";
import type { PropertySpec } from "../provider/check";
import { cliFields, inputSpecs, type CliOption, type ResourceDescriptor } from "../provider/descriptor";
import { apiKeyDescriptor, planDescriptor, userDescriptor } from "../provider/descriptors";

/** A mistake on the command line: exit code 2, with the command's usage. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly code = "USAGE" satisfies PackageErrorCode;
}

export type Group = "keys" | "plans" | "users";
type Values = Record<string, string | boolean | undefined>;

type OptionField = CliOption & { prop: string };

/** A group's options and rules, from the descriptor of the resource it manages. */
function group(d: ResourceDescriptor) {
  const fields: OptionField[] = cliFields(d);
  return {
    fields,
    specs: inputSpecs(d),
    required: fields.filter((f) => f.requiredOnCreate).map((f) => f.option),
  };
}

const GROUPS: Record<Group, { fields: OptionField[]; specs: Record<string, PropertySpec>; required: string[] }> = {
  keys: group(apiKeyDescriptor),
  plans: group(planDescriptor),
  users: group(userDescriptor),
};

/** Every field option of every group, for the argument parser. */
export const FIELD_OPTIONS = [...new Set(Object.values(GROUPS).flatMap((g) => g.fields.map((f) => f.option)))];

/** `--name <name> [--user-id <id>] …` for usage lines; required options first and without brackets. */
export function fieldUsage(group: Group, create: boolean): string {
  const g = GROUPS[group];
  return g.fields
    .map((f) => {
      const text = `--${f.option} ${f.hint}`;
      return create && g.required.includes(f.option) ? text : `[${text}]`;
    })
    .join(" ");
}

/** The field options of a group, as usage lines naming what each accepts. */
export function fieldHelp(group: Group): string[] {
  const g = GROUPS[group];
  return g.fields.map((f) => `  --${`${f.option} ${f.hint}`.padEnd(30)} ${g.specs[f.prop].allowed}`);
}

/** The field options given for a group, checked and named as the client expects them. */
export function fieldsFrom(group: Group, values: Values, mode: "create" | "update"): Record<string, unknown> {
  const g = GROUPS[group];
  const out: Record<string, unknown> = {};
  for (const f of g.fields) {
    const raw = values[f.option];
    if (typeof raw !== "string") continue;
    const spec = g.specs[f.prop];
    const bad = () => new UsageError(`--${f.option} must be ${spec.allowed}`);
    let value: unknown = raw;
    if (f.parse === "json") {
      try {
        value = JSON.parse(raw);
      } catch {
        throw new UsageError(`--${f.option} must be a JSON object, e.g. '{"team":"core"}'`);
      }
    } else if (f.parse === "number") {
      if (!/^\d+$/.test(raw.trim())) throw bad();
      value = Number(raw);
    } else if (f.parse === "boolean") {
      if (raw !== "true" && raw !== "false") throw new UsageError(`--${f.option} must be true or false`);
      value = raw === "true";
    }
    const r = spec.schema.safeParse(value);
    if (!r.success) throw bad();
    out[f.prop] = r.data;
  }
  const missing = mode === "create" ? g.required.filter((o) => typeof values[o] !== "string") : [];
  if (missing.length) throw new UsageError(`limitly ${group} create needs ${missing.map((o) => `--${o}`).join(", ")}`);
  if (mode === "update" && Object.keys(out).length === 0)
    throw new UsageError(
      `limitly ${group} update needs at least one of ${g.fields.map((f) => `--${f.option}`).join(", ")}`,
    );
  return out;
}

/** The field options of a group. */
export function fieldOptions(group: Group): string[] {
  return GROUPS[group].fields.map((f) => f.option);
}

/** A user id as the provider accepts one for adoption: the positive whole number Limitly assigned. */
export function userIdArgument(id: string): number {
  if (!/^[1-9]\d{0,15}$/.test(id))
    throw new UsageError(`a user id is the positive whole number Limitly assigned, not ${JSON.stringify(id)}`);
  return Number(id);
}
