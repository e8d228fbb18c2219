/**
 * Lifecycle hooks for resource kinds whose every change is an in-place update (plans, users):
 * validation by property spec, a local diff over the managed fields, adoption of existing
 * objects, drift through read, and delete tolerating an object already gone (gone.ts). ApiKey has
 * its own hooks because of rotation and its secret value.
 */
import type { Page } from "../client/apiKeys";
import type { LimitlyClient } from "../client/client";
import { LimitlyError } from "../client/errors";
import { canonicalJson, checkInputs, compact, type PropertySpec } from "./check";
import { clientOf } from "./config";
import { diffResult, unchangedOutputs, valueChanges, type DiffOptions } from "./diffResult";
import type { ObjectKind } from "./errors";
import { findInPages, inflightWindowMs, isAmbiguous, waitUntil } from "./exactlyOnce";
import { isGone } from "./gone";
import type { CheckOptions, Hooks } from "./index";
import { isUnknown, UNKNOWN } from "./unknown";

type Props = Record<string, unknown>;

/** The Limitly calls of one kind, in camelCase fields. */
export interface CrudApi<R> {
  get(id: string): Promise<R>;
  /** Reads for a refresh: by id, or from a listing when that is cheaper (client/listedReads.ts). */
  read(id: string): Promise<R>;
  create(fields: Props): Promise<R>;
  update(id: string, fields: Props): Promise<R>;
  delete(id: string): Promise<unknown>;
  list(opts: { page: number; limit: number }): Promise<Page<R>>;
}

export interface CrudSpec<R> {
  typeName: string;
  /** How Limitly names the kind in its answers (see gone.ts). */
  kind: ObjectKind;
  specs: Record<string, PropertySpec>;
  /** Fields Limitly stores and `PUT` changes; the others in `specs` are provider bookkeeping. */
  managed: string[];
  /** What an absent managed input means (its documented default); absent without one: unmanaged. */
  defaults: Props;
  /** The input naming an existing object to take over instead of creating one. */
  adoptProp: string;
  /** Outputs only Limitly gives (its id fields, times): unknown until it answers. */
  computed: string[];
  api(client: LimitlyClient): CrudApi<R>;
  idOf(rec: R): string;
  /** Outputs from a live record (managed fields plus what Limitly computes). */
  outputs(rec: R): Props;
}

