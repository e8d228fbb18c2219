import { declare, installScratch, pack } from "./scratch";

export default async function globalSetup(): Promise<void> {
  const t0 = Date.now();
  const tarball = pack();
  installScratch(tarball);
  declare();
  process.stdout.write(
    `\n[engine setup] packed, installed and declared in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  );
}
