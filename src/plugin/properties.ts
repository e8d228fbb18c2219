/**
 * Property values between the engine's wire form and the hooks. The engine sends a secret as an
 * object tagged with Pulumi's secret signature and a value not known yet (preview) as the unknown
 * sentinel string, which the hooks already understand. Secrets are unwrapped for the hooks and
 * wrapped again on the way out: the descriptor's secret outputs always, and any output whose input
 * came in secret.
 */
import { loadRpc } from "./rpc";

type Props = Record<string, unknown>;

/** Pulumi's signature key of special values, and its value for secrets. */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

const isSecret = (v: unknown): v is { value: unknown } =>
  v !== null && typeof v === "object" && (v as Props)[SIG] === SECRET_SIG;

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
  if (Array.isArray(v)) return v.some(holdsSecret);
  if (v !== null && typeof v === "object") return Object.values(v).some(holdsSecret);
  return false;
}

export const secret = (value: unknown) => ({ [SIG]: SECRET_SIG, value });

/** A Struct as plain properties, and the names of the top-level properties that held a secret. */
export function fromStruct(struct: { toJavaScript(): Props } | undefined): { props: Props; secrets: Set<string> } {
  const raw = struct ? struct.toJavaScript() : {};
  const secrets = new Set(Object.keys(raw).filter((k) => holdsSecret(raw[k])));
  return { props: reveal(raw) as Props, secrets };
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

/** Properties as a Struct, with `secretNames` wrapped as secrets. */
export function toStruct(props: Props, secretNames: Iterable<string> = []) {
  const out = defined(props) as Props;
  for (const name of secretNames) if (out[name] !== undefined && !isSecret(out[name])) out[name] = secret(out[name]);
  return loadRpc().struct.Struct.fromJavaScript(out);
}
