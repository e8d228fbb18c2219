#!/usr/bin/env node
// `npm run gen:schema`: writes the provider plugin's package schema, made from the resource
// descriptors (src/plugin/schema.ts, built into dist/), to schema.json. `--check` fails when the
// file is not current instead, as CI runs it. Never edit schema.json by hand.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const file = path.join(__dirname, "..", "schema.json");
const { packageSchema } = require("../dist/plugin/schema.js");
const text = `${JSON.stringify(packageSchema(), null, 2)}\n`;
if (process.argv.includes("--check")) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  if (current !== text) {
    process.stderr.write("schema.json is not current: run `npm run gen:schema` and commit it\n");
    process.exit(1);
  }
  process.stderr.write("schema.json is current\n");
} else {
  fs.writeFileSync(file, text);
  process.stderr.write(`wrote ${file}\n`);
}
