import { productSchema } from '../../schema/index.ts';
import type { Queryable } from '../db/database.ts';
import { loadDocuments, loadProductsBySku, writeDocuments, type StoredDocument } from '../db/documents.ts';
import { ApiProblem } from '../http/problem.ts';
import { stockAfter } from '../rules/stock-effects.ts';
import { decodeCursor, encodeCursor } from './api-resource.ts';

/**
 * Stock for integrators (API-04): levels, adjustments and reservations. Stock itself is the product
 * document's `stock` (what stations replicate and sell down); reservations are the server's own rows,
 * so `available = stock − reserved by active, unexpired reservations`. Every function that writes
 * runs inside a transaction that holds the store's sequence lock (lockStoreSequence), like every other
 * writer of the store: two reservations for the last unit are serialised and only one gets it.
 * A reservation lapses by itself: it counts as expired once the server's clock passes `expires_at`,
 * evaluated on every read and write, so no background timer is needed.
 */

export interface ProductRef {
  productId?: string;
  sku?: string;
}

export interface ReservationLine {
  productId: string;
  quantity: number;
}

export interface Reservation {
  id: string;
  orderId: string | null;
  status: 'active' | 'expired' | 'committed' | 'released';
  /** ISO instant; null: held until committed or released. */
  expiresAt: string | null;
  items: ReservationLine[];
}

/** 409 `insufficient_stock` naming the short item's pointer (e.g. `/items/1/quantity`). */
export function insufficientStock(message: string, pointer: string): ApiProblem {
  return new ApiProblem(409, 'insufficient_stock', message, pointer);
}

/**
 * The stored products named by `refs` (by productId or sku), in order; a 422 naming the item's
 * pointer (`${prefix}/i/sku`) for one the store does not have, a 400 for an item that names neither.
 */
export async function resolveProducts(tx: Queryable, storeId: string, refs: readonly ProductRef[], prefix: string | null): Promise<StoredDocument[]> {
  // null: the body is the one product reference itself (an adjustment).
  const at = (index: number) => (prefix === null ? '' : `${prefix}/${index}`);
  const byId = await loadDocuments(tx, storeId, 'products', refs.flatMap((ref) => (ref.productId ? [ref.productId] : [])));
  const bySku = new Map((await loadProductsBySku(tx, storeId, refs.flatMap((ref) => (!ref.productId && ref.sku ? [ref.sku] : [])))).filter((doc) => !doc.deleted).map((doc) => [String(doc.data.sku), doc]));
  return refs.map((ref, index) => {
    if (!ref.productId && !ref.sku) throw new ApiProblem(400, 'validation_failed', `Item ${index} names no product: send productId or sku.`, at(index) || '/');
    const found = ref.productId ? byId.get(ref.productId) : bySku.get(ref.sku!);
    if (!found || found.deleted) {
      const field = ref.productId ? 'productId' : 'sku';
      throw new ApiProblem(422, 'not_found', `Product ${ref.productId ?? ref.sku} (item ${index}) is not in this store's catalogue. Load it first (POST /api/v1/products/batch).`, `${at(index)}/${field}`);
    }
    if (ref.productId && ref.sku && found.data.sku !== ref.sku) {
      throw new ApiProblem(422, 'validation_failed', `Product ${ref.productId} has sku ${String(found.data.sku)}, not ${ref.sku}. Send one of them, or both matching.`, `${at(index)}/sku`);
    }
    return found;
  });
}

// The store's clock (sandbox/clock.ts; $1 is the store in every query using it), evaluated once per query:
// a sandbox whose clock was moved forward sees its reservations expire.
const ACTIVE = "r.status = 'active' AND (r.expires_at IS NULL OR r.expires_at > (SELECT store_now($1)))";

/** Units held by active, unexpired reservations, by product (one reservation may be left out). */
export async function reservedUnits(tx: Queryable, storeId: string, productIds: readonly string[], except: string | null = null): Promise<Map<string, number>> {
  if (productIds.length === 0) return new Map();
  const rows = await tx.query<{ product_id: string; reserved: string | number }>(
    `SELECT l.product_id, sum(l.quantity) AS reserved
       FROM stock_reservation_lines l JOIN stock_reservations r ON r.store_id = l.store_id AND r.id = l.reservation_id
      WHERE l.store_id = $1 AND l.product_id = ANY($2::text[]) AND ${ACTIVE} AND ($3::text IS NULL OR r.id <> $3)
      GROUP BY l.product_id`,
    [storeId, [...new Set(productIds)], except],
  );
  return new Map(rows.map((row) => [row.product_id, Number(row.reserved)]));
}

