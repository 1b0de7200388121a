import { SourceVersion } from './read-store';

/**
 * Hidden field in which a read document keeps, per source stream, the last revision applied to it.
 * Never returned to callers. In MongoDB the guard reads `_versions.<streamId>`, so a stream id
 * becomes a field name there.
 */
export const VERSIONS_FIELD = '_versions';

/**
 * Stream ids become MongoDB field names (see VERSIONS_FIELD): '.' would split the path and a leading
 * or embedded '$' reads as an operator, so both are refused. '-' (as in `order-<id>`) is fine.
 */
export function assertSafeStreamId(streamId: string): void {
  if (streamId.length === 0 || /[.$\0]/.test(streamId)) {
    throw new Error(`Stream id "${streamId}" cannot be used as a read-model version key: it must be non-empty, without '.', '$' or NUL`);
  }
}

/** The source version of an event, to pass to ReadCollection.apply. */
export function sourceOf(event: { streamId: string; streamRevision: number }): SourceVersion {
  return { streamId: event.streamId, revision: event.streamRevision };
}
