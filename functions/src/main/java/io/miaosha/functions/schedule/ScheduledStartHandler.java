package io.miaosha.functions.schedule;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The scheduled-start Lambda: EventBridge Scheduler schedules run it with an input naming a task
 * ({@link SchedulerTask}); {@link io.miaosha.functions.LambdaRouter} hands it those inputs.
 */
@ApplicationScoped
public class ScheduledStartHandler {

    private final SaleStarter starter;

    public ScheduledStartHandler(SaleStarter starter) {
        this.starter = starter;
    }

    public String handleTask(SchedulerTask task) {
        return switch (task) {
            case SchedulerTask.ArmUpcoming arm -> starter.armUpcoming(arm.lookaheadMinutes());
            case SchedulerTask.ScaleIn scaleIn -> starter.scaleIn(scaleIn.lookaheadMinutes());
        };
    }
}
