import { allowedOrderActions, applyOrderAction, canonicalTaxId, normalizeCep, normalizeEmail, normalizePhone, normalizeUf, ORDER_STOCK_EFFECTS, targetOf, type OrderAction, type OrderState } from '../../rules/index.ts';
import { digest } from '../auth/secrets.ts';
import type { Database, Queryable } from '../db/database.ts';
import { lockStoreSequence } from '../db/documents.ts';
import { ApiProblem } from '../http/problem.ts';
import { stableJson } from '../sync/stable-json.ts';
import { decodeCursor, encodeCursor } from './api-resource.ts';
import { commitReservation, holdReservation, loadReservation, releaseReservation, reserve, resolveProducts, type ProductRef, type Reservation } from './stock.ts';
import { enqueueEvents } from '../webhooks/outbox.ts';

/**
 * E-commerce orders (API-04, seed 001): a server-side table (devices do not replicate orders), moved
 * by the one state machine of sync/rules/order-state.ts. Creating an order reserves its items;
 * `pay` holds the reservation, `invoice` commits it, `cancel` releases it — each inside the same
 * transaction as the state change, which holds the store's sequence lock. The effect hangs on the
 * transition: a retried request finds the order already moved and changes nothing again.
 */

export interface OrderInput {
  id: string;
  customer: { name: string; taxId: string; email?: string; phone?: string };
  delivery: { address: string; city: string; uf: string; cep: string; shippingCents: number };
  payment: { method: string; installments?: number; amountCents: number };
  items: (ProductRef & { quantity: number; unitPriceCents: number })[];
  reservationTtlSeconds?: number;
}

interface HistoryEntry {
  action: OrderAction | 'create';
  from: OrderState | '';
  to: OrderState;
  at: string;
  userId: string;
  reason?: string;
}

interface StoredOrder {
  id: string;
  status: OrderState;
  customer: OrderInput['customer'];
  delivery: OrderInput['delivery'];
  payment: OrderInput['payment'];
  items: { productId: string; sku: string; quantity: number; unitPriceCents: number; totalCents: number }[];
  itemsCents: number;
  totalCents: number;
  reservationId: string;
  history: HistoryEntry[];
  createdAt: string;
  updatedAt: string;
}

export type OrderView = Omit<StoredOrder, 'reservationId'> & { reservation: Reservation; allowedActions: OrderAction[] };

/** The largest total an order may have: what the sale and product schemas hold in cents. */
const MAX_TOTAL_CENTS = 1_000_000_000_00;

/**
 * The order's reservation id: its own namespace, which integrator reservation ids cannot reach (no '/', in
 * the body or the path: schemas.ts reservationParams); the stock functions also refuse it to any other owner (stock.ts reservationOf).
 */
export const reservationIdOf = (orderId: string) => `order/${orderId}`;

async function view(tx: Queryable, storeId: string, order: StoredOrder): Promise<OrderView> {
  const { reservationId, ...rest } = order;
  const reservation = (await loadReservation(tx, storeId, reservationId))!;
  const { requestHash: _hash, ...plain } = reservation;
  return { ...rest, reservation: plain, allowedActions: allowedOrderActions(order.status) };
}

async function loadOrder(tx: Queryable, storeId: string, id: string, lock = false): Promise<{ order: StoredOrder; requestHash: string } | null> {
  const [row] = await tx.query<{ data: StoredOrder; request_hash: string }>(`SELECT data, request_hash FROM integration_orders WHERE store_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [storeId, id]);
  return row ? { order: row.data, requestHash: row.request_hash } : null;
}

/** An order as the API shows it (reservation, allowed actions, history); 404 when the store has none with this id. */
export async function getOrder(db: Queryable, storeId: string, id: string): Promise<OrderView> {
  const found = await loadOrder(db, storeId, id);
  if (!found) throw new ApiProblem(404, 'not_found', `Order ${id} was not found. Check the id and try again.`);
  return view(db, storeId, found.order);
}

/** The customer and delivery as stored (canonical CPF/CNPJ, e-mail, phone, CEP, UF), or a 422 naming the field. */
function normalisedContact(input: OrderInput): Pick<StoredOrder, 'customer' | 'delivery'> {
  const check = (value: string | undefined, normalize: (value: string) => string | null, what: string, pointer: string): string | undefined => {
    if (value === undefined || value === '') return value;
    const normal = normalize(value);
    if (normal === null) throw new ApiProblem(422, 'validation_failed', `${what} "${value}" is not valid. Fix it and send the order again.`, pointer);
    return normal;
  };
  const taxId = check(input.customer.taxId, canonicalTaxId, 'CPF/CNPJ (check digits)', '/customer/taxId')!;
  const email = check(input.customer.email, normalizeEmail, 'E-mail', '/customer/email');
  const phone = check(input.customer.phone, normalizePhone, 'Phone', '/customer/phone');
  const cep = check(input.delivery.cep, normalizeCep, 'CEP', '/delivery/cep')!;
  const uf = check(input.delivery.uf, normalizeUf, 'UF', '/delivery/uf')!;
  return {
    customer: { ...input.customer, taxId, ...(email !== undefined ? { email } : {}), ...(phone !== undefined ? { phone } : {}) },
    delivery: { ...input.delivery, cep, uf },
  };
}

/**
 * Creates an order and reserves its items, or refuses it whole: 422 naming the field (tax id, an
 * unknown product, a payment that is not items + shipping to the cent), 409 insufficient_stock naming
 * the short item. The same id with the same body answers the stored order (`created: false`); the
 * same id with another body is a 409.
 */
export async function createOrder(db: Database, storeId: string, userId: string, input: OrderInput): Promise<{ order: OrderView; created: boolean }> {
  const { customer, delivery } = normalisedContact(input);
  const requestHash = digest(stableJson(input));
  return db.transaction(async (tx) => {
    await lockStoreSequence(tx, storeId);
    const existing = await loadOrder(tx, storeId, input.id);
    if (existing) {
      if (existing.requestHash !== requestHash) throw new ApiProblem(409, 'idempotency_conflict', `Order ${input.id} already exists with other content. Change it through its actions, or use a new id.`, '/id');
      return { order: await view(tx, storeId, existing.order), created: false };
    }
    const products = await resolveProducts(tx, storeId, input.items, '/items');
    const items = input.items.map((item, index) => ({ productId: products[index]!.id, sku: String(products[index]!.data.sku), quantity: item.quantity, unitPriceCents: item.unitPriceCents, totalCents: item.quantity * item.unitPriceCents }));
    const itemsCents = items.reduce((sum, item) => sum + item.totalCents, 0);
    const totalCents = itemsCents + input.delivery.shippingCents;
    if (totalCents > MAX_TOTAL_CENTS) throw new ApiProblem(422, 'validation_failed', `The order's total (${totalCents} cents) exceeds ${MAX_TOTAL_CENTS} cents. Split it.`, '/items');
    if (input.payment.amountCents !== totalCents) {
      throw new ApiProblem(422, 'validation_failed', `payment.amountCents is ${input.payment.amountCents} but items (${itemsCents}) + shipping (${input.delivery.shippingCents}) make ${totalCents} cents. Send the exact total.`, '/payment/amountCents');
    }
    const reservationId = reservationIdOf(input.id);
    await reserve(tx, storeId, { id: reservationId, orderId: input.id, items: input.items, ttlSeconds: input.reservationTtlSeconds ?? 86_400, requestHash, pointer: '/items' });
    const now = new Date().toISOString();
    const order: StoredOrder = {
      id: input.id,
      status: 'new',
      customer,
      delivery,
      payment: { ...input.payment, installments: input.payment.installments ?? 1 },
      items,
      itemsCents,
      totalCents,
      reservationId,
      history: [{ action: 'create', from: '', to: 'new', at: now, userId }],
      createdAt: now,
      updatedAt: now,
    };
    await tx.query('INSERT INTO integration_orders (store_id, id, status, data, request_hash, created_at, updated_at) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $6)', [storeId, input.id, order.status, JSON.stringify(order), requestHash, now]);
    return { order: await view(tx, storeId, order), created: true };
  });
}

