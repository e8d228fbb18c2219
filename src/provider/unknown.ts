/**
 * During preview, an input that is not known yet reaches check and diff as this string, whatever
 * its declared type (pulumi/pulumi#6310). Validation lets it through; diff treats it as a change.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const isUnknown = (v: unknown): boolean => v === UNKNOWN;
