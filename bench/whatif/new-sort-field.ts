/**
 * A what-if for diagnosis only, never part of the product: a release whose 注文一覧 also sorts one
 * reseller's orders by purchase order number, a field no index held before. Preloaded into the server
 * (`node -r`), it adds that index to what orderScreensProjection declares, so the server's first start
 * on a filled data directory fills the field's key column from every order and makes the index, as
 * such a release's would. bench/upgrade-start-bench.ts starts servers with it.
 */
import { orderScreensProjection } from '../../services/order/src/projections/orders.projection';
import { COLLECTIONS } from '../../services/order/src/projections/views';

orderScreensProjection.indexes![COLLECTIONS.orders].push({ resellerId: 1, purchaseOrderNumber: 1 });