/** Sums quantities per product, keeping the first item's index for error pointers. */
function linesOf(products: readonly StoredDocument[], quantities: readonly number[]): (ReservationLine & { index: number })[] {
  const lines = new Map<string, ReservationLine & { index: number }>();
  products.forEach((product, index) => {
    const line = lines.get(product.id) ?? { productId: product.id, quantity: 0, index };
    line.quantity += quantities[index]!;
    lines.set(product.id, line);
  });
  return [...lines.values()];
}

/** Throws 409 insufficient_stock naming the first line that the available stock cannot cover. */
async function assertAvailable(tx: Queryable, storeId: string, lines: readonly (ReservationLine & { index?: number })[], except: string | null, prefix: string): Promise<void> {
  const products = await loadDocuments(tx, storeId, 'products', lines.map((line) => line.productId));
  const reserved = await reservedUnits(tx, storeId, lines.map((line) => line.productId), except);
  for (const line of lines) {
    const stock = Number(products.get(line.productId)?.data.stock ?? 0);
    const available = stock - (reserved.get(line.productId) ?? 0);
    if (line.quantity > available) {
      const where = line.index !== undefined ? `${prefix}/${line.index}/quantity` : prefix;
      throw insufficientStock(`Product ${line.productId} has ${Math.max(0, available)} available (stock ${stock}, reserved ${reserved.get(line.productId) ?? 0}); ${line.quantity} were asked. Nothing was reserved.`, where);
    }
  }
}

function instant(value: unknown): string | null {
  return value === null || value === undefined ? null : new Date(value as string).toISOString();
}

/** A reservation with its lines and its state as of the server's clock now (active past its expiry → expired), or null. */
export async function loadReservation(tx: Queryable, storeId: string, id: string): Promise<(Reservation & { requestHash: string }) | null> {
  const [row] = await tx.query<{ id: string; order_id: string | null; status: Reservation['status']; expires_at: unknown; request_hash: string; items: ReservationLine[] }>(
    `SELECT r.id, r.order_id, r.request_hash, r.expires_at,
            CASE WHEN r.status = 'active' AND r.expires_at IS NOT NULL AND r.expires_at <= (SELECT store_now($1)) THEN 'expired' ELSE r.status END AS status,
            (SELECT coalesce(jsonb_agg(jsonb_build_object('productId', l.product_id, 'quantity', l.quantity) ORDER BY l.product_id), '[]'::jsonb)
               FROM stock_reservation_lines l WHERE l.store_id = r.store_id AND l.reservation_id = r.id) AS items
       FROM stock_reservations r WHERE r.store_id = $1 AND r.id = $2`,
    [storeId, id],
  );
  if (!row) return null;
  return { id: row.id, orderId: row.order_id, status: row.status, expiresAt: instant(row.expires_at), items: row.items.map((line) => ({ productId: line.productId, quantity: Number(line.quantity) })), requestHash: row.request_hash };
}

/**
 * The reservation `id` as `owner` may see it: `owner` is the order a reservation was made for, or null for
 * an integrator's own (made through POST /stock/reservations). Anything else is a 404, as if absent: an
 * order's reservation is moved only by that order's actions (orders.ts), never through the stock routes,
 * whose `stock` scope would otherwise free a paid order's units or commit an unpaid one's.
 */
export async function reservationOf(tx: Queryable, storeId: string, id: string, owner: string | null): Promise<Reservation & { requestHash: string }> {
  const reservation = await loadReservation(tx, storeId, id);
  if (!reservation || reservation.orderId !== owner) throw new ApiProblem(404, 'not_found', `Reservation ${id} was not found. Check the id and try again.`);
  return reservation;
}

export interface ReserveRequest {
  id: string;
  orderId: string | null;
  items: readonly (ProductRef & { quantity: number })[];
  ttlSeconds: number;
  /** Digest of what was asked: the same id with another request is a 409. */
  requestHash: string;
  /** JSON pointer of the items array in the request body, for errors. */
  pointer: string;
}

/**
 * Reserves every item or nothing (409 insufficient_stock naming the first short item). The same id
 * and request again answers the stored reservation (`replayed`), whatever its state now.
 */
