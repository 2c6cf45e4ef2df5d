package io.miaosha.functions.schedule;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Gets the platform ready for sales and stands it down after. Before a sale opens: more hot
 * instances first (they take minutes to boot), then arm it (stock and terms into Redis), then read
 * the catalog once so its caches hold the sale before the crowd asks. With no sale in sight: back
 * to the idle size. The API is reached with the shared arming key, never an admin account.
 */
@ApplicationScoped
public class SaleStarter {

    private final HotCapacity capacity;
    private final MiaoshaApi api;
    private final ArmingKey key;
    private final ScheduleConfig config;

    public SaleStarter(HotCapacity capacity, @RestClient MiaoshaApi api, ArmingKey key, ScheduleConfig config) {
        this.capacity = capacity;
        this.api = api;
        this.key = key;
        this.config = config;
    }

    /** The "arm-upcoming" schedule, every minute. */
    public String armUpcoming(int lookaheadMinutes) {
        MiaoshaApi.ArmingReport upcoming = api.upcoming(lookaheadMinutes, key.value());
        if (upcoming.sales().isEmpty()) {
            return "no sale live or opening within " + lookaheadMinutes + " min";
        }
        capacity.ensureAtLeast(config.openInstances());
        MiaoshaApi.ArmingReport armed = api.armUpcoming(lookaheadMinutes, key.value());
        armed.sales().forEach(sale -> api.sale(sale.id()));
        api.sales();
        Log.infof("hot group at least %d; armed and warmed sale(s) %s", config.openInstances(), ids(armed));
        return "armed sale(s) " + ids(armed);
    }

    /** The "scale-in" schedule, every quarter hour: shrink only when nothing is live or close. */
    public String scaleIn(int lookaheadMinutes) {
        MiaoshaApi.ArmingReport upcoming = api.upcoming(lookaheadMinutes, key.value());
        if (!upcoming.sales().isEmpty()) {
            return "hot group kept: sale(s) " + ids(upcoming) + " live or opening within " + lookaheadMinutes + " min";
        }
        capacity.scaleTo(config.idleInstances());
        Log.infof("no sale live or opening within %d min: hot group back to %d", lookaheadMinutes, config.idleInstances());
        return "hot group scaled in to " + config.idleInstances();
    }

    private static String ids(MiaoshaApi.ArmingReport report) {
        return report.sales().stream().map(sale -> Long.toString(sale.id())).toList().toString();
    }
}
