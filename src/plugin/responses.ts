/**
 * The plugin's answers as the engine reads them, each built in one place: check failures (Check,
 * CheckConfig, Invoke), diffs (Diff, DiffConfig), and errors, where an error that keeps an object
 * in the stack travels as ErrorResourceInitFailed with its properties' secrets wrapped.
 */
import type { ServerErrorResponse } from "@grpc/grpc-js";
import type { CheckFailure as CheckFailurePb, DiffResponse } from "@pulumi/pulumi/proto/provider_pb";
import { LimitlyError, redact } from "../client/errors";
import type { CheckFailure } from "../provider/check";
import type { ChangeKind, DiffResult } from "../provider/diffResult";
import { pulumiRpc } from "../provider/pulumiRpc";
import { toStruct } from "./properties";

type Props = Record<string, unknown>;

/**
 * Check failures as the engine reads them, their reasons redacted. The engine prints a failure's
 * property with the value the program gave it, in plaintext even when it is secret, so a failure
 * of a secret input names no property: its reason names it.
 */
export function checkFailures(failures: CheckFailure[], secretNames: ReadonlySet<string>): CheckFailurePb[] {
  return failures.map((f) => {
    const failure = new (pulumiRpc().provider.CheckFailure)();
    failure.setProperty(secretNames.has(f.property) ? "" : f.property);
    failure.setReason(redact(f.reason));
    return failure;
  });
}

/** A diff answer, with everything the protocol carries of it. */
export function diffResponse(d: DiffResult): DiffResponse {
  const { DiffResponse, PropertyDiff } = pulumiRpc().provider;
  const kinds: Record<ChangeKind, [number, number]> = {
    add: [PropertyDiff.Kind.ADD, PropertyDiff.Kind.ADD_REPLACE],
    update: [PropertyDiff.Kind.UPDATE, PropertyDiff.Kind.UPDATE_REPLACE],
    delete: [PropertyDiff.Kind.DELETE, PropertyDiff.Kind.DELETE_REPLACE],
  };
  const resp = new DiffResponse();
  resp.setChanges(d.changes ? DiffResponse.DiffChanges.DIFF_SOME : DiffResponse.DiffChanges.DIFF_NONE);
  resp.setDiffsList(d.diffs);
  resp.setReplacesList(d.replaces);
  resp.setStablesList(d.stables);
  resp.setDeletebeforereplace(d.deleteBeforeReplace);
  resp.setHasdetaileddiff(true);
  const detailed = resp.getDetaileddiffMap();
  for (const [path, change] of Object.entries(d.detailedDiff)) {
    const p = new PropertyDiff();
    p.setKind(kinds[change.kind][change.replace ? 1 : 0]);
    p.setInputdiff(change.inputDiff);
    detailed.set(path, p);
  }
  return resp;
}

/** The object a failed create or update keeps in the stack (src/provider/errors.ts `keepInState`). */
interface KeptObject {
  id: string;
  properties?: Props;
  reasons?: string[];
}

const keepsObject = (e: unknown): e is Error & KeptObject =>
  e instanceof Error && typeof (e as Partial<KeptObject>).id === "string" && (e as Partial<KeptObject>).id !== "";

/**
 * An error as the engine reads it, its message redacted and saying which provider it came from; an
 * error that keeps an object in the stack carries it, with `secretNames` wrapped as secrets.
 */
export function errorResponse(
  e: unknown,
  context: { providerName?: string; secretNames: Iterable<string> },
): ServerErrorResponse {
  const { grpc, status: statusPb, provider, any } = pulumiRpc();
  const text = e instanceof Error ? e.message : String(e);
  const named = context.providerName ? `limitly provider "${context.providerName}": ${text}` : text;
  const message = redact(named);
  const metadata = new grpc.Metadata();
  if (keepsObject(e)) {
    const status = new statusPb.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(message);
    const detail = new provider.ErrorResourceInitFailed();
    detail.setId(e.id);
    detail.setProperties(toStruct(e.properties ?? {}, context.secretNames));
    detail.setReasonsList((e.reasons ?? [LimitlyError.describe(e)]).map((r) => redact(r)));
    const packed = new any.Any();
    packed.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    status.addDetails(packed);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return Object.assign(new Error(message), { code: grpc.status.UNKNOWN, details: message, metadata });
}
