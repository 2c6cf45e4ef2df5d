package io.miaosha.functions.schedule;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an EventBridge Scheduler schedule asks for; its input is the JSON the CDK's ServerlessStack
 * sets: {@code {"task":"arm-upcoming","lookaheadMinutes":15}} every minute, {@code {"task":"scale-in"}}
 * every quarter hour.
 */
public sealed interface SchedulerTask {

    /** The arming schedule's lookahead, used by scale-in too: the hot group stays up for what arming would arm. */
    int DEFAULT_LOOKAHEAD_MINUTES = 15;

    /** The API accepts no more (a day). */
    int MAX_LOOKAHEAD_MINUTES = 1440;

    int lookaheadMinutes();

    /** Arm the sales that are live or open within the lookahead, with the hot group scaled up first. */
    record ArmUpcoming(int lookaheadMinutes) implements SchedulerTask {
        public ArmUpcoming {
            checkLookahead(lookaheadMinutes);
        }
    }

    /** Let the hot group shrink to its idle size when no sale is live or opens within the lookahead. */
    record ScaleIn(int lookaheadMinutes) implements SchedulerTask {
        public ScaleIn {
            checkLookahead(lookaheadMinutes);
        }
    }

    /** Reads a schedule's input; anything else is refused with what was wrong, so a bad schedule fails loudly. */
    static SchedulerTask parse(JsonNode input) {
        JsonNode task = input.path("task");
        if (!task.isTextual()) {
            throw new IllegalArgumentException("the schedule input must name a task (\"arm-upcoming\" or \"scale-in\"): " + input);
        }
        int lookahead = lookahead(input.get("lookaheadMinutes"));
        return switch (task.asText()) {
            case "arm-upcoming" -> new ArmUpcoming(lookahead);
            case "scale-in" -> new ScaleIn(lookahead);
            default -> throw new IllegalArgumentException(
                    "unknown task \"" + task.asText() + "\"; expected \"arm-upcoming\" or \"scale-in\"");
        };
    }

    private static int lookahead(JsonNode value) {
        if (value == null || value.isNull()) {
            return DEFAULT_LOOKAHEAD_MINUTES;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException("lookaheadMinutes must be a whole number of minutes, not " + value);
        }
        return value.intValue();
    }

    private static void checkLookahead(int minutes) {
        if (minutes < 1 || minutes > MAX_LOOKAHEAD_MINUTES) {
            throw new IllegalArgumentException(
                    "lookaheadMinutes must be from 1 to " + MAX_LOOKAHEAD_MINUTES + ", not " + minutes);
        }
    }
}
