/**
 * The provider's own settings as the plugin checks and compares them (CheckConfig, DiffConfig).
 *
 * A name that is no setting is refused, naming the setting it most looks like: a typo such as
 * `apikey` would otherwise be ignored and the credential taken from LIMITLY_API_KEY. A change of
 * `baseUrl` replaces the provider, and so every resource it manages: another base URL is another
 * Limitly, whose reads of the old objects would answer 404 and empty the state at the next
 * refresh; replaced, they are created there and deleted, with the old settings, where they were. A
 * change of the credential alone is an update: the same account's credential can be rotated.
 */
import { DEFAULT_BASE_URL } from "../client/defaults";
import type { CheckFailure } from "../provider/check";
import { settingProblem } from "../provider/config";
import { changeKind, diffResult, type Change, type DiffResult } from "../provider/diffResult";
import { PROVIDER_SETTINGS } from "../provider/descriptors/provider";
import { isUnknown } from "../provider/unknown";
import { STACK_IDENTITY_SETTING } from "./identity";

type Props = Record<string, unknown>;

/** Provider inputs the plugin itself keeps in the provider's state: accepted and kept, never a setting. */
export const HIDDEN_SETTINGS: readonly string[] = [STACK_IDENTITY_SETTING];

/** Provider inputs the engine keeps beside the settings: the package version, and a download URL in older states. */
const ENGINE_INPUTS: readonly string[] = ["version", "pluginDownloadURL"];

const SETTING_NAMES = Object.keys(PROVIDER_SETTINGS);

/** A setting's value as text, as the core reads it; the engine may send numbers. */
export const settingText = (v: unknown) => (v === undefined || v === null || isUnknown(v) ? undefined : String(v));

/** Edit distance between two names, case ignored. */
function distance(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    row = next;
  }
  return row[y.length];
}

/** The setting `name` most looks like, if any is close. */
function nearestSetting(name: string): string | undefined {
  const [best] = SETTING_NAMES.map((s) => ({ s, d: distance(name, s) })).sort((a, b) => a.d - b.d);
  return best.d <= Math.max(2, Math.floor(best.s.length / 3)) ? best.s : undefined;
}

/** What is wrong with the provider's inputs: names that are no setting, and settings whose value does not fit. */
export function settingFailures(news: Props): CheckFailure[] {
  return Object.entries(news).flatMap(([name, value]) => {
    if (HIDDEN_SETTINGS.includes(name) || ENGINE_INPUTS.includes(name)) return [];
    if (!Object.hasOwn(PROVIDER_SETTINGS, name)) {
      const nearest = nearestSetting(name);
      const hint = nearest ? `did you mean ${nearest}? ` : "";
      return [
        {
          property: name,
          reason: `${name} is not a setting of the limitly provider; ${hint}The settings are ${SETTING_NAMES.join(", ")}`,
        },
      ];
    }
    const problem = settingProblem(name, value);
    return problem ? [{ property: name, reason: problem }] : [];
  });
}

/** The base URL a provider's inputs make it use: the setting, or else what the core falls back to. */
function baseUrlOf(v: unknown): string {
  const text = settingText(v) || process.env.LIMITLY_BASE_URL || DEFAULT_BASE_URL;
  return text.replace(/\/+$/, "");
}

/** How the provider's settings change: `baseUrl` replaces, any other setting updates. */
export function diffSettings(olds: Props, news: Props): DiffResult {
  const changes: Change[] = SETTING_NAMES.flatMap((name): Change[] => {
    const same =
      name === "baseUrl"
        ? baseUrlOf(olds[name]) === baseUrlOf(news[name])
        : settingText(olds[name]) === settingText(news[name]);
    if (same && !isUnknown(news[name])) return [];
    return [{ path: name, kind: changeKind(olds[name], news[name]), inputDiff: true, replace: name === "baseUrl" }];
  });
  return diffResult(changes, news);
}
