package io.miaosha.api.catalog;

/** What a shopper is told about a sale right now. */
public enum SaleStatus {
    UPCOMING,
    LIVE,
    SOLD_OUT,
    ENDED,
    CANCELLED
}
