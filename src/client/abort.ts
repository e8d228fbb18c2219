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

/** Why `signal` was aborted, in the words it was aborted with. */
export function cancelReason(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? "cancelled");
}

/** The error every cancelled wait or request throws: why, in the words the signal was aborted with. */
export function cancelled(signal: AbortSignal, what = "the operation"): LimitlyError {
  return new LimitlyError({ code: "CANCELLED", message: `${what} was cancelled (${cancelReason(signal)})` });
}

/** Whether `e` is the error of a cancelled wait or request. */
export function isCancelled(e: unknown): e is LimitlyError {
  return e instanceof LimitlyError && e.code === "CANCELLED";
}

/**
 * Runs `work` outside any call's signal: for work that several calls share (a listing of the
 * account), which one call's cancellation must not cut short for the others.
 */
export function shared<T>(work: () => Promise<T>): Promise<T> {
  return store.exit(work);
}

/** `promise`, or {@link cancelled} as soon as the current call is cancelled (the work itself goes on). */
export function untilCancelled<T>(promise: Promise<T>, what = "a wait"): Promise<T> {
  const signal = currentSignal();
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelled(signal, what));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(cancelled(signal, what));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** Waits `ms`, or rejects with {@link cancelled} as soon as the current call is cancelled. */
export function sleep(ms: number, what = "a wait"): Promise<void> {
  return sleepUnless(currentSignal(), ms, what);
}

/**
 * Waits `ms`, or rejects with {@link cancelled} as soon as `signal` is aborted. For code that runs
 * outside the call's own async context (undici's retry callback), which is given the signal.
 */
export function sleepUnless(signal: AbortSignal | undefined, ms: number, what = "a wait"): Promise<void> {
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
