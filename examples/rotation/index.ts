import * as pulumi from "@pulumi/pulumi";
import * as limitly from "pulumi-limitly";

const config = new pulumi.Config();
// Bump this value in a pull request (e.g. "2026-11" -> "2026-12") to rotate the keys below.
const keyRotation = config.require("keyRotation");

// Zero downtime: a new key is created, everything that uses `apiKey` moves to it, then the old key
// is deleted. The key id changes.
const partner = new limitly.ApiKey("partner", {
  name: "Partner API",
  planId: "plan_pro",
  rotation: keyRotation,
  rotationStrategy: "replace",
});

// Same key, new value: the id and usage history stay, and the old value stops working at once.
// Use it where every consumer reads the value from this stack in the same deployment.
const batch = new limitly.ApiKey("batch", {
  name: "Internal batch jobs",
  planId: "plan_basic",
  rotation: keyRotation,
  rotationStrategy: "regenerate",
});

// Scheduled: a nightly `pulumi up` rotates this key once its value is 30 days old, no commit needed.
const ci = new limitly.ApiKey("ci", {
  name: "CI runner",
  planId: "plan_basic",
  rotateAfterDays: 30,
});

export const partnerKeyId = partner.id;
export const partnerKey = partner.apiKey;
export const batchKey = batch.apiKey;
export const ciKey = ci.apiKey;
export const ciKeyIssuedAt = ci.rotatedAt;
