/**
 * Every message on a Redis channel or stream, with its codec: what producers write and consumers read
 * is defined once, here. Channel messages are JSON objects with a version field {@code "v"} (1 for
 * every message today); a consumer refuses a version it does not know rather than guess. The Lua
 * scripts that publish (purchase.lua, queue_admit.lua) build the same JSON by concatenation; the tests
 * decode what they publish with these codecs. Outbox stream entries are field maps (see
 * {@link io.miaosha.common.events.OutboxEntries}).
 */
package io.miaosha.common.events;
