-- The Idempotency-Key a purchase was sent with and the fingerprint of its body, kept with the order:
-- the Redis record that answers a retry with the first order is lost with a Redis that loses its data,
-- and recovery rebuilds it from here (so a retry after the loss answers that order, not a second one).
ALTER TABLE orders
    ADD COLUMN idempotency_key VARCHAR(64) NULL,
    ADD COLUMN request_fingerprint VARCHAR(64) NULL;
