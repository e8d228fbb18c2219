// A user's Pulumi program, run under pulumi.runtime.setMocks in the scratch project where the
// packed pulumi-limitly is installed. It records every resource registration the mock monitor
// receives (type, name, inputs with the serialized __provider, additionalSecretOutputs) into
// the file named by argv[2], exactly as a real program would send them to the engine.
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");
const settings = require("@pulumi/pulumi/runtime/settings");

const out = process.argv[2];
const registrations = [];

pulumi.runtime.setMocks(
  {
    newResource(args) {
      registrations.push({ type: args.type, name: args.name, inputs: args.inputs, id: args.id || undefined });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call(args) {
      return args.inputs;
    },
  },
  "scratch",
  "test",
  false,
);

const monitor = settings.getMonitor();
const register = monitor.registerResource.bind(monitor);
const secretOutputs = {};
monitor.registerResource = (req, cb) => {
  secretOutputs[req.getName()] = req.getAdditionalsecretoutputsList();
  return register(req, cb);
};

const limitly = require("pulumi-limitly");
const resources = [
  new limitly.ApiKey("prod", {
    name: "Production",
    userId: 42,
    planId: "plan_basic",
    status: "active",
    metadata: { team: "core" },
    rotation: "2026-11",
    rotationStrategy: "replace",
  }),
  new limitly.ApiKey("staging", { name: "Staging" }),
];
if (limitly.RotatingApiKey) {
  resources.push(new limitly.RotatingApiKey("partner", { name: "Partner", rotation: "2026-11", gracePeriod: "7d" }));
}
if (limitly.Plan && limitly.User) {
  const plan = new limitly.Plan("pro", { name: "Pro", maxRequests: 100000, requestPeriod: "month" });
  const user = new limitly.User("acme", { name: "Acme Corp", email: "ops@acme.example", planId: plan.id });
  resources.push(plan, user);
}

pulumi.all(resources.map((r) => r.urn)).apply(() => {
  for (const r of registrations) r.additionalSecretOutputs = secretOutputs[r.name] || [];
  fs.writeFileSync(out, JSON.stringify(registrations, null, 2));
});
