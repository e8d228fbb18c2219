import { finishTypecheck } from "./typecheckRun";

export default async function globalTeardown(): Promise<void> {
  await finishTypecheck();
}
