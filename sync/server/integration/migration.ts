/**
 * Integration resources (issue 12, "Resources"): stock reservations and adjustments and e-commerce
 * orders are the server's own records — devices never replicate them, the stock they move does (the
 * product documents). Version 1202 (issue 12, second part) so parallel branches adding migrations
 * do not collide on a number; versions only need to be unique.
 */
export const integrationMigration = {
  version: 1202,
  name: 'integration-resources',
  sql: `
    -- A hold on stock for an order: 'active' until committed (goods left) or released; an active
    -- reservation past expires_at counts as lapsed (evaluated on read and write, no timer);
    -- expires_at NULL: held until committed or released (a paid order).
    CREATE TABLE stock_reservations (
      store_id text NOT NULL REFERENCES stores(id),
      id text NOT NULL,
      order_id text,
      status text NOT NULL CHECK (status IN ('active', 'committed', 'released')),
      expires_at timestamptz,
      request_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      settled_at timestamptz,
      PRIMARY KEY (store_id, id)
    );
    CREATE TABLE stock_reservation_lines (
      store_id text NOT NULL,
      reservation_id text NOT NULL,
      product_id text NOT NULL,
      quantity bigint NOT NULL CHECK (quantity > 0),
      PRIMARY KEY (store_id, reservation_id, product_id),
      FOREIGN KEY (store_id, reservation_id) REFERENCES stock_reservations (store_id, id)
    );
    CREATE INDEX stock_reservation_lines_by_product ON stock_reservation_lines (store_id, product_id);
    -- One row per adjustment id: a retried adjustment finds its row and changes nothing again.
    CREATE TABLE stock_adjustments (
      store_id text NOT NULL REFERENCES stores(id),
      id text NOT NULL,
      product_id text NOT NULL,
      delta bigint NOT NULL,
      reason text NOT NULL,
      stock_before bigint NOT NULL,
      stock_after bigint NOT NULL,
      user_id text NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (store_id, id)
    );
    CREATE TABLE integration_orders (
      store_id text NOT NULL REFERENCES stores(id),
      id text NOT NULL,
      status text NOT NULL,
      data jsonb NOT NULL,
      request_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (store_id, id)
    );
    CREATE INDEX integration_orders_by_created ON integration_orders (store_id, created_at, id);
    CREATE INDEX documents_product_barcode ON documents (store_id, (data ->> 'barcode')) WHERE collection = 'products';
    CREATE INDEX documents_masterdata_code ON documents (store_id, (data ->> 'kind'), (data ->> 'code')) WHERE collection = 'masterdata'
  `,
};

/**
 * The sales movements' period filter (API-04, `from`/`to` on the sale's createdAt) reads an index
 * instead of every sale of the store: integration/sales.ts filters on exactly this expression.
 * balcao_instant only accepts an ISO-8601 time with its zone (Z or an offset), so its answer does
 * not depend on the session's TimeZone or DateStyle: it is immutable, as an index expression must be.
 */
export const salesPeriodMigration = {
  version: 1203,
  name: 'integration-sales-period-index',
  sql: `
    ALTER FUNCTION balcao_instant(text) IMMUTABLE;
    CREATE INDEX documents_sales_created ON documents (store_id, balcao_instant(data ->> 'createdAt')) WHERE collection = 'sales' AND NOT deleted
  `,
};
