/**
 * The SDK creates an Output property on a resource only for the keys of the props it is given,
 * so every output a resource class declares must be a key here, even when the user leaves it out.
 */
export function withOutputKeys(names: readonly string[], args: object | undefined): Record<string, unknown> {
  return { ...Object.fromEntries(names.map((k) => [k, undefined])), ...(args ?? {}) };
}
