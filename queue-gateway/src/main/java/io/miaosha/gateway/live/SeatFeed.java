package io.miaosha.gateway.live;

import io.miaosha.common.sale.SeatMapScript;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The seat map of one seated sale as this instance's viewers of it were told it: the id of the last
 * seat change sent to all of them, and who they are. A viewer joins with its own snapshot and from then
 * on gets the shared frames; each frame is encoded once for all of them.
 *
 * <p>Joining and telling are one lock apart, so no viewer misses a change: a snapshot older than the
 * last change told is refused (read again), and a newer one joins and gets at worst changes its
 * snapshot already holds, named by their {@code changeId} (a page skips a frame whose id is not after
 * its own).
 */
final class SeatFeed {

    private final Set<ServerWebSocket> viewers = ConcurrentHashMap.newKeySet();
    /** One read of the sale's seat changes at a time, however slow Redis is. */
    final AtomicBoolean reading = new AtomicBoolean();
    /** The last change every viewer here was told; null until the first viewer's snapshot. */
    private String changeId;
    /** The last snapshot frame sent, reused for viewers whose snapshot is of the same change. */
    private String snapshotId;
    private String snapshotFrame;
    private long encoded;

    /**
     * Sends the viewer its snapshot and makes it one of the viewers, unless the snapshot predates a
     * change the others were told already (false: the caller reads a newer one).
     */
    synchronized boolean join(ServerWebSocket viewer, SeatMapScript.Snapshot snapshot) {
        if (changeId != null && ChangeIds.compare(snapshot.lastChangeId(), changeId) < 0) {
            return false;
        }
        if (changeId == null) {
            changeId = snapshot.lastChangeId();
        }
        viewer.writeTextMessage(snapshotFrame(snapshot));
        viewers.add(viewer);
        return true;
    }

    void remove(ServerWebSocket viewer) {
        viewers.remove(viewer);
    }

    boolean isEmpty() {
        return viewers.isEmpty();
    }

    /** Where the next read continues; null before the first snapshot. */
    synchronized String changeId() {
        return changeId;
    }

    /** The changes read after {@code after}, as one frame to every viewer. */
    synchronized void tell(String after, List<SeatChangesScript.Change> changes) {
        if (changes.isEmpty() || !after.equals(changeId)) {
            return;
        }
        List<SeatFrames.Change> told = new ArrayList<>(changes.size());
        for (SeatChangesScript.Change change : changes) {
            told.add(new SeatFrames.Change(change.state(), change.seats()));
        }
        changeId = changes.getLast().id();
        String frame = Json.encode(new SeatFrames.SeatChanges(told, changeId));
        encoded++;
        send(frame);
    }

    /** The reader fell behind the stream: every viewer gets the whole map again. */
    synchronized void reload(SeatMapScript.Snapshot snapshot) {
        changeId = snapshot.lastChangeId();
        String frame = snapshotFrame(snapshot);
        encoded++;
        send(frame);
    }

    private void send(String frame) {
        for (ServerWebSocket viewer : viewers) {
            if (!viewer.isClosed()) {
                viewer.writeTextMessage(frame);
            }
        }
    }

    private String snapshotFrame(SeatMapScript.Snapshot snapshot) {
        // The states change only with an entry of the stream (in the same script), so one id is one map.
        if (!snapshot.lastChangeId().equals(snapshotId)) {
            snapshotFrame = Json.encode(new SeatFrames.Seats(snapshot.states(), snapshot.lastChangeId()));
            snapshotId = snapshot.lastChangeId();
        }
        return snapshotFrame;
    }

    /** How many frames this feed encoded for all its viewers at once (changes and reloads; not the snapshots on joining). */
    synchronized long encoded() {
        return encoded;
    }

    int size() {
        return viewers.size();
    }
}
