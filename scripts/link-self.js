// Links node_modules/pulumi-limitly to this checkout after a build, so the examples and the
// root Pulumi.yaml resolve the package by name as a user's program does. Pulumi's provider host
// loads the serialized provider from the program's folder and requires "pulumi-limitly/provider"
// from there, which Node's self-reference cannot serve. Does nothing outside a git checkout.
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-limitly");
if (!fs.existsSync(path.join(root, ".git")) || !fs.existsSync(path.join(root, "node_modules"))) process.exit(0);
try {
  if (fs.lstatSync(link).isSymbolicLink()) process.exit(0);
} catch {
  // Not there yet.
}
fs.symlinkSync(path.relative(path.dirname(link), root), link, "dir");
