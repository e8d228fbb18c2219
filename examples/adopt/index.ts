import * as pulumi from "@pulumi/pulumi";
import * as limitly from "pulumi-limitly";

/** A key that already exists in Limitly. `limitly keys adopt-snippet` prints this list for you. */
interface ExistingKey {
  id: string;
  name: string;
  userId?: number | string;
  planId?: string;
}

const config = new pulumi.Config();
const existing = config.requireObject<ExistingKey[]>("existingKeys");

// `pulumi import` cannot work for dynamic resources; adoptKeyId takes the key over at creation.
// Its value stays empty until the first rotation, because Limitly never shows a value twice:
// bump `rotation` once to get a value Pulumi knows.
const adopted = existing.map(
  (k) =>
    new limitly.ApiKey(k.name.toLowerCase().replace(/[^a-z0-9]+/g, "-"), {
      adoptKeyId: k.id,
      name: k.name,
      userId: k.userId,
      planId: k.planId,
    }),
);

export const adoptedIds = adopted.map((k) => k.id);
