import * as limitly from "pulumi-limitly";

const plan = new limitly.Plan("pro", { name: "Pro", maxRequests: 100_000, requestPeriod: "month" });
const user = new limitly.User("acme", { name: "Acme Corp", email: "ops@acme.example", planId: plan.id });
const key = new limitly.ApiKey("acme-prod", { name: "Acme production", userId: user.userId, planId: plan.id });

export const planId = plan.id;
export const userId = user.userId;
export const acmeKey = key.apiKey;
