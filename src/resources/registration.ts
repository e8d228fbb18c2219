/**
 * How a resource of this package registers, cheaply, in CPU and in state bytes.
 *
 * While a resource registers, the SDK wraps each of its properties in four promises and formats
 * `new Error().stack` for every one of them (`runtime/debuggable`): text only ever printed with
 * PULUMI_DEBUG_PROMISE_LEAKS set. Under ts-node, which runs TypeScript programs, each of those
 * stacks is source-mapped frame by frame; an ApiKey declares 18 properties, so 72 mapped stacks:
 * nearly half of what a program spent per key above a do-nothing resource (`npm run bench:profile`).
 *
 * And the SDK records the constructor's whole stack in the state (`stackTrace`, `sourcePosition`):
 * about 1,150 bytes per resource, written again at every checkpoint, mostly frames of Pulumi's own
 * program runner, ts-node and Node internals, the same for every resource, and `sourcePosition`
 * names this package's constructor instead of the line that declared the resource.
 *
 * `quietStacks()` swaps `Error.prepareStackTrace` for the synchronous `super(...)` of a resource
 * constructor and returns the function that puts it back. V8 formats a stack when it is first read,
 * so only stacks read during registration are affected:
 * - the SDK's promise stacks (read at once, at the default limit) become the error's first line;
 * - the stack the SDK records for the state (read at once, with `Error.stackTraceLimit` lifted to
 *   Infinity) keeps the five leading frames the SDK skips itself, whatever they are, and then the
 *   frames of the user's code and of any library between it and us: not this package's
 *   constructors, not the SDK's runner, not Node's internals;
 * - an error the SDK creates for a later failure is read after the swap ends, and formatted in full.
 */
type Format = NonNullable<typeof Error.prepareStackTrace>;

/** Frames of this folder: the resource constructors. */
const OURS = [__dirname];
const SDK = /[\\/]node_modules[\\/]@pulumi[\\/]pulumi[\\/]/;

/**
 * How many leading frames the SDK drops from the stack it records (`Resource.stackTrace(4)`): its
 * two helpers, `Resource`, `CustomResource` and the class below them, which is the SDK's
 * `dynamic.Resource` or `ProviderResource` for some classes and a generated class of ours for
 * others. They are kept, so that the first frame recorded is still the user's.
 */
const SDK_SKIPS = 5;

/** The frames worth recording: see above. */
export function recordedFrames(frames: NodeJS.CallSite[], ours: readonly string[] = OURS): NodeJS.CallSite[] {
  const notUsers = (file: string) =>
    SDK.test(file) || ours.some((dir) => file.startsWith(dir)) || file.startsWith("node:");
  const rest = frames.slice(SDK_SKIPS).filter((f) => {
    const file = f.getFileName() ?? "";
    return file !== "" && !notUsers(file);
  });
  return [...frames.slice(0, SDK_SKIPS), ...rest];
}

const v8Format: Format = (error, frames) => [String(error), ...frames.map((f) => `    at ${String(f)}`)].join("\n");

/**
 * Swaps the stack formatter for a constructor's `super(...)`; returns what puts it back. `ours`: the
 * folders of the constructors involved, whose frames are not recorded (default: the dynamic resources').
 */
export function quietStacks(ours: readonly string[] = OURS): () => void {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return () => {};
  const original = Error.prepareStackTrace;
  const full = original ?? v8Format;
  Error.prepareStackTrace = (error, frames) =>
    Error.stackTraceLimit === Infinity ? full(error, recordedFrames(frames, ours)) : String(error);
  return () => {
    Error.prepareStackTrace = original;
  };
}
