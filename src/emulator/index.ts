/**
 * The local Limitly emulator, for testing Pulumi programs offline:
 * `import { startEmulator } from "pulumi-limitly/emulator"`.
 */
export { startEmulator, BASE_PATH, type Emulator, type EmulatorOptions, type CallRecord } from "./server";
export type { KeyValueStyle } from "./store";
export {
  Faults,
  seededRandom,
  DISPOSABLE_KEY,
  type FaultSpec,
  type FaultKind,
  type RandomFaultOptions,
} from "./faults";
