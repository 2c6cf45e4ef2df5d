package io.miaosha.functions.schedule;

/** The size of the hot target group's Auto Scaling group: the one AWS call the scheduled start makes. */
public interface HotCapacity {

    /** Sets the group's minimum and desired size to {@code instances} (the maximum is left alone). */
    void scaleTo(int instances);
}
