/**
 * The local Limitly API: a real HTTP server on loopback serving the documented contract under
 * `/functions/v1`, with bearer auth, the documented rate limit, fault injection and a request log
 * that never holds a credential or a key value.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Faults, type FaultSpec } from "./faults";
import { RateLimiter } from "./rateLimit";
import { matchRoute } from "./routes";
import { Store, hashValue, type KeyValueStyle } from "./store";
import { HttpError } from "./validation";

/** The path prefix of Limitly's API, as in `https://api.limitly.dev/functions/v1`. */
export const BASE_PATH = "/functions/v1";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Account credentials accepted as `Authorization: Bearer`. Default: one generated `lk_…` key. */
  apiKeys?: string[];
  /** Requests per minute per account key (default 1000, Limitly's documented limit); 0 disables. */
  rateLimitPerMinute?: number;
  /** Largest burst the rate limit lets through at once (default: a minute's worth). */
  rateLimitBurst?: number;
  /**
   * Live keys the account may hold (default 10 000); a create past it answers 403
   * `KEY_LIMIT_REACHED`. Create answers report it in `limitInfo`, as the official SDK describes.
   */
  maxKeys?: number;
  /** Shape of issued key values: `lk_user_…` (default), 32 uppercase letters, or a UUID. */
  keyValueStyle?: KeyValueStyle;
  /** JSON file to persist keys, plans and users to, written atomically after each change. */
  stateFile?: string;
  /** Called with one line per request (method, path, status, ms). */
  log?: (line: string) => void;
  /** Largest request body accepted, in bytes (default 1 MiB); a larger one gets 413. */
  maxBodyBytes?: number;
}

/** One handled request, as the emulator's call log records it. */
export interface CallRecord {
  method: string;
  /** Path below `/functions/v1`, without the query. */
  path: string;
  /** The matched route pattern (`/keys/:id`), or the path when none matched. */
  route: string;
  /** Status sent, or 0 when the connection was dropped. */
  status: number;
  ms: number;
}

/** A running emulator. */
export interface Emulator {
  /** Base URL to give a client: `http://127.0.0.1:<port>/functions/v1`. */
  url: string;
  port: number;
  /** The accepted account credentials. */
  apiKeys: string[];
  /** Scripted and random fault injection. */
  faults: Faults;
  /** Every request handled, in order (for counting API calls). */
  calls: CallRecord[];
  /** The state behind the API, for assertions in tests. */
  store: Store;
  /** The rate limiter; `rateLimit.perMinute` may be changed at run time. */
  rateLimit: RateLimiter;
  /** Calls whose route pattern matches, e.g. `count("POST", "/keys")`. */
  count(method?: string, route?: string): number;
  /** Stops accepting connections and closes open ones. */
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The body was larger than the emulator accepts. */
class BodyTooLarge extends Error {}

/** Reads the body, up to `max` bytes; past it, stops reading and rejects with {@link BodyTooLarge}. */
function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > max) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.pause();
        return reject(new BodyTooLarge());
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Largest request body accepted by default: far above any valid Limitly request. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

