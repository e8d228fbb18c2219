import * as pulumi from "@pulumi/pulumi";
import * as limitly from "pulumi-limitly";

/** One key of an environment, as declared in Pulumi.<stack>.yaml under `keys`. */
interface KeySpec {
  /** Short name, unique in the stack: `web`, `mobile`, … */
  name: string;
  /** The Limitly user the key is issued to. */
  userId?: number | string;
  /** The plan whose limits apply. */
  planId?: string;
  /** `false` keeps the key but makes Limitly refuse it. Default true. */
  active?: boolean;
}

const config = new pulumi.Config();
const environment = pulumi.getStack();
const specs = config.requireObject<KeySpec[]>("keys");
// Bumping keyRotation in a commit rotates every key of the stack with zero downtime.
const rotation = config.get("keyRotation");

const keys = specs.map(
  (spec) =>
    new limitly.ApiKey(`${environment}-${spec.name}`, {
      name: `${spec.name} (${environment})`,
      userId: spec.userId,
      planId: spec.planId,
      status: spec.active === false ? "inactive" : "active",
      metadata: { environment, managedBy: "pulumi" },
      rotation,
    }),
);

/** Key ids, in plain text: safe to show and to pass to other stacks. */
export const keyIds = pulumi.all(Object.fromEntries(specs.map((spec, i) => [spec.name, keys[i].id])));

/** Key values: secret (encrypted in the state, masked in output). `pulumi stack output --show-secrets keyValues` reveals them. */
export const keyValues = pulumi.secret(
  pulumi.all(Object.fromEntries(specs.map((spec, i) => [spec.name, keys[i].apiKey]))),
);
