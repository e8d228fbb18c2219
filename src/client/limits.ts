/**
 * Field size limits. Limitly's documentation states none; these are this package's reading, shared
 * by the emulator (a 400 VALIDATION_ERROR naming the field) and the provider's check (a failure
 * naming the property), so that what one accepts the other accepts too.
 */

/** Longest text field (names, ids, descriptions, emails), in characters. */
export const MAX_TEXT_LENGTH = 1000;

/** Largest key metadata, as UTF-8 bytes of its JSON. */
export const MAX_METADATA_BYTES = 16 * 1024;

/** Whether metadata fits {@link MAX_METADATA_BYTES}. */
export const metadataFits = (v: unknown): boolean => Buffer.byteLength(JSON.stringify(v) ?? "") <= MAX_METADATA_BYTES;
