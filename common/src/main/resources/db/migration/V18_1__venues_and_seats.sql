-- Seated sales (issue 18). A venue is a fixed layout: areas, and seats in rows with drawing
-- coordinates. Each seat's position (0..n-1, ordered by area, row, seat) is its index in the sale's
-- compact seat map in Redis (one byte per seat), so the hot path never needs a seat's database id.
-- A venue is never changed once created: sales on it, and the seat maps armed from it, rely on the
-- positions staying put.

CREATE TABLE venues (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    seat_count INT          NOT NULL,
    created_at DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    CONSTRAINT ck_venues_seats CHECK (seat_count BETWEEN 1 AND 100000)
) ENGINE = InnoDB;

-- ordinal: the area's place in the layout; its seats' positions are one contiguous range.
CREATE TABLE venue_areas (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    venue_id   BIGINT       NOT NULL,
    ordinal    INT          NOT NULL,
    name       VARCHAR(100) NOT NULL,
    price_tier VARCHAR(50)  NOT NULL,
    CONSTRAINT fk_venue_areas_venue FOREIGN KEY (venue_id) REFERENCES venues (id),
    CONSTRAINT uq_venue_areas_name UNIQUE (venue_id, name),
    CONSTRAINT uq_venue_areas_ordinal UNIQUE (venue_id, ordinal)
) ENGINE = InnoDB;

-- row_ordinal numbers the rows of an area from the front (best) to the back; "best available"
-- looks at rows in that order. Seats of a row are ordered by position (left to right).
CREATE TABLE seats (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    venue_id    BIGINT       NOT NULL,
    area_id     BIGINT       NOT NULL,
    position    INT          NOT NULL,
    row_ordinal INT          NOT NULL,
    row_label   VARCHAR(20)  NOT NULL,
    seat_label  VARCHAR(20)  NOT NULL,
    x           INT          NOT NULL,
    y           INT          NOT NULL,
    CONSTRAINT fk_seats_venue FOREIGN KEY (venue_id) REFERENCES venues (id),
    CONSTRAINT fk_seats_area FOREIGN KEY (area_id) REFERENCES venue_areas (id),
    CONSTRAINT uq_seats_position UNIQUE (venue_id, position),
    CONSTRAINT uq_seats_label UNIQUE (area_id, row_label, seat_label)
) ENGINE = InnoDB;

-- A sale with a venue is seated: its stock is the venue's seat count, its per-user limit the
-- per-shopper seat limit, its price_minor the cheapest area's (what the catalog shows as "from").
ALTER TABLE sales
    ADD COLUMN venue_id BIGINT NULL,
    ADD CONSTRAINT fk_sales_venue FOREIGN KEY (venue_id) REFERENCES venues (id);

CREATE TABLE sale_area_prices (
    sale_id     BIGINT NOT NULL,
    area_id     BIGINT NOT NULL,
    price_minor BIGINT NOT NULL,
    PRIMARY KEY (sale_id, area_id),
    CONSTRAINT fk_sale_area_prices_sale FOREIGN KEY (sale_id) REFERENCES sales (id),
    CONSTRAINT fk_sale_area_prices_area FOREIGN KEY (area_id) REFERENCES venue_areas (id),
    CONSTRAINT ck_sale_area_prices_price CHECK (price_minor >= 0)
) ENGINE = InnoDB;

-- The seats an order holds, written by the order-worker in the transaction that writes the order.
-- Whether a seat is held, sold or free again follows the order's status (one owner of that state);
-- the seat's price is the one the shopper was shown when picking.
CREATE TABLE order_seats (
    order_id    CHAR(36) NOT NULL,
    seat_id     BIGINT   NOT NULL,
    sale_id     BIGINT   NOT NULL,
    position    INT      NOT NULL,
    price_minor BIGINT   NOT NULL,
    PRIMARY KEY (order_id, seat_id),
    CONSTRAINT fk_order_seats_seat FOREIGN KEY (seat_id) REFERENCES seats (id),
    INDEX ix_order_seats_sale (sale_id, position)
) ENGINE = InnoDB;