export function makeCrudHooks<R extends { name: string; createdAt?: string }>(spec: CrudSpec<R>): Hooks {
  const normalized = (field: string, v: unknown) => canonicalJson(v === undefined ? (spec.defaults[field] ?? null) : v);

  /** Managed fields whose new input differs from the old output. */
  function changes(olds: Props, news: Props): Props {
    const out: Props = {};
    for (const field of spec.managed) {
      const v = news[field];
      if (v === undefined && !(field in spec.defaults)) continue;
      if (isUnknown(v) || normalized(field, v) !== normalized(field, olds[field]))
        out[field] = v ?? spec.defaults[field];
    }
    return out;
  }

  const withBookkeeping = (rec: R, inputs: Props) =>
    compact({ ...spec.outputs(rec), [spec.adoptProp]: inputs[spec.adoptProp] });

  /** What `update` answers when it sends nothing: the state, with the new inputs' bookkeeping. */
  function unchanged(olds: Props, news: Props): Props {
    const { __provider: _p, ...kept } = olds;
    return compact({ ...kept, [spec.adoptProp]: news[spec.adoptProp] });
  }

  /** What `update` answers, from the state alone: the fields it sends as sent, Limitly's times unknown. */
  function predictUpdate(olds: Props, news: Props): Props {
    const diff = changes(olds, news);
    return Object.keys(diff).length ? { ...unchanged(olds, news), ...diff, updatedAt: UNKNOWN } : unchanged(olds, news);
  }

  async function adopt(client: LimitlyClient, inputs: Props) {
    const id = String(inputs[spec.adoptProp]);
    let rec: R;
    try {
      rec = await spec.api(client).get(id);
    } catch (e) {
      if (await isGone(client, spec.kind, e, `${spec.kind} ${id}`))
        throw new LimitlyError({
          code: LimitlyError.codeOf(e),
          status: 404,
          message: `${spec.adoptProp} ${id}: no such ${spec.typeName.toLowerCase()} in this Limitly account (404)`,
        });
      throw e;
    }
    const diff = changes(spec.outputs(rec), inputs);
    if (Object.keys(diff).length) rec = await spec.api(client).update(id, diff);
    return { id: spec.idOf(rec), outs: withBookkeeping(rec, inputs) };
  }

  /**
   * What is known after a create whose answer was lost (`lost`). Limitly may carry the POST out
   * until its in-flight window (exactlyOnce.ts) has passed, counted from the failure; then every
   * object of that name is listed, from a listing proven complete. None: it was not created. Some:
   * plans and users carry no metadata to tag a create with, and a clock comparison would be
   * defeated by skew between this machine and Limitly, so every one of them is a candidate the user
   * must judge (an object of that name may have existed before).
   */
  async function afterLostCreate(client: LimitlyClient, name: string, lost: LimitlyError): Promise<LimitlyError> {
    const what = `${spec.kind} "${name}"`;
    const windowMs = inflightWindowMs(client);
    await waitUntil(Date.now() + windowMs);
    // Only the last, complete pass counts: each pass starts at page 1.
    const named = new Map<string, R>();
    const listing = {
      page: (page: number) => {
        if (page === 1) named.clear();
        return spec.api(client).list({ page, limit: 100 });
      },
      idOf: spec.idOf,
    };
    const fail = (message: string, candidates: string[]) =>
      new LimitlyError({
        code: lost.code,
        message: `${LimitlyError.describe(lost)}. Creating ${what} got no answer; ${message}`,
        details: { candidates },
      });
    try {
      await findInPages(
        listing,
        () => false,
        (r) => void (r.name === name && named.set(spec.idOf(r), r)),
      );
    } catch (e) {
      const seen = [...named.keys()];
      return fail(
        `looking for it afterwards failed too (${LimitlyError.describe(e)}), so it may exist` +
          (seen.length ? ` (${spec.kind}s of that name seen: ${seen.join(", ")})` : "") +
          `. Look for a ${spec.kind} named "${name}" in Limitly and adopt it with ${spec.adoptProp}, or delete it, ` +
          "before running again; running again as is may create a second one",
        seen,
      );
    }
    if (named.size === 0)
      return fail(
        `${windowMs / 1000} s later Limitly holds no ${spec.kind} of that name, so it was not created: running again is safe`,
        [],
      );
    const list = [...named.values()].map((r) => `${spec.idOf(r)} (created ${r.createdAt ?? "at an unknown time"})`);
    return fail(
      `${windowMs / 1000} s later Limitly holds ${named.size} ${spec.kind}(s) of that name: ${list.join(", ")}. ` +
        `One of them may be the one this create made (Limitly can carry out a request it never answers), or may have ` +
        `existed before: adopt the one it made with ${spec.adoptProp}: <id> and run again, or delete it in Limitly. ` +
        "Running again as is creates another",
      [...named.keys()],
    );
  }

  return {
    async check(_self: object, _olds: Props, news: Props, options: CheckOptions = {}) {
      return checkInputs(spec.typeName, spec.specs, news, options.secrets);
    },

    async diff(_self: object, _id: string, olds: Props, news: Props, options?: DiffOptions) {
      // The adopt property is read only at creation, so it never makes a difference here.
      const found = Object.entries(changes(olds, news)).flatMap(([field, next]) => {
        const old = olds[field] ?? spec.defaults[field];
        const each = valueChanges(field, old, next);
        return each.length ? each : [{ path: field, kind: "update" as const, inputDiff: true }];
      });
      return diffResult(found, news, options, unchangedOutputs(olds, predictUpdate(olds, news)));
    },

    async previewCreate(_self: object, inputs: Props) {
      // A new object holds what the inputs give; an adopted one keeps what they leave unset.
      const adopting = inputs[spec.adoptProp] !== undefined;
      const given = Object.fromEntries(
        spec.managed.map((f) => [f, inputs[f] ?? spec.defaults[f] ?? (adopting ? UNKNOWN : undefined)]),
      );
      const limitly = Object.fromEntries(spec.computed.map((f) => [f, UNKNOWN]));
      return { id: "", outs: compact({ ...given, ...limitly, [spec.adoptProp]: inputs[spec.adoptProp] }) };
    },

    async previewUpdate(_self: object, _id: string, olds: Props, news: Props) {
      return { outs: predictUpdate(olds, news) };
    },

    async create(self: object, inputs: Props) {
      const client = clientOf(self);
      if (inputs[spec.adoptProp] !== undefined) return adopt(client, inputs);
      const fields = Object.fromEntries(spec.managed.filter((f) => inputs[f] !== undefined).map((f) => [f, inputs[f]]));
      try {
        const rec = await spec.api(client).create(fields);
        return { id: spec.idOf(rec), outs: withBookkeeping(rec, inputs) };
      } catch (e) {
        if (!isAmbiguous(e)) throw e;
        throw await afterLostCreate(client, String(inputs.name), e);
      }
    },

    async read(self: object, id: string, props: Props = {}) {
      const client = clientOf(self);
      let rec: R;
      try {
        rec = await spec.api(client).read(id);
      } catch (e) {
        if (await isGone(client, spec.kind, e, `${spec.kind} ${id}`)) return { id: "" };
        throw e;
      }
      const outs = withBookkeeping(rec, props);
      const inputs = compact(Object.fromEntries([...spec.managed, spec.adoptProp].map((f) => [f, outs[f]])));
      return { id: spec.idOf(rec), props: outs, inputs };
    },

    async update(self: object, id: string, olds: Props, news: Props) {
      const diff = changes(olds, news);
      const rec = Object.keys(diff).length ? await spec.api(clientOf(self)).update(id, diff) : undefined;
      return { outs: rec ? withBookkeeping(rec, news) : unchanged(olds, news) };
    },

    async remove(self: object, id: string, _props: Props) {
      const client = clientOf(self);
      try {
        await spec.api(client).delete(id);
      } catch (e) {
        if (!(await isGone(client, spec.kind, e, `${spec.kind} ${id}`))) throw e;
      }
    },
  };
}
