/**
 * Which property values are secret, as the engine sent them to the policy pack.
 *
 * `@pulumi/policy` unwraps secrets before a policy sees a resource's properties, so a policy cannot
 * tell `pulumi.secret(value)` from `value`. The engine does send the difference: every secret
 * arrives wrapped in Pulumi's secret signature. So this module wraps the SDK's
 * `deserializeProperties`, keeps the wire form of each property bag it deserializes, and hands it
 * back for a resource's `props`. It relies on two internals of `@pulumi/policy` (tested with
 * 1.21): the `deserialize` module's export, and the `__getSpecialProxyTarget` key of the proxy
 * around `props`. Without them, {@link wireFormOf} answers `undefined` and the policy says so.
 */
import { SECRET_SIG, SIG_KEY } from "../provider/secretSignature";

const PROXY_TARGET = "__getSpecialProxyTarget";

const wireForms = new WeakMap<object, unknown>();
let installed = false;

/** Starts keeping wire forms; true when `@pulumi/policy` could be hooked. */
export function keepWireForms(): boolean {
  if (installed) return true;
  try {
    const d = require("@pulumi/policy/deserialize") as {
      deserializeProperties: (s: { toJavaScript(): unknown }, proxy: boolean) => object;
    };
    const original = d.deserializeProperties;
    if (typeof original !== "function") return false;
    d.deserializeProperties = (struct, proxySecrets) => {
      const props = original(struct, proxySecrets);
      try {
        wireForms.set(props, struct.toJavaScript());
      } catch {
        // Not a Struct: leave this bag without a wire form.
      }
      return props;
    };
    installed = true;
  } catch {
    installed = false;
  }
  return installed;
}

/** The wire form of a resource's `props` (secrets still wrapped), if it was kept. */
export function wireFormOf(props: object): Record<string, unknown> | undefined {
  let target: unknown = props;
  try {
    target = (props as Record<string, unknown>)[PROXY_TARGET] ?? props;
  } catch {
    // An unknown-value proxy may throw: the bag is then used as it is.
  }
  return (typeof target === "object" && target ? wireForms.get(target) : undefined) as
    | Record<string, unknown>
    | undefined;
}

export function isSecretWrapper(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** The value inside a secret wrapper, or the value itself. */
export const unwrapped = (v: unknown): unknown => (isSecretWrapper(v) ? v.value : v);

/** Calls `visit` for every string outside a secret, with its property path. */
export function plaintextStrings(v: unknown, visit: (s: string, path: string) => void, path = ""): void {
  if (isSecretWrapper(v)) return;
  if (typeof v === "string") return visit(v, path);
  if (Array.isArray(v)) return v.forEach((x, i) => plaintextStrings(x, visit, `${path}[${i}]`));
  if (typeof v === "object" && v !== null)
    for (const [k, x] of Object.entries(v)) plaintextStrings(x, visit, path ? `${path}.${k}` : k);
}
