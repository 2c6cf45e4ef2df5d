package io.miaosha.common.secrets;

/**
 * A configuration property together with the environment variable that sets it in production, so
 * that a refusal can tell the operator exactly what to set.
 */
public record Setting(String property, String environmentVariable) {

    @Override
    public String toString() {
        return property + " (environment variable " + environmentVariable + ")";
    }
}