export async function reserve(tx: Queryable, storeId: string, request: ReserveRequest): Promise<{ reservation: Reservation; replayed: boolean }> {
  const existing = await loadReservation(tx, storeId, request.id);
  if (existing) {
    if (existing.requestHash !== request.requestHash) throw new ApiProblem(409, 'idempotency_conflict', `Reservation ${request.id} already exists with other items. Use a new id for a new reservation.`, '/id');
    const { requestHash: _hash, ...reservation } = existing;
    return { reservation, replayed: true };
  }
  const products = await resolveProducts(tx, storeId, request.items, request.pointer);
  const lines = linesOf(products, request.items.map((item) => item.quantity));
  await assertAvailable(tx, storeId, lines, null, request.pointer);
  await tx.query(
    "INSERT INTO stock_reservations (store_id, id, order_id, status, expires_at, request_hash) VALUES ($1, $2, $3, 'active', store_now($1) + make_interval(secs => $4), $5)",
    [storeId, request.id, request.orderId, request.ttlSeconds, request.requestHash],
  );
  await tx.query(
    'INSERT INTO stock_reservation_lines (store_id, reservation_id, product_id, quantity) SELECT $1, $2, l.product_id, l.quantity FROM unnest($3::text[], $4::bigint[]) AS l(product_id, quantity)',
    [storeId, request.id, lines.map((line) => line.productId), lines.map((line) => line.quantity)],
  );
  return { reservation: (await loadReservation(tx, storeId, request.id))!, replayed: false };
}

function stateProblem(reservation: Reservation, wanted: string): ApiProblem {
  return new ApiProblem(409, 'business_rule', `Reservation ${reservation.id} is ${reservation.status}; it cannot be ${wanted}.`);
}

/** An expired reservation taken up again (commit, hold) must still find its units available. */
async function revive(tx: Queryable, storeId: string, reservation: Reservation): Promise<void> {
  if (reservation.status !== 'expired') return;
  await assertAvailable(tx, storeId, reservation.items, reservation.id, `/reservation/${reservation.id}`);
}

/**
 * Commits a reservation: its units leave the product stock (written through writeDocuments, so
 * stations receive the new stock). Once: a committed reservation answers `applied: false`.
 */
export async function commitReservation(tx: Queryable, storeId: string, id: string, owner: string | null): Promise<{ reservation: Reservation; applied: boolean }> {
  const reservation = await reservationOf(tx, storeId, id, owner);
  if (reservation.status === 'committed') return { reservation, applied: false };
  if (reservation.status === 'released') throw stateProblem(reservation, 'committed');
  await revive(tx, storeId, reservation);
  const products = await loadDocuments(tx, storeId, 'products', reservation.items.map((line) => line.productId));
  const writes = reservation.items.flatMap((line) => {
    const product = products.get(line.productId);
    if (!product) return [];
    return [{ id: product.id, stationId: product.stationId, data: { ...product.data, stock: stockAfter(Number(product.data.stock ?? 0), -line.quantity) }, deleted: product.deleted }];
  });
  await writeDocuments(tx, storeId, 'products', writes);
  await tx.query("UPDATE stock_reservations SET status = 'committed', settled_at = now() WHERE store_id = $1 AND id = $2", [storeId, id]);
  return { reservation: (await loadReservation(tx, storeId, id))!, applied: true };
}

/** Releases a reservation (active or lapsed): its units are available again. Once. */
export async function releaseReservation(tx: Queryable, storeId: string, id: string, owner: string | null): Promise<{ reservation: Reservation; applied: boolean }> {
  const reservation = await reservationOf(tx, storeId, id, owner);
  if (reservation.status === 'released') return { reservation, applied: false };
  if (reservation.status === 'committed') throw stateProblem(reservation, 'released (its goods have left the stock)');
  await tx.query("UPDATE stock_reservations SET status = 'released', settled_at = now() WHERE store_id = $1 AND id = $2", [storeId, id]);
  return { reservation: (await loadReservation(tx, storeId, id))!, applied: true };
}

/** Holds a reservation until it is committed or released (no expiry); a lapsed one must still be covered. */
export async function holdReservation(tx: Queryable, storeId: string, id: string, owner: string | null): Promise<Reservation> {
  const reservation = await reservationOf(tx, storeId, id, owner);
  if (reservation.status !== 'active' && reservation.status !== 'expired') throw stateProblem(reservation, 'held');
  await revive(tx, storeId, reservation);
  await tx.query('UPDATE stock_reservations SET expires_at = NULL WHERE store_id = $1 AND id = $2', [storeId, id]);
  return (await loadReservation(tx, storeId, id))!;
}

// ── Levels and adjustments ───────────────────────────────────────────────────────────────────────

