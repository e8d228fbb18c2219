/** Ids as URL path segments, checked before anything is sent. */
import { LimitlyError, isSecret } from "./errors";

/**
 * An id as one path segment. A key value or credential passed where an id belongs is refused
 * before it is sent (it would land in URLs, logs and error fields), and so are `.` and `..`,
 * which would address another route.
 */
export function segment(id: string | number, what = "id"): string {
  const text = String(id);
  if (text === "" || text === "." || text === "..") {
    throw new LimitlyError({ code: "INVALID_ID", message: `"${text}" is not a valid ${what}` });
  }
  if (isSecret(text)) {
    throw new LimitlyError({
      code: "INVALID_ID",
      message: `a key value or credential was given where a ${what} belongs; it was not sent`,
    });
  }
  return encodeURIComponent(text);
}
