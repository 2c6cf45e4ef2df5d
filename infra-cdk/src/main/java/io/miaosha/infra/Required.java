package io.miaosha.infra;

/** The check of the props records: every value a stack needs is given, or the synth stops naming it. */
public final class Required {

    private Required() {
    }

    /** Names and values in pairs, {@code ("network", network, "data", data)}; the first null value is named. */
    public static void values(Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] == null) {
                throw new NullPointerException(String.valueOf(namesAndValues[i]));
            }
        }
    }
}
