/**
 * The client's overhead over a raw undici POST against the emulator: one key create each way,
 * interleaved, median of `samples`. `npm run bench:client` prints it alone; `npm run bench` includes it.
 */
import { request } from "undici";
import { LimitlyClient } from "../src/client";
import { startEmulator } from "../src/emulator";
import { ACCOUNT_KEY } from "../test/support/stack";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

export async function overhead(samples = 400) {
  const emu = await startEmulator({ apiKeys: [ACCOUNT_KEY], rateLimitPerMinute: 0 });
  const client = new LimitlyClient({ apiKey: ACCOUNT_KEY, baseUrl: emu.url, requestsPerMinute: 0 });
  const raw: number[] = [];
  const viaClient: number[] = [];
  const rawPost = async () => {
    const res = await request(`${emu.url}/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${ACCOUNT_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "raw" }),
    });
    await res.body.json();
  };
  try {
    for (let i = 0; i < 50; i++) {
      await rawPost();
      await client.apiKeys.create({ name: "warm" });
    }
    // Interleaved, so drift on the machine hits both alike.
    for (let i = 0; i < samples; i++) {
      let t = performance.now();
      await rawPost();
      raw.push(performance.now() - t);
      t = performance.now();
      await client.apiKeys.create({ name: "client" });
      viaClient.push(performance.now() - t);
    }
  } finally {
    await client.close();
    await emu.close();
  }
  const c = median(viaClient);
  const r = median(raw);
  return { clientMs: round(c), rawMs: round(r), ratio: round(c / r), samples };
}

if (require.main === module) {
  const samples = process.env.BENCH_SAMPLES ? Number(process.env.BENCH_SAMPLES) : 2000;
  overhead(samples).then((r) => {
    process.stdout.write(
      `client create ${r.clientMs} ms, raw undici POST ${r.rawMs} ms (median of ${r.samples}): ratio ${r.ratio}\n${JSON.stringify(r)}\n`,
    );
  });
}
