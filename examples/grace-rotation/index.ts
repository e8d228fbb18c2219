import * as pulumi from "@pulumi/pulumi";
import * as limitly from "pulumi-limitly";

const config = new pulumi.Config();
// Bump this value in a pull request (e.g. "2026-11" -> "2026-12") to rotate the keys below.
const keyRotation = config.require("keyRotation");

// A partner updates its configuration within a week: after a rotation the old key keeps working
// for 7 days, and is retired sooner once Limitly has seen no use of it for a day. Run
// `pulumi up --refresh` on a schedule (nightly, say) so the retirement happens when it is due.
const partner = new limitly.RotatingApiKey("partner", {
  name: "Partner API",
  planId: "plan_pro",
  rotation: keyRotation,
  gracePeriod: "7d",
  retireWhenUnusedFor: "24h",
});

// A fleet that rolls a deployment out over an hour reads the key from a secret store: two hours of
// overlap, and a scheduled rotation every 30 days with no commit needed.
const fleet = new limitly.RotatingApiKey("fleet", {
  name: "Fleet",
  planId: "plan_basic",
  rotation: keyRotation,
  rotateAfterDays: 30,
  gracePeriod: "2h",
});

// Publish both values to the secret store: consumers try the current one, and the previous one
// while it lives. Both are secret outputs.
export const partnerKey = partner.apiKey;
export const partnerPreviousKey = partner.previousApiKey;
export const partnerPreviousRetiresAt = partner.previousRetiresAt;
export const fleetKey = fleet.apiKey;
export const fleetKeyId = fleet.keyId;
