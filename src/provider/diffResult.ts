/**
 * The answer of every kind's diff, computed once for both doors: which properties change, how
 * (added, updated, deleted; by replacing the resource or in place), and whether each change is a
 * difference of inputs or something due without one (a scheduled rotation, a lost value, a
 * retirement). The plugin passes all of it on (`diffs`, `detailedDiff`, `replaces`, `stables`);
 * the dynamic resources' provider host passes on only `changes`, `replaces` and
 * `deleteBeforeReplace`, so what the engine itself would derive from the rest, `replaceOnChanges`,
 * is applied here for that door (the resource class hands its option over as a hidden input).
 */
import { canonicalJson } from "./check";
import { REPLACE_ON_CHANGES_INPUT } from "./replaceOnChanges";
import { isUnknown } from "./unknown";

type Props = Record<string, unknown>;

/** What happens to a property: Pulumi's PropertyDiff kinds, without the replace half. */
export type ChangeKind = "add" | "update" | "delete";

/** How one property, or one path inside a property, changes. */
export interface PropertyChange {
  kind: ChangeKind;
  /** The change makes the engine replace the resource. */
  replace: boolean;
  /** A difference between old and new inputs; false for a change due without one. */
  inputDiff: boolean;
}

/** A kind's diff answer. */
export interface DiffResult {
  /** Whether anything changes. */
  changes: boolean;
  /** Top-level properties whose change replaces the resource. */
  replaces: string[];
  /** Top-level outputs this update leaves as they are (empty for a replacement). */
  stables: string[];
  /** Never true: Limitly holds no name that two objects may not share, so a replacement is created first. */
  deleteBeforeReplace: boolean;
  /** Top-level properties that change. */
  diffs: string[];
  /** Every change, by property path (`name`, `metadata.team`, `metadata["a.b"]`). */
  detailedDiff: Record<string, PropertyChange>;
}

/** A change as a kind's rules find it, before the resource options apply. */
export interface Change {
  path: string;
  kind: ChangeKind;
  inputDiff: boolean;
  replace?: boolean;
}

/** What the engine tells a diff beyond the properties (the plugin door). */
export interface DiffOptions {
  /** The resource's `ignoreChanges` paths. */
  ignoreChanges?: readonly string[];
}

type PathElement = string | number;

/** A property path in Pulumi's syntax (`a.b`, `a["b.c"]`, `a[0]`, `*`), as elements; undefined when malformed. */
export function parsePath(path: string): PathElement[] | undefined {
  const out: PathElement[] = [];
  let rest = path;
  while (rest) {
    const quoted = /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest);
    const index = /^\[(\d+|\*)\]/.exec(rest);
    const name = /^\.?([^.[\]]+)/.exec(rest);
    if (quoted) out.push(JSON.parse(`"${quoted[1]}"`) as string);
    else if (index) out.push(index[1] === "*" ? "*" : Number(index[1]));
    else if (name && (out.length === 0 || rest.startsWith("."))) out.push(name[1]);
    else return undefined;
    rest = rest.slice((quoted ?? index ?? name)![0].length);
  }
  return out.length ? out : undefined;
}

/** The path of `key` inside the property path `parent`, in Pulumi's syntax. */
export function childPath(parent: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** Whether `pattern` names `path` or a property that holds it (`*` matches any one element), as Pulumi's PropertyPath.Contains. */
function contains(pattern: PathElement[], path: PathElement[]): boolean {
  return pattern.length <= path.length && pattern.every((e, i) => e === "*" || String(e) === String(path[i]));
}

const absent = (v: unknown) => v === undefined || v === null;

/** The kind of change from `old` to `next`. */
export function changeKind(old: unknown, next: unknown): ChangeKind {
  return absent(old) ? "add" : absent(next) ? "delete" : "update";
}

const isPlainObject = (v: unknown): v is Props => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The input changes of the property `path` from `old` to `next`: inside objects key by key (so
 * that `replaceOnChanges` and `ignoreChanges` can name a path within), otherwise as a whole.
 */
export function valueChanges(path: string, old: unknown, next: unknown): Change[] {
  if (isPlainObject(old) && isPlainObject(next)) {
    const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])].sort();
    return keys.flatMap((k) => valueChanges(childPath(path, k), old[k], next[k]));
  }
  if (!isUnknown(next) && canonicalJson(old ?? null) === canonicalJson(next ?? null)) return [];
  return [{ path, kind: changeKind(old, next), inputDiff: true }];
}

const paths = (list: unknown): PathElement[][] =>
  Array.isArray(list) ? list.filter((p) => typeof p === "string").map((p) => parsePath(p) ?? [p]) : [];

const topOf = (path: string) => String((parsePath(path) ?? [path])[0]);

/**
 * The diff answer from a kind's changes: `ignoreChanges` drops input differences under its paths
 * (a change due without one still happens), the dynamic door's `replaceOnChanges` turns changes
 * under its paths into replacements, and `stables` are the outputs the update predicts unchanged.
 */
export function diffResult(
  changes: Change[],
  news: Props,
  options: DiffOptions = {},
  stables: string[] = [],
): DiffResult {
  const ignored = paths(options.ignoreChanges);
  const forced = paths(news[REPLACE_ON_CHANGES_INPUT]);
  const detailedDiff: Record<string, PropertyChange> = {};
  for (const c of changes) {
    const at = parsePath(c.path) ?? [c.path];
    if (c.inputDiff && ignored.some((p) => contains(p, at))) continue;
    const replace = c.replace === true || forced.some((p) => contains(p, at));
    detailedDiff[c.path] = { kind: c.kind, replace, inputDiff: c.inputDiff };
  }
  const entries = Object.entries(detailedDiff);
  const diffs = [...new Set(entries.map(([p]) => topOf(p)))];
  const replaces = [...new Set(entries.filter(([, d]) => d.replace).map(([p]) => topOf(p)))];
  return {
    changes: diffs.length > 0,
    replaces,
    stables: replaces.length ? [] : stables.filter((s) => !diffs.includes(s)),
    deleteBeforeReplace: false,
    diffs,
    detailedDiff,
  };
}

/** The outputs an update leaves as they are: known in the prediction and equal to the old ones. */
export function unchangedOutputs(olds: Props, predicted: Props): string[] {
  return Object.keys(predicted).filter(
    (k) => !isUnknown(predicted[k]) && canonicalJson(predicted[k]) === canonicalJson(olds[k] ?? null),
  );
}
