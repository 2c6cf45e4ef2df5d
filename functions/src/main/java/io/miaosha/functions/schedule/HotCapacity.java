package io.miaosha.functions.schedule;

/** The size of the hot target group's Auto Scaling group: the one AWS resource the scheduled start changes. */
public interface HotCapacity {

    /**
     * Raises the group's minimum to {@code instances}; a group running fewer grows to it, a group its
     * scaling policies have already grown further keeps its size. Runs every minute while a sale is
     * on, so it must never pull a busy group down.
     */
    void ensureAtLeast(int instances);

    /** Sets the group's minimum and desired size to {@code instances} (the maximum is left alone). */
    void scaleTo(int instances);
}
