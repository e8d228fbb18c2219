/**
 * Property values between the engine's wire form and the hooks. The engine sends a secret as an
 * object tagged with Pulumi's secret signature and a value not known yet (preview) as the unknown
 * sentinel string, which the hooks already understand. Secrets are unwrapped for the hooks, every
 * secret value is remembered by the redactor as it is read (so that no message of this process
 * can echo it; `hideInMessages`, not `rememberSecret`, which would also refuse a secret id where
 * an id belongs), and {@link secretNames} says which properties a response wraps again.
 */
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { hideInMessages } from "../client/errors";
import { secretOutputs } from "../provider/descriptor";
import { DESCRIPTORS, type ResourceKind } from "../provider/descriptors";
import { pulumiRpc } from "../provider/pulumiRpc";
import { SECRET_SIG, SIG_KEY } from "../provider/secretSignature";

type Props = Record<string, unknown>;

const isSecret = (v: unknown): v is { value: unknown } =>
  v !== null && typeof v === "object" && (v as Props)[SIG_KEY] === SECRET_SIG;

/** The value without secret wrappers at any depth. */
function reveal(v: unknown): unknown {
  if (isSecret(v)) return reveal(v.value);
  if (Array.isArray(v)) return v.map(reveal);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reveal(x)]));
  return v;
}

/** Whether a value holds a secret anywhere inside. */
function holdsSecret(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (v !== null && typeof v === "object") return Object.values(v).some(holdsSecret);
  return false;
}

/** The strings and numbers inside `v`, as text. */
function leaves(v: unknown): string[] {
  if (typeof v === "string" || typeof v === "number") return [String(v)];
  if (v !== null && typeof v === "object") return Object.values(v).flatMap(leaves);
  return [];
}

/** The values held in secret anywhere inside `v`. */
function secretValues(v: unknown): string[] {
  if (isSecret(v)) return leaves(reveal(v.value));
  if (v !== null && typeof v === "object") return Object.values(v).flatMap(secretValues);
  return [];
}

/** A property bag as the engine sent it, unwrapped. */
export interface Unwrapped {
  props: Props;
  /** The top-level properties that held a secret anywhere inside. */
  secrets: Set<string>;
}

/** A Struct as plain properties; every secret value in it is remembered by the redactor (of four characters or more). */
export function fromStruct(struct: Struct | undefined): Unwrapped {
  const raw = (struct ? struct.toJavaScript() : {}) as Props;
  for (const value of secretValues(raw)) hideInMessages(value);
  return { props: reveal(raw) as Props, secrets: new Set(Object.keys(raw).filter((k) => holdsSecret(raw[k]))) };
}

/**
 * The properties a response about `kind` wraps as secret: the descriptor's secret outputs, and
 * every property that came in secret in any of the request's bags. An output named as a secret
 * input is made from it, so it stays secret.
 */
export function secretNames(kind: ResourceKind | undefined, ...requestSecrets: Iterable<string>[]): Set<string> {
  const names = new Set(kind ? secretOutputs(DESCRIPTORS[kind]) : []);
  for (const bag of requestSecrets) for (const name of bag) names.add(name);
  return names;
}

/** Drops undefined values at any depth: a Struct cannot carry them. */
function defined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(defined);
  if (v !== null && typeof v === "object")
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, defined(x)]),
    );
  return v;
}

/** A value wrapped as a secret. */
export const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

/** Properties as a Struct, with `secretNames` wrapped as secrets. */
export function toStruct(props: Props, secretNames: Iterable<string> = []): Struct {
  const out = defined(props) as Props;
  for (const name of secretNames) if (out[name] !== undefined && !isSecret(out[name])) out[name] = secret(out[name]);
  return pulumiRpc().struct.Struct.fromJavaScript(out as Parameters<typeof Struct.fromJavaScript>[0]);
}
