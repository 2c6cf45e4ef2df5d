package io.miaosha.functions.schedule;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import jakarta.inject.Named;
import java.util.Map;

/**
 * The scheduled-start Lambda. Deployed, it runs on EventBridge Scheduler schedules whose input names
 * a task ({@link SchedulerTask}); it still understands an EventBridge event per sale, whose detail
 * names a sale and a phase: {@code {"saleId": 42, "phase": "OPEN"}} before it opens, {@code "CLOSE"} after.
 */
@Named("scheduled-start")
public class ScheduledStartHandler implements RequestHandler<ScheduledEvent, String> {

    private final SaleStarter starter;

    public ScheduledStartHandler(SaleStarter starter) {
        this.starter = starter;
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        Map<String, Object> detail = event.getDetail();
        if (detail == null || !(detail.get("saleId") instanceof Number saleId) || saleId.longValue() <= 0) {
            throw new IllegalArgumentException("the event detail must name a positive saleId: " + detail);
        }
        SalePhase phase = SalePhase.valueOf(String.valueOf(detail.getOrDefault("phase", "OPEN")));
        return starter.handle(saleId.longValue(), phase);
    }

    public String handleTask(SchedulerTask task) {
        return switch (task) {
            case SchedulerTask.ArmUpcoming arm -> starter.armUpcoming(arm.lookaheadMinutes());
            case SchedulerTask.ScaleIn scaleIn -> starter.scaleIn(scaleIn.lookaheadMinutes());
        };
    }
}
