-- The database refuses an order row the API would never produce: whatever reaches it through a bug
-- or a forged message (a total that overflowed, a quantity of zero) fails its INSERT instead of
-- being stored, and the order-worker parks that one message with the reason.
ALTER TABLE orders
    ADD CONSTRAINT ck_orders_quantity CHECK (quantity > 0),
    ADD CONSTRAINT ck_orders_amounts CHECK (unit_price_minor >= 0 AND total_minor >= 0);
