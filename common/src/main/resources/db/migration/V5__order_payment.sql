-- Payment and confirmation: the payment id that paid an order, and when its confirmation email was
-- handed to the email queue (NULL until then, so a redelivered OrderPaid after a crash sends it once more).
ALTER TABLE orders
    ADD COLUMN payment_id VARCHAR(64) NULL,
    ADD COLUMN confirmation_queued_at DATETIME(3) NULL;
