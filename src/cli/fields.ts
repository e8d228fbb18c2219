/**
 * Command-line options turned into client fields by the provider's own rules (the specs `check`
 * uses), so that the `limitly` command accepts exactly what a Pulumi program may declare.
 */
import { apiKeySpecs } from "../provider/apiKeyInputs";
import type { PropertySpec } from "../provider/check";
import type { PackageErrorCode } from "../client/errors";
import { planSpecs } from "../provider/planHooks";
import { userSpecs } from "../provider/userHooks";

/** A mistake on the command line: exit code 2, with the command's usage. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly code = "USAGE" satisfies PackageErrorCode;
}

export type Group = "keys" | "plans" | "users";
type Values = Record<string, string | boolean | undefined>;

/** How one option's text becomes a value before the spec checks it. */
type Parse = "text" | "json" | "number" | "boolean";

interface OptionField {
  option: string;
  prop: string;
  parse: Parse;
  hint: string;
}

const KEY_FIELDS: OptionField[] = [
  { option: "name", prop: "name", parse: "text", hint: "<name>" },
  { option: "user-id", prop: "userId", parse: "text", hint: "<id>" },
  { option: "plan-id", prop: "planId", parse: "text", hint: "<id>" },
  { option: "status", prop: "status", parse: "text", hint: "active|inactive" },
  { option: "metadata", prop: "metadata", parse: "json", hint: "<json object>" },
];
const PLAN_FIELDS: OptionField[] = [
  { option: "name", prop: "name", parse: "text", hint: "<name>" },
  { option: "description", prop: "description", parse: "text", hint: "<text>" },
  { option: "max-requests", prop: "maxRequests", parse: "number", hint: "<n>" },
  { option: "request-period", prop: "requestPeriod", parse: "text", hint: "day|week|month|year" },
  { option: "active", prop: "isActive", parse: "boolean", hint: "true|false" },
];
const USER_FIELDS: OptionField[] = [
  { option: "name", prop: "name", parse: "text", hint: "<name>" },
  { option: "email", prop: "email", parse: "text", hint: "<address>" },
  { option: "plan-id", prop: "planId", parse: "text", hint: "<id>" },
  { option: "disabled", prop: "isDisabled", parse: "boolean", hint: "true|false" },
  { option: "custom-start", prop: "customStart", parse: "text", hint: "<YYYY-MM-DD>" },
];

const GROUPS: Record<Group, { fields: OptionField[]; specs: Record<string, PropertySpec>; required: string[] }> = {
  keys: { fields: KEY_FIELDS, specs: apiKeySpecs, required: ["name"] },
  plans: { fields: PLAN_FIELDS, specs: planSpecs, required: ["name", "max-requests", "request-period"] },
  users: { fields: USER_FIELDS, specs: userSpecs, required: ["name"] },
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
