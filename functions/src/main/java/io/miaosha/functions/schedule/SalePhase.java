package io.miaosha.functions.schedule;

/** What an EventBridge schedule asks for: get ready before a sale opens, or stand down after it closed. */
public enum SalePhase {
    OPEN,
    CLOSE
}
