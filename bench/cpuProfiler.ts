/**
 * Preloaded (`NODE_OPTIONS=--require …`) into every Node process a profiled `pulumi` command starts,
 * because Node 20 refuses `--cpu-prof` in NODE_OPTIONS. The engine ends a provider host with SIGKILL,
 * so no exit hook would run there: the profile is cut into one-second pieces written as they end
 * (the inspector's in-thread session answers synchronously), and `bench/profile.ts` adds them up.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";

const dir = process.env.LIMITLY_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let piece = 0;
  const flush = (restart: boolean) => {
    session.post("Profiler.stop", (err, r) => {
      if (!err) writeFileSync(join(dir, `${process.pid}-${piece++}.cpuprofile`), JSON.stringify(r.profile));
    });
    if (restart) session.post("Profiler.start");
  };
  session.post("Profiler.enable");
  session.post("Profiler.start");
  setInterval(() => flush(true), 1000).unref();
  process.on("exit", () => flush(false));
}
