package io.miaosha.functions.schedule;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Gets the platform ready for a sale and stands it down after. Before opening: more hot instances
 * first (they take minutes to boot), then arm the sale (stock and terms into Redis), then read the
 * catalog once so its caches hold the sale before the crowd asks. After closing: back to idle size.
 */
@ApplicationScoped
public class SaleStarter {

    private final HotCapacity capacity;
    private final MiaoshaApi api;
    private final ScheduleConfig config;

    public SaleStarter(HotCapacity capacity, @RestClient MiaoshaApi api, ScheduleConfig config) {
        this.capacity = capacity;
        this.api = api;
        this.config = config;
    }

    public String handle(long saleId, SalePhase phase) {
        return switch (phase) {
            case OPEN -> {
                capacity.scaleTo(config.openInstances());
                String token = api.login(new MiaoshaApi.Credentials(config.adminEmail(), config.adminPassword())).token();
                api.arm(saleId, "Bearer " + token);
                api.sale(saleId);
                api.sales();
                Log.infof("sale %d: hot group at %d, armed, catalog warmed", saleId, config.openInstances());
                yield "opened sale " + saleId;
            }
            case CLOSE -> {
                capacity.scaleTo(config.idleInstances());
                Log.infof("sale %d closed: hot group back to %d", saleId, config.idleInstances());
                yield "closed sale " + saleId;
            }
        };
    }
}
