import { ProductTerm, ProductTerms } from '../products';
import { Upcaster } from './upcaster-registry';

/**
 * OrderPlaced v1 → v2: every placed line states its term. Version 1 lines carried the catalog's
 * term only once it started travelling with the order; before that, the term followed from the
 * billing policy, except for the one annual StreamOne product, whose SKU says so.
 */
export const orderPlacedV1ToV2: Upcaster = (event) => {
  const data = event.data as { lines: LegacyLine[] };
  return { type: event.type, data: { ...data, lines: data.lines.map((line) => ({ ...line, term: termOfLegacyLine(line) })) } };
};

type LegacyLine = Pick<ProductTerms, 'sku' | 'billingPolicy' | 'term'>;

/** The catalog's annual products from before lines carried their term (stellr-cutoff is otherwise monthly). */
const ANNUAL_SKUS_BEFORE_TERMS = new Set(['SN-POCKETALK-SI-Y']);

/** A line's term, also for lines written before the term travelled with them (orders created then). */
export function termOfLegacyLine(line: LegacyLine): ProductTerm {
  if (line.term) return line.term;
  if (ANNUAL_SKUS_BEFORE_TERMS.has(line.sku)) return 'annual';
  switch (line.billingPolicy) {
    case 'microsoft-csp-usage':
      return 'usage';
    case 'onprem-software':
      return 'one-time';
    default:
      // microsoft-csp-monthly and stellr-cutoff; billing has always read a line without a term as monthly.
      return 'monthly';
  }
}
