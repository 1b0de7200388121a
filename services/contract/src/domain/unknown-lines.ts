import { notFound } from '@lp/eventsourcing';

/**
 * Line ids that are not this contract's (or change's) answer 404, like an unknown contract: the
 * same whether the id is another reseller's or nobody's.
 */
export function refuseUnknownLines(ids: readonly string[], lines: readonly { lineId: string }[], of: 'contract' | 'change'): void {
  const unknown = ids.filter((id) => !lines.some((line) => line.lineId === id));
  if (unknown.length) throw notFound('LINE_NOT_FOUND', `Not lines of this ${of}: ${unknown.join(', ')}`);
}
