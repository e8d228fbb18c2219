/**
 * The provider implementation, loaded by the serialized delegate with
 * `require("pulumi-limitly/provider")`. Not a public API: its shape may change between versions.
 */
import * as apiKey from "./apiKeyHooks";
import * as rotatingApiKey from "./rotatingHooks";
import { planHooks } from "./planHooks";
import { userHooks } from "./userHooks";
import { configure } from "./config";
import type { DynamicKind } from "./descriptors/kinds";
import { stackIdentityHooks } from "./stackIdentityHooks";
import { LimitlyError } from "../client/errors";

type Props = Record<string, unknown>;

/** The lifecycle hooks of one resource kind; `self` is the deserialized provider object. */
export interface Hooks {
  check(self: object, olds: Props, news: Props): Promise<unknown>;
  diff(self: object, id: string, olds: Props, news: Props): Promise<unknown>;
  create(self: object, inputs: Props): Promise<{ id: string; outs: Props }>;
  read(self: object, id: string, props?: Props): Promise<unknown>;
  update(self: object, id: string, olds: Props, news: Props): Promise<unknown>;
  remove(self: object, id: string, props: Props): Promise<void>;
}

const kinds: Record<DynamicKind, Hooks> = {
  ApiKey: apiKey,
  RotatingApiKey: rotatingApiKey,
  Plan: planHooks,
  User: userHooks,
  StackIdentity: stackIdentityHooks,
};

/** The hooks of a kind; `kind` comes from a stack's state or a request, so it is checked here. */
export function hooks(kind: string): Hooks {
  const h = Object.hasOwn(kinds, kind) ? kinds[kind as DynamicKind] : undefined;
  if (!h) {
    throw new LimitlyError({
      code: "UNKNOWN_RESOURCE_KIND",
      message: `pulumi-limitly has no resource kind ${kind}: this stack was written by a newer version of pulumi-limitly`,
    });
  }
  return h;
}

/**
 * Called by the serialized delegate's `configure`: remembers the settings for this provider object
 * and gives it the lifecycle hooks of its kind.
 */
export function attach(
  self: Record<string, unknown>,
  kind: string,
  req: { config: { get(key: string): unknown } },
): void {
  const h = hooks(kind);
  configure(self, req);
  Object.assign(self, {
    check: (olds: Props, news: Props) => h.check(self, olds, news),
    diff: (id: string, olds: Props, news: Props) => h.diff(self, id, olds, news),
    create: (inputs: Props) => h.create(self, inputs),
    read: (id: string, props?: Props) => h.read(self, id, props),
    update: (id: string, olds: Props, news: Props) => h.update(self, id, olds, news),
    delete: (id: string, props: Props) => h.remove(self, id, props),
  });
}

export { configure };