export interface StockLevel {
  productId: string;
  sku: string;
  stock: number;
  reserved: number;
  available: number;
}

const isLevelCursor = (value: unknown): value is { after: string } => typeof (value as { after?: unknown } | null)?.after === 'string';

/** Stock levels of the store's live products by id (keyset pages), optionally one product. */
export async function stockLevels(db: Queryable, storeId: string, query: ProductRef & { limit: number; cursor?: string }): Promise<{ levels: StockLevel[]; nextCursor: string | null; hasMore: boolean }> {
  const after = query.cursor ? decodeCursor(query.cursor, isLevelCursor).after : null;
  const rows = await db.query<{ id: string; sku: string; stock: string | number; reserved: string | number }>(
    `SELECT d.id, d.data ->> 'sku' AS sku, (d.data ->> 'stock')::bigint AS stock,
            coalesce((SELECT sum(l.quantity) FROM stock_reservation_lines l JOIN stock_reservations r ON r.store_id = l.store_id AND r.id = l.reservation_id
                       WHERE l.store_id = d.store_id AND l.product_id = d.id AND ${ACTIVE}), 0) AS reserved
       FROM documents d
      WHERE d.store_id = $1 AND d.collection = 'products' AND NOT d.deleted
        AND ($2::text IS NULL OR d.id = $2) AND ($3::text IS NULL OR d.data ->> 'sku' = $3) AND ($4::text IS NULL OR d.id > $4)
      ORDER BY d.id LIMIT $5`,
    [storeId, query.productId ?? null, query.sku ?? null, after, query.limit + 1],
  );
  const hasMore = rows.length > query.limit;
  const levels = rows.slice(0, query.limit).map((row) => ({ productId: row.id, sku: row.sku, stock: Number(row.stock), reserved: Number(row.reserved), available: Number(row.stock) - Number(row.reserved) }));
  return { levels, nextCursor: hasMore ? encodeCursor({ after: levels.at(-1)!.productId }) : null, hasMore };
}

export interface Adjustment {
  id: string;
  productId: string;
  delta: number;
  reason: string;
  stockBefore: number;
  stockAfter: number;
  at: string;
  replayed: boolean;
}

const STOCK_MIN = productSchema.properties.stock.minimum;
const STOCK_MAX = productSchema.properties.stock.maximum;

/**
 * Applies a stock adjustment (a count, a loss, goods received) once per adjustment id: the same id
 * again answers the first result with `replayed: true`; the same id for another change is a 409.
 */
export async function adjustStock(tx: Queryable, storeId: string, userId: string, request: ProductRef & { id: string; delta: number; reason: string }): Promise<Adjustment> {
  const [product] = await resolveProducts(tx, storeId, [request], null);
  const productId = product!.id;
  const [done] = await tx.query<{ product_id: string; delta: string | number; reason: string; stock_before: string | number; stock_after: string | number; at: unknown }>(
    'SELECT product_id, delta, reason, stock_before, stock_after, at FROM stock_adjustments WHERE store_id = $1 AND id = $2',
    [storeId, request.id],
  );
  if (done) {
    if (done.product_id !== productId || Number(done.delta) !== request.delta || done.reason !== request.reason) {
      throw new ApiProblem(409, 'idempotency_conflict', `Adjustment ${request.id} was already applied with another product, delta or reason. Use a new id for a new adjustment.`, '/id');
    }
    return { id: request.id, productId, delta: request.delta, reason: request.reason, stockBefore: Number(done.stock_before), stockAfter: Number(done.stock_after), at: instant(done.at)!, replayed: true };
  }
  const before = Number(product!.data.stock ?? 0);
  const after = before + request.delta;
  if (after < STOCK_MIN || after > STOCK_MAX) {
    throw new ApiProblem(422, 'validation_failed', `Stock of ${productId} would become ${after}, outside ${STOCK_MIN}…${STOCK_MAX}. Check the delta.`, '/delta');
  }
  await writeDocuments(tx, storeId, 'products', [{ id: productId, stationId: product!.stationId, data: { ...product!.data, stock: after }, deleted: false }]);
  const [row] = await tx.query<{ at: unknown }>(
    'INSERT INTO stock_adjustments (store_id, id, product_id, delta, reason, stock_before, stock_after, user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING at',
    [storeId, request.id, productId, request.delta, request.reason, before, after, userId],
  );
  return { id: request.id, productId, delta: request.delta, reason: request.reason, stockBefore: before, stockAfter: after, at: instant(row!.at)!, replayed: false };
}
