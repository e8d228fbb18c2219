/**
 * Cancellation of the work one provider call started, without threading a signal through every
 * hook: the door that receives a call (the plugin's gRPC handlers) runs it inside
 * {@link withSignal}, and everything below that waits or sends (the transport, the pacer, the
 * exactly-once waits) asks {@link currentSignal}. Node's AsyncLocalStorage carries the signal
 * across every `await` of that call and no other.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { LimitlyError } from "./errors";

const store = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` with `signal` as the signal of every wait and request it makes. */
export function withSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  const outer = store.getStore();
  return store.run(outer ? AbortSignal.any([outer, signal]) : signal, work);
}

/** The signal of the call this code runs for, if its door gave one. */
export function currentSignal(): AbortSignal | undefined {
  return store.getStore();
}

/** The error every cancelled wait or request throws: why, in the words the signal was aborted with. */
export function cancelled(signal: AbortSignal, what = "the operation"): LimitlyError {
  const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? "cancelled");
  return new LimitlyError({ code: "CANCELLED", message: `${what} was cancelled (${reason})` });
}

/** Throws {@link cancelled} when the current call was cancelled. */
export function throwIfCancelled(what?: string): void {
  const signal = currentSignal();
  if (signal?.aborted) throw cancelled(signal, what);
}

/** Waits `ms`, or rejects with {@link cancelled} as soon as the current call is cancelled. */
export function sleep(ms: number, what = "a wait"): Promise<void> {
  const signal = currentSignal();
  if (!signal) return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  if (signal.aborted) return Promise.reject(cancelled(signal, what));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled(signal, what));
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
