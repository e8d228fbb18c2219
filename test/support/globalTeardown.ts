import { finishTypecheck } from "./treeTypecheck";

export default async function globalTeardown(): Promise<void> {
  await finishTypecheck();
}
