/**
 * Lifecycle hooks for resource kinds whose every change is an in-place update (plans, users):
 * validation by property spec, a local diff over the managed fields, adoption of existing
 * objects, drift through read, and delete tolerating 404. ApiKey has its own hooks because of
 * rotation and its secret value.
 */
import type { LimitlyClient } from "../client/client";
import { LimitlyError } from "../client/errors";
import { canonicalJson, checkInputs, compact, type PropertySpec } from "./check";
import { clientOf } from "./config";
import { diffResult, unchangedOutputs, valueChanges, type DiffOptions } from "./diffResult";
import { isNotFound } from "./errors";
import type { CheckOptions, Hooks } from "./index";
import { isUnknown, UNKNOWN } from "./unknown";

type Props = Record<string, unknown>;

/** The Limitly calls of one kind, in camelCase fields. */
export interface CrudApi<R> {
  get(id: string): Promise<R>;
  create(fields: Props): Promise<R>;
  update(id: string, fields: Props): Promise<R>;
  delete(id: string): Promise<unknown>;
  listAll(): AsyncGenerator<R, void, undefined>;
}

export interface CrudSpec<R> {
  typeName: string;
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
      if (isNotFound(e))
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
      const started = Date.now();
      try {
        const rec = await spec.api(client).create(fields);
        return { id: spec.idOf(rec), outs: withBookkeeping(rec, inputs) };
      } catch (e) {
        if (!(e instanceof LimitlyError && e.code === "OUTCOME_UNKNOWN")) throw e;
        // Plans and users carry no metadata to tag, so the best answer is the list of candidates.
        const candidates: string[] = [];
        try {
          for await (const rec of spec.api(client).listAll()) {
            if (rec.name === inputs.name && (!rec.createdAt || Date.parse(rec.createdAt) >= started - 1000))
              candidates.push(spec.idOf(rec));
          }
        } catch {
          // Keep the original error; the candidates are a courtesy.
        }
        throw new LimitlyError({
          code: "OUTCOME_UNKNOWN",
          message:
            `${e.message}. ` +
            (candidates.length
              ? `It was created: adopt it with ${spec.adoptProp}: ${candidates.join(" or ")}`
              : `No ${spec.typeName.toLowerCase()} named ${JSON.stringify(inputs.name)} was found afterwards; running again is safe`),
          details: { candidates },
        });
      }
    },

    async read(self: object, id: string, props: Props = {}) {
      let rec: R;
      try {
        rec = await spec.api(clientOf(self)).get(id);
      } catch (e) {
        if (isNotFound(e)) return { id: "" };
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
      try {
        await spec.api(clientOf(self)).delete(id);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    },
  };
}
