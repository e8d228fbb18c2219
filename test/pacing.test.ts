/** The shared request budget: spacing, Retry-After, and a rate that learns the enforced limit. */
import { Pacer, RETRY_AFTER_CAP_MS } from "../src/client/pacing";

function clocked(perMinute: number, burst?: number) {
  let t = 1_000_000;
  const pacer = new Pacer(perMinute, burst, () => t);
  return { pacer, advance: (ms: number) => (t += ms), at: () => t };
}

const answers = (pacer: Pacer, n: number, limitedEvery: number) => {
  for (let i = 1; i <= n; i++) pacer.observe(limitedEvery > 0 && i % limitedEvery === 0);
};

test("requests are spaced by the rate, after the burst allowance; Retry-After holds everyone", async () => {
  const { pacer, at } = clocked(600, 1); // 100 ms apart, no burst
  expect(pacer.delayFor()).toBe(0);
  await pacer.acquire();
  expect(pacer.delayFor()).toBe(100);
  pacer.backOff(3_000);
  expect(pacer.delayFor(at())).toBeGreaterThanOrEqual(3_000);
});

test("a Retry-After beyond Limitly's one-minute window holds everyone for a minute, not for what it says", () => {
  const { pacer, at } = clocked(600, 1);
  pacer.backOff(86_400_000);
  expect(pacer.delayFor(at())).toBe(RETRY_AFTER_CAP_MS);
});

test("mostly 429s: the rate drops by 30% at most once a second, down to what the service allows", () => {
  const { pacer, advance } = clocked(1000);
  answers(pacer, 20, 2); // half the answers are 429
  expect(pacer.rate).toBe(700);
  answers(pacer, 20, 2); // within the same second: no second cut
  expect(pacer.rate).toBe(700);
  advance(1_000);
  answers(pacer, 20, 2);
  expect(pacer.rate).toBeCloseTo(490);
  expect(pacer.limitedCount).toBe(30);
});

test("scattered 429s (under a quarter of the answers) leave the rate alone", () => {
  const { pacer, advance } = clocked(1000);
  for (let s = 0; s < 30; s++) {
    answers(pacer, 20, 7); // one in seven, as a flaky proxy might
    advance(1_000);
  }
  expect(pacer.rate).toBe(1000);
});

test("a full window of clean answers raises the rate by a quarter, back up to the budget", () => {
  const { pacer, advance } = clocked(1000);
  answers(pacer, 10, 1); // the cut comes at the tenth answer and starts a new window
  expect(pacer.rate).toBe(700);
  advance(1_000);
  answers(pacer, 19, 0);
  expect(pacer.rate).toBe(700); // the window is not full yet
  answers(pacer, 1, 0);
  expect(pacer.rate).toBe(875);
  for (let i = 0; i < 5; i++) {
    advance(1_000);
    answers(pacer, 20, 0);
  }
  expect(pacer.rate).toBe(1000);
});

test("the rate never drops below one request per minute", () => {
  const { pacer, advance } = clocked(4);
  for (let i = 0; i < 20; i++) {
    answers(pacer, 20, 1);
    advance(1_000);
  }
  expect(pacer.rate).toBe(1);
});
