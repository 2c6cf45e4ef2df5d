package io.miaosha.infra;

import java.util.Locale;

/**
 * How big one deployment is. Chosen with {@code -c size=dev|prod} so that nobody edits code to
 * go from a test account to production; every number that costs money lives here.
 *
 * @param name            the context value that selects this size
 * @param maxAzs          availability zones the VPC spans (RabbitMQ clusters want three)
 * @param natGateways     one is a single point of failure but saves ~$33/month per gateway in dev
 * @param redisNodeType   ElastiCache node type
 * @param redisShards     node groups of the Redis cluster (each sale lives on one shard via its hash tag)
 * @param dbInstanceClass RDS class, e.g. {@code t4g.small}
 * @param dbMultiAz       standby for the writer
 * @param dbReadReplicas  read replicas for catalog and "my orders"
 * @param brokerInstance  Amazon MQ host type
 * @param brokerCluster   three-node RabbitMQ cluster instead of a single broker
 * @param serviceInstance EC2 type of every service instance (the native binaries need little memory)
 * @param hot             capacity of the hot purchase group
 * @param general         capacity of the general flash-sale-api group
 * @param gateway         capacity of the queue-gateway group
 * @param worker          capacity of the order-worker group
 * @param lambdaMemoryMb  memory of the two functions (CPU scales with it)
 * @param production      turns on deletion protection and retention of stateful resources
 */
public record EnvironmentSize(
        String name,
        int maxAzs,
        int natGateways,
        String redisNodeType,
        int redisShards,
        String dbInstanceClass,
        boolean dbMultiAz,
        int dbReadReplicas,
        String brokerInstance,
        boolean brokerCluster,
        String serviceInstance,
        Capacity hot,
        Capacity general,
        Capacity gateway,
        Capacity worker,
        int lambdaMemoryMb,
        boolean production) {

    /** Min/max instances of one Auto Scaling group. */
    public record Capacity(int min, int max) {
        public Capacity {
            if (min < 0 || max < Math.max(1, min)) {
                throw new IllegalArgumentException("capacity needs 0 <= min <= max and max >= 1");
            }
        }
    }

    public EnvironmentSize {
        if (dbReadReplicas < 1) {
            throw new IllegalArgumentException("the catalog reads need at least one read replica");
        }
        if (maxAzs < 2) {
            throw new IllegalArgumentException("a single availability zone cannot fail over");
        }
    }

    public static EnvironmentSize dev() {
        return new EnvironmentSize("dev", 2, 1,
                "cache.t4g.small", 1,
                "t4g.small", false, 1,
                "mq.t3.micro", false,
                "t3.small",
                new Capacity(1, 4), new Capacity(1, 2), new Capacity(1, 2), new Capacity(1, 2),
                1024, false);
    }

    public static EnvironmentSize prod() {
        return new EnvironmentSize("prod", 3, 3,
                "cache.r7g.large", 3,
                "r7g.large", true, 2,
                "mq.m5.large", true,
                "c7i.large",
                new Capacity(2, 40), new Capacity(2, 8), new Capacity(2, 12), new Capacity(2, 8),
                2048, true);
    }

    /** The size named by the {@code size} context value; dev when it is absent. */
    public static EnvironmentSize named(String name) {
        return switch (name == null ? "dev" : name.toLowerCase(Locale.ROOT)) {
            case "dev" -> dev();
            case "prod" -> prod();
            default -> throw new IllegalArgumentException("unknown size '" + name + "': use -c size=dev or -c size=prod");
        };
    }
}
