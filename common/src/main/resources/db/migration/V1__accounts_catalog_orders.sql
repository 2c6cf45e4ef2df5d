-- Accounts, catalog and orders: the system of record. Hot state lives in Redis; these tables
-- are what survives it.

CREATE TABLE users (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email         VARCHAR(254) NOT NULL,
    password_hash VARCHAR(100) NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    created_at    DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    CONSTRAINT uq_users_email UNIQUE (email),
    CONSTRAINT ck_users_role CHECK (role IN ('shopper', 'admin'))
) ENGINE = InnoDB;

CREATE TABLE products (
    id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    sku         VARCHAR(64)   NOT NULL,
    name        VARCHAR(200)  NOT NULL,
    description VARCHAR(2000) NOT NULL DEFAULT '',
    image_url   VARCHAR(500)  NULL,
    created_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    CONSTRAINT uq_products_sku UNIQUE (sku)
) ENGINE = InnoDB;

CREATE TABLE sales (
    id               BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    product_id       BIGINT       NOT NULL,
    title            VARCHAR(200) NOT NULL,
    price_minor      BIGINT       NOT NULL,
    currency         CHAR(3)      NOT NULL,
    stock            INT          NOT NULL,
    opens_at         DATETIME(3) NOT NULL,
    closes_at        DATETIME(3) NOT NULL,
    per_user_limit   INT          NOT NULL,
    queue_capacity   INT          NOT NULL,
    window_seconds   INT          NOT NULL,
    hold_seconds     INT          NOT NULL,
    cancelled        BOOLEAN      NOT NULL DEFAULT FALSE,
    armed_at         DATETIME(3) NULL,
    created_at       DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at       DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    CONSTRAINT fk_sales_product FOREIGN KEY (product_id) REFERENCES products (id),
    CONSTRAINT ck_sales_window CHECK (closes_at > opens_at),
    CONSTRAINT ck_sales_stock CHECK (stock > 0),
    CONSTRAINT ck_sales_limit CHECK (per_user_limit >= 1),
    INDEX ix_sales_opens_at (opens_at)
) ENGINE = InnoDB;

-- The order id (UUIDv7, from the purchase script) is the primary key: a redelivered message
-- inserts nothing, which is what makes the pipeline exactly-once on top of at-least-once.
CREATE TABLE orders (
    id               CHAR(36)     NOT NULL PRIMARY KEY,
    sale_id          BIGINT       NOT NULL,
    user_id          BIGINT       NOT NULL,
    quantity         INT          NOT NULL,
    unit_price_minor BIGINT       NOT NULL,
    total_minor      BIGINT       NOT NULL,
    currency         CHAR(3)      NOT NULL,
    status           VARCHAR(20)  NOT NULL,
    pay_by           DATETIME(3) NOT NULL,
    created_at       DATETIME(3) NOT NULL,
    updated_at       DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    INDEX ix_orders_user (user_id, created_at),
    INDEX ix_orders_sale (sale_id)
) ENGINE = InnoDB;

CREATE TABLE order_status_history (
    order_id   CHAR(36)     NOT NULL,
    status     VARCHAR(20)  NOT NULL,
    changed_at DATETIME(3) NOT NULL,
    PRIMARY KEY (order_id, status)
) ENGINE = InnoDB;
