import * as pulumi from "@pulumi/pulumi";
import { providerFor } from "./delegate";
import delegate = require("./delegates/stackIdentity");
import { LimitlyResource } from "./limitlyResource";
import { dynamicType } from "./typeTokens";
import { ownerTag } from "../provider/owner";

const provider = providerFor("StackIdentity", delegate);

/** The name of the one StackIdentity a program's keys share. */
export const STACK_IDENTITY_NAME = "limitly-stack-identity";

/**
 * A random id the stack records in its own state before its first key, which every key's owner tag
 * names: so a create only ever takes over a key a killed run of this very stack left behind, never
 * a key of a look-alike stack (same project and stack names on another backend or organization,
 * or a new stack under a renamed one's name). It calls no API and holds nothing secret; the first
 * `ApiKey` or `RotatingApiKey` of a program declares it.
 */
class StackIdentity extends LimitlyResource {
  constructor() {
    super("StackIdentity", provider, STACK_IDENTITY_NAME, {});
  }
}

/** One identity per program run; under the Automation API a process runs several programs. */
const identities = new WeakMap<object, StackIdentity>();
const byName = new Map<string, StackIdentity>();

function stackIdentity(): StackIdentity {
  const root = pulumi.runtime.getStackResource();
  const found = root ? identities.get(root) : byName.get(`${pulumi.getProject()}/${pulumi.getStack()}`);
  if (found) return found;
  const created = new StackIdentity();
  if (root) identities.set(root, created);
  else byName.set(`${pulumi.getProject()}/${pulumi.getStack()}`, created);
  return created;
}

/**
 * The hidden input that carries a key resource's owner tag: this stack's identity and the URN the
 * resource will have (its type, name and whole parent chain). A reference to an existing key
 * (`opts.id`) creates nothing and has none.
 */
export function ownerInput(
  kind: "ApiKey" | "RotatingApiKey",
  name: string,
  opts: pulumi.CustomResourceOptions | undefined,
): { __limitlyOwner?: pulumi.Output<string> } {
  if (opts?.id !== undefined) return {};
  const urn = pulumi.createUrn(name, dynamicType(kind), opts?.parent);
  return { __limitlyOwner: pulumi.all([stackIdentity().id, urn]).apply(([id, u]) => ownerTag(id, u)) };
}
