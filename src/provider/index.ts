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
import type { CheckFailure } from "./checkFailure";
import type { DiffOptions, DiffResult } from "./diffResult";

type Props = Record<string, unknown>;

/** What `check` answers: the normalized inputs, and one failure per offending property. */
export interface CheckResult {
  inputs: Props;
  failures: CheckFailure[];
}

/** What the door knows of a check's inputs beyond their values. */
export interface CheckOptions {
  /** Inputs that came in secret: a failure never describes their value. */
  secrets?: ReadonlySet<string>;
}

/** What `create` answers: the new object's id and outputs. */
export interface CreateResult {
  id: string;
  outs: Props;
}

/** What `read` answers: the live outputs and the inputs that reproduce them, or an empty id when it is gone. */
export interface ReadResult {
  id: string;
  props?: Props;
  inputs?: Props;
}

/** What `update` answers: the new outputs. */
export interface UpdateResult {
  outs: Props;
}

/** The lifecycle hooks of one resource kind; `self` is the deserialized provider object. */
export interface Hooks {
  check(self: object, olds: Props, news: Props, options?: CheckOptions): Promise<CheckResult>;
  diff(self: object, id: string, olds: Props, news: Props, options?: DiffOptions): Promise<DiffResult>;
  create(self: object, inputs: Props): Promise<CreateResult>;
  read(self: object, id: string, props?: Props): Promise<ReadResult>;
  update(self: object, id: string, olds: Props, news: Props): Promise<UpdateResult>;
  remove(self: object, id: string, props: Props): Promise<void>;
  /**
   * What `create` would answer, from the inputs alone and without any API call (a preview): what
   * only Limitly can tell is the unknown sentinel (unknown.ts); the id is empty when not known.
   */
  previewCreate(self: object, inputs: Props): Promise<CreateResult>;
  /**
   * What `update` would answer, from the same plan and without any API call (a preview): the old
   * outputs, with only what the update really changes set anew or unknown.
   */
  previewUpdate(self: object, id: string, olds: Props, news: Props): Promise<UpdateResult>;
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
