package io.miaosha.gateway.live;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The live feed's frames of a seated sale's map (encoded by Jackson, hence registered for a native build). */
final class SeatFrames {

    private SeatFrames() {
    }

    /** The whole map: one character per seat position ('0' free, '1' held, '2' sold), as of change {@code changeId}. */
    @RegisterForReflection
    record Seats(String type, String states, String changeId) {
        Seats(String states, String changeId) {
            this("seats", states, changeId);
        }
    }

    /** These seats took this state. */
    @RegisterForReflection
    record Change(int state, List<Integer> seats) {
    }

    /** The changes after the viewer's last {@code changeId}, oldest first, up to this {@code changeId}. */
    @RegisterForReflection
    record SeatChanges(String type, List<Change> changes, String changeId) {
        SeatChanges(List<Change> changes, String changeId) {
            this("seat-changes", changes, changeId);
        }
    }
}
