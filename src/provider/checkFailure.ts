/**
 * One refused input, as check answers it. Its own module, free of zod, because the public
 * `pulumi-limitly/provider` declarations name it and a user's compiler must never load zod's.
 */
export interface CheckFailure {
  property: string;
  reason: string;
}
