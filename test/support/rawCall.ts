/** One raw HTTP call to an emulator, as an official SDK makes it: the whole answer, parsed. */
import { request } from "undici";

export async function rawCall(url: string, credential: string, method: string, path: string, body?: unknown) {
  const res = await request(`${url}${path}`, {
    method: method as "GET",
    headers: { authorization: `Bearer ${credential}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.statusCode, json: text ? (JSON.parse(text) as any) : undefined };
}
