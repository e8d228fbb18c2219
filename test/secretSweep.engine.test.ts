/**
 * The secret sweep through Pulumi's provider host, with an account credential and key values that
 * do not look like `lk_…`: neither reaches an error the engine shows, the host's output, the state
 * outside `apiKey`, or the emulator's log.
 */
import { randomUUID } from "node:crypto";
import { HostError } from "./support/engine";
import { API_KEY, failureOf, startStack, type Stack } from "./support/stack";

const CREDENTIAL = randomUUID();
let s: Stack;
beforeEach(async () => {
  s = await startStack({
    emulator: { apiKeys: [CREDENTIAL], keyValueStyle: "upper32" },
    config: { "limitly:apiKey": CREDENTIAL, "limitly:timeoutMs": "1000" },
  });
  await s.host.configure({ "limitly:apiKey": CREDENTIAL, "limitly:baseUrl": s.emu.url, "limitly:timeoutMs": "1000" });
});
afterEach(async () => {
  await s.close();
});

test("errors echoing the credential and the value, lost answers and timeouts: nothing shows either", async () => {
  const first = await s.engine.up(API_KEY, "k", { name: "K", rotationStrategy: "regenerate", rotation: "1" });
  const value = String(first.entry.outputs.apiKey);
  expect(value).toMatch(/^[A-Z]{32}$/);
  const echo = `echo ${CREDENTIAL} ${value}`;
  const failures: Error[] = [];
  s.emu.faults.add({
    method: "PUT",
    status: 400,
    body: { error: echo, code: "VALIDATION_ERROR", details: { message: echo } },
  });
  failures.push(
    await failureOf(s.engine.up(API_KEY, "k", { name: "K2", rotationStrategy: "regenerate", rotation: "1" })),
  );
  s.emu.faults.add({ method: "GET", status: 503, times: 20, body: { error: echo } });
  failures.push(await failureOf(s.engine.refresh(API_KEY, "k")));
  s.emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", commitThenDrop: true, times: 20 });
  failures.push(
    await failureOf(s.engine.up(API_KEY, "k", { name: "K", rotationStrategy: "regenerate", rotation: "2" })),
  );
  s.emu.faults.clear();
  const second = await s.engine.up(API_KEY, "k", { name: "K", rotationStrategy: "regenerate", rotation: "3" });
  const values = [value, String(second.entry.outputs.apiKey)];
  for (const f of failures) expect(f).toBeInstanceOf(HostError);
  const shown = [
    ...failures.map((f) => `${f.message}\n${f.stack}`),
    s.host.stdout,
    s.host.stderr,
    s.emulatorLogs.join("\n"),
    JSON.stringify([...s.engine.state.values()].map((e) => ({ ...e, outputs: { ...e.outputs, apiKey: undefined } }))),
  ].join("\n");
  expect(shown).toContain("echo ");
  for (const secret of [CREDENTIAL, ...values]) expect(shown).not.toContain(secret);
});
