-- Whether buying in a sale requires admission through the waiting room (queue-gateway). Off for
-- existing sales so that nothing changes for them; the admin turns it on per sale.
ALTER TABLE sales ADD COLUMN queue_enabled BOOLEAN NOT NULL DEFAULT FALSE;
