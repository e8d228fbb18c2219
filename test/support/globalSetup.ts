import { declare, installScratch, pack } from "./scratch";
import { startTypecheck } from "./treeTypecheck";

export default async function globalSetup(): Promise<void> {
  const t0 = Date.now();
  // Started first, so it runs while the package is packed and the suites start.
  startTypecheck();
  const tarball = pack();
  installScratch(tarball);
  declare();
  process.stdout.write(
    `\n[engine setup] packed, installed and declared in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  );
}