// Unref'd: a held request must not keep a test process (or a closing emulator) alive.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/** Starts the emulator on 127.0.0.1. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const apiKeys = options.apiKeys?.length ? [...options.apiKeys] : [`lk_${randomBytes(16).toString("hex")}`];
  const store = new Store(options.stateFile);
  if (options.maxKeys !== undefined) store.maxKeys = options.maxKeys;
  if (options.keyValueStyle) store.valueStyle = options.keyValueStyle;
  const faults = new Faults();
  const rateLimit = new RateLimiter(options.rateLimitPerMinute ?? 1000, options.rateLimitBurst);
  const calls: CallRecord[] = [];
  const sockets = new Set<Socket>();
  const log = options.log;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  /** A path as the log may show it: a segment that is a credential or an issued key value is redacted. */
  const loggable = (path: string) =>
    path
      .split("/")
      .map((segment) => {
        let text = segment;
        try {
          text = decodeURIComponent(segment);
        } catch {
          // Not percent-encoded text: compare it as it is.
        }
        if (!text) return segment;
        if (apiKeys.includes(text)) return "[redacted]";
        const hash = hashValue(text);
        for (const k of store.keys.values()) if (k.value_hash === hash) return "[redacted]";
        return segment;
      })
      .join("/");

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.startsWith(BASE_PATH) ? url.pathname.slice(BASE_PATH.length) || "/" : url.pathname;
    const match = matchRoute(method, path);
    const shown = loggable(path);
    const record: CallRecord = { method, path: shown, route: match.pattern ?? shown, status: 0, ms: 0 };
    const finish = (status: number) => {
      record.status = status;
      record.ms = Math.round((performance.now() - started) * 10) / 10;
      calls.push(record);
      log?.(`${method} ${shown} ${status || "dropped"} ${record.ms}ms`);
    };
    const fail = (e: HttpError) => {
      send(res, e.status, { error: e.message, code: e.code, ...(e.details ? { details: e.details } : {}) }, e.headers);
      finish(e.status);
    };

    // Nothing is read from an unauthenticated request: a stranger cannot make the emulator buffer.
    const refuse = (e: HttpError) => {
      res.setHeader("connection", "close");
      fail(e);
      req.resume();
    };
    if (!url.pathname.startsWith(BASE_PATH))
      return refuse(
        new HttpError(404, "NOT_FOUND", `No route ${method} ${url.pathname}; the API lives under ${BASE_PATH}`),
      );

    const auth = req.headers.authorization ?? "";
    const bearer = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
    if (!bearer)
      return refuse(
        new HttpError(
          401,
          "UNAUTHORIZED",
          "Missing Authorization header; send 'Authorization: Bearer <account API key>'",
        ),
      );
    if (!apiKeys.includes(bearer)) return refuse(new HttpError(401, "INVALID_API_KEY", "Invalid API key"));

    let rawBody: string;
    try {
      rawBody = await readBody(req, maxBody);
    } catch (e) {
      if (!(e instanceof BodyTooLarge)) throw e;
      return refuse(
        new HttpError(413, "PAYLOAD_TOO_LARGE", `Request body is larger than ${maxBody} bytes`, {
          field: "body",
          message: `must be at most ${maxBody} bytes`,
        }),
      );
    }

    const wait = rateLimit.take(bearer);
    if (wait > 0) {
      return fail(
        new HttpError(
          429,
          "RATE_LIMIT_EXCEEDED",
          `Rate limit exceeded: ${rateLimit.perMinute} requests per minute per account key`,
          undefined,
          {
            "retry-after": String(Math.max(1, Math.ceil(wait / 1000))),
          },
        ),
      );
    }

    const fault: FaultSpec | undefined = faults.pick(method, path, match.pattern ?? path);
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    if (fault?.holdUntil) await fault.holdUntil.catch(() => undefined);
    if (fault?.reset) {
      req.socket.destroy();
      return finish(0);
    }
    if (fault?.status !== undefined) {
      const headers: Record<string, string> =
        fault.retryAfter !== undefined ? { "retry-after": String(fault.retryAfter) } : {};
      const body = fault.body ?? {
        error: fault.status === 429 ? "Rate limit exceeded" : "Injected fault",
        code: fault.status === 429 ? "RATE_LIMIT_EXCEEDED" : "INTERNAL_ERROR",
      };
      send(res, fault.status, body, headers);
      return finish(fault.status);
    }

    if (!match.route) {
      if (match.allowed.length)
        return fail(
          new HttpError(
            405,
            "METHOD_NOT_ALLOWED",
            `${method} is not allowed on ${path}; use ${match.allowed.join(", ")}`,
          ),
        );
      return fail(new HttpError(404, "NOT_FOUND", `No route ${method} ${path}`));
    }

    let body: unknown;
    if (rawBody.trim() !== "") {
      try {
        body = JSON.parse(rawBody);
      } catch (e) {
        return fail(
          new HttpError(400, "VALIDATION_ERROR", "Request body is not valid JSON", {
            field: "body",
            message: (e as Error).message,
          }),
        );
      }
    }

    let result;
    try {
      fault?.before?.(store, url.searchParams);
      result = match.route.handler({
        store,
        params: match.params,
        query: url.searchParams,
        body,
        ip: req.socket.remoteAddress ?? "127.0.0.1",
      });
    } catch (e) {
      if (e instanceof HttpError) return fail(e);
      throw e;
    }
    store.save();
    if (fault?.commitThenDrop) {
      req.socket.destroy();
      return finish(0);
    }
    const status = result.status ?? 200;
    send(
      res,
      status,
      // `success: true` as the official SDKs expect it (the Python SDK parses the envelope strictly).
      result.raw
        ? result.data
        : { success: true, data: result.data, ...(result.count !== undefined ? { count: result.count } : {}) },
    );
    finish(status);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // A bug in the emulator must not take it down, nor hide: answer 500 and say what broke.
      if (!res.headersSent)
        send(res, 500, { error: `Emulator error: ${(e as Error).message}`, code: "INTERNAL_ERROR" });
      const path = loggable(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
      calls.push({ method: req.method ?? "", path, route: path, status: 500, ms: 0 });
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}${BASE_PATH}`,
    port,
    apiKeys,
    faults,
    calls,
    store,
    rateLimit,
    count(method?: string, route?: string) {
      return calls.filter((c) => (!method || c.method === method) && (!route || c.route === route)).length;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
