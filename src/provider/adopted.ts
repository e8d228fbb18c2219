/**
 * Keys a resource of this process took over with `adoptKeyId`. Moving a key from one resource to
 * another in one `pulumi up` (the old resource removed from the program, or its replacement adopting
 * the same id) makes the engine create the new resource first, which adopts the key, and delete the
 * old one afterwards, in the same provider process: that delete must not delete the key the new
 * resource now holds.
 */
const adopted = new Set<string>();

/** Notes that a resource of this process now holds key `id` by adoption. */
export function noteAdopted(id: string): void {
  adopted.add(id);
}

/** Whether a resource of this process adopted key `id`: a delete of it by another resource is skipped. */
export const adoptedHere = (id: string): boolean => adopted.has(id);
