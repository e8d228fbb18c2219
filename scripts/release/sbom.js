// A CycloneDX SBOM of what the plugin's executable bundles: `npm sbom` of this repository's tree,
// narrowed to the packages esbuild put in the bundle, plus the Node.js runtime it runs on. Its serial
// number and timestamp come from the release's contents and commit time, so it is reproducible.
"use strict";

const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");

/** The SBOM as JSON text. `bundled` maps package name → version; `node` is the pinned Node.js version. */
function pluginSbom(repo, pkg, bundled, node, epoch) {
  const r = spawnSync("npm", ["sbom", "--sbom-format", "cyclonedx", "--sbom-type", "application"], {
    cwd: repo,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`npm sbom failed: ${r.stderr}`);
  const sbom = JSON.parse(r.stdout);
  const keep = new Set([...bundled].map(([name, version]) => `${name}@${version}`));
  sbom.components = sbom.components.filter((c) => keep.has(`${c.name}@${c.version}`));
  const missing = [...keep].filter((k) => !sbom.components.some((c) => `${c.name}@${c.version}` === k));
  if (missing.length) throw new Error(`npm sbom does not list bundled packages: ${missing.join(", ")}`);
  for (const c of sbom.components)
    c.properties = (c.properties ?? []).filter((p) => p.name !== "cdx:npm:package:development");
  sbom.components.push({
    "bom-ref": `node@${node}`,
    type: "platform",
    name: "node",
    version: node,
    purl: `pkg:generic/node@${node}`,
  });
  const self = `${pkg.name}@${pkg.version}`;
  Object.assign(sbom.metadata.component, { name: pkg.name, "bom-ref": self });
  const refs = new Set([self, ...sbom.components.map((c) => c["bom-ref"])]);
  sbom.dependencies = sbom.dependencies
    .filter((d) => refs.has(d.ref))
    .map((d) => ({ ...d, dependsOn: (d.dependsOn ?? []).filter((x) => refs.has(x)) }));
  sbom.metadata.timestamp = new Date(epoch * 1000).toISOString();
  sbom.serialNumber = "";
  const h = crypto.createHash("sha256").update(JSON.stringify(sbom)).digest("hex");
  sbom.serialNumber = `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return `${JSON.stringify(sbom, null, 2)}\n`;
}

module.exports = { pluginSbom };
