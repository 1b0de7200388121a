import { InstantField } from '../validation/fields';

/** `?asOf=<instant>` on GET /:resource/:id and its history: the resource as it was then (events that occurred at or before it). */
export class AsOfQueryDto {
  @InstantField({ optional: true, description: 'answer the resource as it was at this instant (ISO 8601); 404 if it did not exist yet' })
  asOf?: string;
}
