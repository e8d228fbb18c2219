/**
 * The calls the plugin is serving, each with its own AbortController, so that the engine's Cancel,
 * a call's own timeout (`customTimeouts`) and a signal to the process stop the work they started:
 * each call runs inside `withSignal` (src/client/abort.ts), and every wait and request below it
 * gives up when its signal is aborted. A stopped call still answers: a create cut short after
 * Limitly named the key answers a partial failure, so the engine records the key.
 */
import { withSignal } from "../client/abort";

export class InFlight {
  private readonly calls = new Set<AbortController>();
  private idleWaiters: (() => void)[] = [];
  /** Why every call was cancelled; later calls are cancelled from the start. */
  private cancelledBecause?: string;

  /**
   * Runs `work` as one call. `what` names it in the timeout's reason; `timeoutSeconds` (0: none)
   * is the call's own deadline, as the engine sends it.
   */
  async run<T>(what: string, timeoutSeconds: number, work: () => Promise<T>): Promise<T> {
    const controller = new AbortController();
    if (this.cancelledBecause) controller.abort(new Error(this.cancelledBecause));
    const timer =
      timeoutSeconds > 0
        ? setTimeout(
            () => controller.abort(new Error(`${what} did not finish within its timeout of ${timeoutSeconds} s`)),
            timeoutSeconds * 1000,
          )
        : undefined;
    this.calls.add(controller);
    try {
      return await withSignal(controller.signal, work);
    } finally {
      clearTimeout(timer);
      this.calls.delete(controller);
      if (this.calls.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Aborts every call in flight, and every later one, saying `reason`. */
  cancelAll(reason: string): void {
    this.cancelledBecause ??= reason;
    for (const c of this.calls) c.abort(new Error(reason));
  }

  /** Resolves once no call is in flight. */
  idle(): Promise<void> {
    return this.calls.size === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
