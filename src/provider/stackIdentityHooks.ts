/**
 * The hooks of a stack's identity: a random id that a stack records in its own state once, before
 * its first key, so that a key's owner tag names this stack and no other (see owner.ts). It talks
 * to no API: Limitly has nothing to hold it, and a stack's state is the one place two look-alike
 * stacks (same organization, project and stack names, on two backends) differ.
 */
import { randomUUID } from "node:crypto";
import { diffResult } from "./diffResult";
import type { Hooks } from "./index";

type Props = Record<string, unknown>;

export const stackIdentityHooks: Hooks = {
  async check(_self: object, _olds: Props, news: Props) {
    return { inputs: news, failures: [] };
  },
  async diff(_self: object, _id: string, _olds: Props, news: Props) {
    return diffResult([], news);
  },
  async create() {
    return { id: randomUUID(), outs: {} };
  },
  async read(_self: object, id: string, props: Props = {}) {
    return { id, props };
  },
  async update(_self: object, _id: string, olds: Props) {
    return { outs: olds };
  },
  async remove() {
    // Nothing outside the state holds it.
  },
  async previewCreate() {
    return { id: "", outs: {} };
  },
  async previewUpdate(_self: object, _id: string, olds: Props) {
    return { outs: olds };
  },
};
