package io.miaosha.gateway.queue;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "miaosha.queue")
public interface QueueConfig {

    /** How long a shopper whose socket closed (without "leave") keeps the ticket: a reload keeps the place. */
    @WithDefault("60s")
    Duration grace();

    /** Period of the admission loop (on the lease holder): how soon a freed slot is refilled. */
    @WithDefault("200ms")
    Duration admitEvery();

    /** Period of position pushes; also the least time between two pushes to one connection. */
    @WithDefault("1s")
    Duration pushEvery();

    /**
     * Least time between two pushes to one connection when its place is unchanged and only the queue
     * length or the wait estimate moved: while admissions stall the estimate grows every second, and
     * re-telling every waiting shopper that each second costs a fleet more CPU than the news is worth.
     */
    @WithDefault("5s")
    Duration contextPushEvery();

    /** Lease on a sale's admission loop: the longest another instance waits to take over from a dead holder. */
    @WithDefault("3s")
    Duration leaseTime();

    /** Time constant of the admission-rate average ("the last minute"). */
    @WithDefault("60s")
    Duration rateTimeConstant();

    /** How often a connection's exact place is read again (between reads it advances by the admissions). */
    @WithDefault("5s")
    Duration rankRefresh();

    /** Most shoppers one admission step handles (bounds the script's run time). */
    @WithDefault("1000")
    int stepLimit();

    /**
     * Most sockets one user may hold on one sale's waiting room on this instance (tabs, a reload that
     * overlaps the old socket's close). One more is refused with {@code too-many-connections}: the
     * newest, so that two tabs over the limit do not keep closing each other.
     */
    @WithDefault("3")
    int socketsPerUser();

    /**
     * Frames a socket may send per second, on average (text, binary and pings alike). A page sends one
     * {@code leave} in its life; a client over this rate (after {@link #frameBurst}) is closed with 1008.
     */
    @WithDefault("2")
    int framesPerSecond();

    /** Frames a socket may send at once before {@link #framesPerSecond} applies. */
    @WithDefault("10")
    int frameBurst();

    /** This instance's id in the lease; a random one when absent. */
    Optional<String> instanceId();
}
