/**
 * Hidden input with a dynamic resource's `replaceOnChanges` option, set by the resource class. The
 * dynamic resources' provider host tells the engine only whether a diff has changes and which of
 * them replace, not which properties change, so the engine cannot apply the option itself: the
 * core's diff does (diffResult.ts). A module of its own, so that declaring resources loads nothing else.
 */
export const REPLACE_ON_CHANGES_INPUT = "__replaceOnChanges";