/**
 * Moves an order by one action of the state machine and applies its stock effect once. An action the
 * order already made (a retry) answers `applied: false` and changes nothing; an action the table does
 * not allow from the current state is a 409 naming the possible ones.
 */
export async function actOnOrder(db: Database, storeId: string, userId: string, id: string, action: OrderAction, reason?: string): Promise<{ order: OrderView; applied: boolean }> {
  return db.transaction(async (tx) => {
    await lockStoreSequence(tx, storeId);
    const found = await loadOrder(tx, storeId, id, true);
    if (!found) throw new ApiProblem(404, 'not_found', `Order ${id} was not found. Check the id and try again.`);
    const { order } = found;
    if (order.history.some((entry) => entry.action === action && entry.to === targetOf(action))) return { order: await view(tx, storeId, order), applied: false };
    const next = applyOrderAction(order.status, action);
    if (!next.ok) throw new ApiProblem(409, 'business_rule', next.error.message);
    const effect = ORDER_STOCK_EFFECTS[action];
    if (effect === 'hold') await holdReservation(tx, storeId, order.reservationId, order.id);
    if (effect === 'commit') await commitReservation(tx, storeId, order.reservationId, order.id);
    if (effect === 'release') await releaseReservation(tx, storeId, order.reservationId, order.id);
    const now = new Date().toISOString();
    const moved: StoredOrder = { ...order, status: next.value, updatedAt: now, history: [...order.history, { action, from: order.status, to: next.value, at: now, userId, ...(reason ? { reason } : {}) }] };
    await tx.query('UPDATE integration_orders SET status = $3, data = $4::jsonb, updated_at = $5 WHERE store_id = $1 AND id = $2', [storeId, id, moved.status, JSON.stringify(moved), now]);
    await enqueueEvents(tx, storeId, [{ type: 'order.status_changed', resourceId: id, data: { ...(await view(tx, storeId, moved)), previousStatus: order.status } }]);
    return { order: await view(tx, storeId, moved), applied: true };
  });
}

const isOrderCursor = (value: unknown): value is { c: string; i: string } => typeof (value as { c?: unknown } | null)?.c === 'string' && typeof (value as { i?: unknown }).i === 'string';

/** Orders by creation (keyset pages), optionally of one status. */
export async function listOrders(db: Queryable, storeId: string, query: { status?: OrderState; limit: number; cursor?: string }): Promise<{ orders: OrderView[]; nextCursor: string | null; hasMore: boolean }> {
  const after = query.cursor ? decodeCursor(query.cursor, isOrderCursor) : null;
  const rows = await db.query<{ data: StoredOrder; created_at: unknown }>(
    `SELECT data, created_at FROM integration_orders
      WHERE store_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::timestamptz IS NULL OR (created_at, id) > ($3::timestamptz, $4::text))
      ORDER BY created_at, id LIMIT $5`,
    [storeId, query.status ?? null, after?.c ?? null, after?.i ?? null, query.limit + 1],
  );
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const orders = [];
  for (const row of page) orders.push(await view(db, storeId, row.data));
  const last = page.at(-1);
  return { orders, nextCursor: hasMore && last ? encodeCursor({ c: new Date(last.created_at as string).toISOString(), i: last.data.id }) : null, hasMore };
}
