package io.miaosha.functions.schedule;

import io.quarkus.logging.Log;

/** The local run has no Auto Scaling group: it only says what it would do. */
public class LoggedHotCapacity implements HotCapacity {

    @Override
    public void ensureAtLeast(int instances) {
        Log.infof("scaling mode 'log': the hot group would now run at least %d instance(s)", instances);
    }

    @Override
    public void scaleTo(int instances) {
        Log.infof("scaling mode 'log': the hot group would now run %d instance(s)", instances);
    }
}
