package io.miaosha.testsupport.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one checker of the chaos suite: after a storm, a fault and the recovery, it holds what the
 * shoppers were told ({@link ShopperRecord}s) against MySQL (the orders and their status history)
 * and Redis (the sale's stock, holds and per-user units), and names every broken invariant with its
 * numbers:
 * <ul>
 * <li>units: sold + held = stock − left, in MySQL and in Redis (holds and per-user units), never
 * more than the stock anywhere (oversold);</li>
 * <li>nobody above the per-user limit (MySQL rows held or paid, Redis per-user units);</li>
 * <li>every 202 exactly one order row, of that shopper, with the right final status: PAID when its
 * payment answered 200, EXPIRED when it was never paid, never PAID after a refused payment;</li>
 * <li>every hold paid or expired, never both (status history, Redis against MySQL), never neither
 * once its pay-by time has passed (the checker waits up to a bound for that);</li>
 * <li>a replayed purchase or payment answered the first result (same order, same payment).</li>
 * </ul>
 *
 * <p>From JUnit: {@code new InvariantChecker(target).awaitSettled(records, Duration.ofSeconds(60))}
 * and assert {@code verdict.passed()} (print {@code verdict.report()}); {@link #check} looks once.
 * From a script (test-support's classpath from stack.sh's {@code test_support_classpath}):
 * <pre>
 * java -cp "$(test_support_classpath)" io.miaosha.testsupport.chaos.InvariantChecker \
 *   --jdbc jdbc:mariadb://127.0.0.1:PORT/miaosha --db-user miaosha --db-password miaosha \
 *   --redis 127.0.0.1:PORT[/DB] --sale ID --stock N --limit N --record FILE [--bound SECONDS] [--once]
 * </pre>
 * It prints each violation, then one summary line ("chaos-check sale=.. acknowledged=.. persisted=..
 * lost=.. oversold=.. paid=.. expired=.. ..."), and exits 1 on any violation. Redis is read with
 * {@code redis-cli -c}, so one node of a cluster or a standalone server both do.
 */
public final class InvariantChecker {

    /** Where the sale lives and what it was: stock and per-user limit as the sale was created. */
    public record Target(String jdbcUrl, String dbUser, String dbPassword, String redisHost, int redisPort,
            String redisDb, long saleId, int stock, int limit) {
    }

    /** The figures of one look, for the summary line and RELIABILITY.md's table. */
    public record Figures(int acknowledged, int persisted, int lost, int oversold, int paid, int expired,
            int pending, int unacknowledged, int replays, long left) {
    }

    /** One look's violations (empty: every invariant holds) and figures. */
    public record Verdict(long saleId, List<String> violations, Figures figures) {

        public boolean passed() {
            return violations.isEmpty();
        }

        public String summary() {
            Figures f = figures;
            return "chaos-check sale=" + saleId + " acknowledged=" + f.acknowledged() + " persisted=" + f.persisted()
                    + " lost=" + f.lost() + " oversold=" + f.oversold() + " paid=" + f.paid() + " expired=" + f.expired()
                    + " pending=" + f.pending() + " unacknowledged=" + f.unacknowledged() + " replays=" + f.replays()
                    + " left=" + f.left() + " violations=" + violations.size();
        }

        /** Each violation on a line, then the summary. */
        public String report() {
            StringBuilder out = new StringBuilder();
            violations.forEach(v -> out.append("VIOLATION ").append(v).append('\n'));
            return out.append(summary()).toString();
        }
    }

    private record Row(long userId, int quantity, String status, long payByMs) {
        boolean live() {
            return "PENDING_PAYMENT".equals(status) || "PAID".equals(status);
        }
    }

    private record RedisHold(long userId, int quantity, long payByMs, String status) {
        boolean live() {
            return "PENDING".equals(status) || "PAID".equals(status);
        }

        /** The MySQL status this hold's state stands for. */
        String asOrderStatus() {
            return "PENDING".equals(status) ? "PENDING_PAYMENT" : status;
        }
    }

    private record Snapshot(Map<String, Row> rows, Map<String, Set<String>> history, Long left,
            Map<String, RedisHold> holds, Map<Long, Integer> userUnits, List<String> unreachable) {
    }

    private static final Duration POLL = Duration.ofSeconds(2);
    private static final int SHOWN = 5;

    private final Target target;

    public InvariantChecker(Target target) {
        this.target = target;
    }

    /**
     * Looks until every invariant holds and no hold is pending any more, or until the latest pay-by
     * time (of the record and of the sale's rows) plus the bound has passed: then the last look's
     * violations are final, and a hold still pending is one of them.
     */
    public Verdict awaitSettled(List<ShopperRecord> records, Duration bound) {
        return await(records, bound, true);
    }

    /** Like {@link #awaitSettled} but holds not yet due may still be pending when it passes. */
    public Verdict awaitConsistent(List<ShopperRecord> records, Duration bound) {
        return await(records, bound, false);
    }

    private Verdict await(List<ShopperRecord> records, Duration bound, boolean settled) {
        long latestPayBy = records.stream().mapToLong(ShopperRecord::payByMs).max().orElse(0);
        long deadline = Math.max(System.currentTimeMillis(), latestPayBy) + bound.toMillis();
        while (true) {
            Snapshot snapshot = snapshot();
            long rowsPayBy = snapshot.rows().values().stream().mapToLong(Row::payByMs).max().orElse(0);
            if (settled && rowsPayBy > latestPayBy) {
                latestPayBy = rowsPayBy;
                deadline = Math.max(deadline, latestPayBy + bound.toMillis());
            }
            long now = System.currentTimeMillis();
            Verdict verdict = judge(records, snapshot, now);
            if (verdict.passed() && (!settled || verdict.figures().pending() == 0) || now >= deadline) {
                return verdict;
            }
            sleep(POLL);
        }
    }

    /** One look now: every violation as it stands (a pending hold is one only once its pay-by passed). */
    public Verdict check(List<ShopperRecord> records) {
        return judge(records, snapshot(), System.currentTimeMillis());
    }

    private Verdict judge(List<ShopperRecord> records, Snapshot s, long now) {
        List<String> violations = new ArrayList<>(s.unreachable());
        int stock = target.stock();

        // --- what the shoppers were told
        Map<String, ShopperRecord> acknowledged = new LinkedHashMap<>();
        Map<String, ShopperRecord> firstPurchase = new HashMap<>();
        Map<String, ShopperRecord> paidAnswers = new HashMap<>();
        Map<String, ShopperRecord> payAnswers = new HashMap<>();
        int unanswered = 0;
        List<String> duplicates = new ArrayList<>();
        for (ShopperRecord r : records) {
            switch (r.kind()) {
                case PURCHASE -> {
                    firstPurchase.put(r.userId() + "/" + r.key(), r);
                    if (r.answered(ShopperRecord.NONE) || r.status().startsWith("5")) {
                        // no answer, or "not promised" (503): the order may exist or not
                        unanswered++;
                    } else if (r.answered("202")) {
                        if (!r.hasOrder()) {
                            violations.add("a 202 to user " + r.userId() + " (key " + r.key() + ") carried no order id");
                        } else if (acknowledged.putIfAbsent(r.orderId(), r) != null) {
                            duplicates.add(r.orderId());
                        }
                    }
                }
                case PAY -> {
                    if (r.answered("200")) {
                        paidAnswers.put(r.orderId(), r);
                    }
                    payAnswers.put(r.orderId(), r);
                }
                default -> {
                }
            }
        }
        if (!duplicates.isEmpty()) {
            violations.add(duplicates.size() + " order ids answered to two different purchases: " + first(duplicates));
        }

        // --- idempotent replays answer the first result
        int replays = 0;
        List<String> badReplays = new ArrayList<>();
        for (ShopperRecord r : records) {
            if (r.kind() == ShopperRecord.Kind.REPLAY && !r.answered(ShopperRecord.NONE)) {
                ShopperRecord original = firstPurchase.get(r.userId() + "/" + r.key());
                if (original == null || !original.answered("202")) {
                    continue;
                }
                replays++;
                if (!r.answered("202") || !original.orderId().equals(r.orderId())) {
                    badReplays.add("purchase key " + r.key() + " first 202 " + original.orderId() + ", replay " + r.status() + " " + r.orderId());
                    if (r.answered("202") && r.hasOrder()) {
                        acknowledged.putIfAbsent(r.orderId(), r);
                    }
                }
            } else if (r.kind() == ShopperRecord.Kind.PAY_REPLAY && !r.answered(ShopperRecord.NONE)) {
                ShopperRecord original = paidAnswers.get(r.orderId());
                if (original == null || !original.key().equals(r.key())) {
                    continue;
                }
                replays++;
                if (!r.answered("200") || !original.detail().equals(r.detail())) {
                    badReplays.add("payment key " + r.key() + " of " + r.orderId() + " first 200 " + original.detail()
                            + ", replay " + r.status() + " " + r.detail());
                }
            }
        }
        if (!badReplays.isEmpty()) {
            violations.add(badReplays.size() + " idempotent replays did not answer the first result: " + first(badReplays));
        }

        // --- every 202 exactly one row of that shopper with the right final status
        int persisted = 0;
        List<String> lost = new ArrayList<>();
        List<String> wrongOwner = new ArrayList<>();
        List<String> notPaid = new ArrayList<>();
        List<String> paidUntold = new ArrayList<>();
        List<String> unsettled = new ArrayList<>();
        List<String> both = new ArrayList<>();
        for (Map.Entry<String, ShopperRecord> ack : acknowledged.entrySet()) {
            String id = ack.getKey();
            Row row = s.rows().get(id);
            if (row == null) {
                lost.add(id);
                continue;
            }
            persisted++;
            if (row.userId() != ack.getValue().userId()) {
                wrongOwner.add(id + " (told user " + ack.getValue().userId() + ", row of " + row.userId() + ")");
            }
            ShopperRecord pay = payAnswers.get(id);
            boolean toldPaid = paidAnswers.containsKey(id);
            boolean payUnknown = pay != null && (pay.answered(ShopperRecord.NONE) || pay.status().startsWith("5"));
            if (toldPaid && !"PAID".equals(row.status())) {
                if (!"PENDING_PAYMENT".equals(row.status()) || now >= row.payByMs()) {
                    notPaid.add(id + " (" + row.status() + ")");
                }
            } else if (!toldPaid && !payUnknown && "PAID".equals(row.status())) {
                paidUntold.add(id + (pay == null ? " (never paid)" : " (payment answered " + pay.status() + ")"));
            }
        }
        for (Map.Entry<String, Row> row : s.rows().entrySet()) {
            Set<String> statuses = s.history().getOrDefault(row.getKey(), Set.of());
            RedisHold hold = s.holds().get(row.getKey());
            if (statuses.contains("PAID") && statuses.contains("EXPIRED")) {
                both.add(row.getKey() + " (history PAID and EXPIRED)");
            } else if (hold != null && !"PENDING".equals(hold.status()) && !"PENDING_PAYMENT".equals(row.getValue().status())
                    && !hold.asOrderStatus().equals(row.getValue().status())) {
                both.add(row.getKey() + " (Redis " + hold.status() + ", MySQL " + row.getValue().status() + ")");
            }
            if (now >= row.getValue().payByMs() && ("PENDING_PAYMENT".equals(row.getValue().status())
                    || hold != null && "PENDING".equals(hold.status()))) {
                unsettled.add(row.getKey() + " (MySQL " + row.getValue().status() + (hold == null ? "" : ", Redis " + hold.status())
                        + ", due " + (now - row.getValue().payByMs()) / 1000 + " s ago)");
            }
        }
        for (Map.Entry<String, RedisHold> hold : s.holds().entrySet()) {
            if (!s.rows().containsKey(hold.getKey()) && "PENDING".equals(hold.getValue().status()) && now >= hold.getValue().payByMs()) {
                unsettled.add(hold.getKey() + " (Redis PENDING, no row, due " + (now - hold.getValue().payByMs()) / 1000 + " s ago)");
            }
        }
        report(violations, lost, "acknowledged orders have no row in MySQL (lost)");
        report(violations, wrongOwner, "order rows belong to another shopper than the one told");
        report(violations, notPaid, "orders answered PAID are not PAID in MySQL");
        report(violations, paidUntold, "orders are PAID in MySQL though their shopper was never told so");
        report(violations, both, "holds are both paid and expired");
        report(violations, unsettled, "holds are neither paid nor expired after their pay-by time");

        // --- rows and holds nobody was told of: at most the purchases that never got an answer
        Set<String> untold = new HashSet<>();
        s.rows().keySet().stream().filter(id -> !acknowledged.containsKey(id)).forEach(untold::add);
        s.holds().keySet().stream().filter(id -> !acknowledged.containsKey(id)).forEach(untold::add);
        if (untold.size() > unanswered) {
            violations.add(untold.size() + " orders (rows or holds) that no shopper was told of, more than the " + unanswered
                    + " purchases left unanswered: " + first(new ArrayList<>(untold)));
        }

        // --- units: sold + held = stock - left, in both stores, never above the stock
        int mysqlPaid = 0;
        int mysqlHeld = 0;
        int paid = 0;
        int expired = 0;
        int pending = 0;
        for (Row row : s.rows().values()) {
            switch (row.status()) {
                case "PAID" -> {
                    paid++;
                    mysqlPaid += row.quantity();
                }
                case "PENDING_PAYMENT" -> {
                    pending++;
                    mysqlHeld += row.quantity();
                }
                case "EXPIRED" -> expired++;
                default -> {
                }
            }
        }
        int redisLive = s.holds().values().stream().filter(RedisHold::live).mapToInt(RedisHold::quantity).sum();
        pending = Math.max(pending, (int) s.holds().values().stream().filter(h -> "PENDING".equals(h.status())).count());
        int redisUsers = s.userUnits().values().stream().mapToInt(Integer::intValue).sum();
        Set<String> liveAnywhere = new HashSet<>();
        s.rows().forEach((id, row) -> {
            if (row.live()) {
                liveAnywhere.add(id);
            }
        });
        s.holds().forEach((id, hold) -> {
            if (hold.live()) {
                liveAnywhere.add(id);
            }
        });
        int unitsAnywhere = liveAnywhere.stream().mapToInt(id -> s.rows().containsKey(id) ? s.rows().get(id).quantity()
                : s.holds().get(id).quantity()).sum();
        long left = s.left() == null ? -1 : s.left();
        int oversold = Math.max(0, unitsAnywhere - stock);
        if (s.left() == null) {
            violations.add("Redis has no stock for sale " + target.saleId() + " (its hot state is gone)");
        } else {
            if (left < 0) {
                oversold = Math.max(oversold, (int) -left);
            }
            long expected = stock - left;
            if (mysqlPaid + mysqlHeld != expected) {
                violations.add("units in MySQL: sold " + mysqlPaid + " + held " + mysqlHeld + " = " + (mysqlPaid + mysqlHeld)
                        + ", but stock " + stock + " - left " + left + " = " + expected);
            }
            if (redisLive != expected) {
                violations.add("units in Redis holds (pending or paid): " + redisLive + ", but stock " + stock + " - left "
                        + left + " = " + expected);
            }
            if (redisUsers != expected) {
                violations.add("units in Redis per user: " + redisUsers + ", but stock " + stock + " - left " + left + " = " + expected);
            }
        }
        if (oversold > 0) {
            violations.add("oversold by " + oversold + ": " + unitsAnywhere + " units held or paid (MySQL or Redis) of a stock of "
                    + stock + ", Redis left " + left);
        }

        // --- nobody above the per-user limit
        Map<Long, Integer> perUser = new HashMap<>();
        s.rows().values().stream().filter(Row::live).forEach(row -> perUser.merge(row.userId(), row.quantity(), Integer::sum));
        List<String> aboveLimit = new ArrayList<>();
        perUser.forEach((user, units) -> {
            if (units > target.limit()) {
                aboveLimit.add("user " + user + " has " + units + " units in MySQL");
            }
        });
        s.userUnits().forEach((user, units) -> {
            if (units > target.limit()) {
                aboveLimit.add("user " + user + " has " + units + " units in Redis");
            }
        });
        report(violations, aboveLimit, "shoppers above the limit of " + target.limit());

        Figures figures = new Figures(acknowledged.size(), persisted, lost.size(), oversold, paid, expired, pending,
                untold.size(), replays, left);
        return new Verdict(target.saleId(), List.copyOf(violations), figures);
    }

    private static void report(List<String> violations, List<String> found, String what) {
        if (!found.isEmpty()) {
            violations.add(found.size() + " " + what + ": " + first(found));
        }
    }

    private static String first(List<String> items) {
        return String.join(", ", items.subList(0, Math.min(SHOWN, items.size()))) + (items.size() > SHOWN ? ", ..." : "");
    }

    // --- reading the stores

    private Snapshot snapshot() {
        List<String> unreachable = new ArrayList<>();
        Map<String, Row> rows = new HashMap<>();
        Map<String, Set<String>> history = new HashMap<>();
        try (Connection db = DriverManager.getConnection(target.jdbcUrl(), target.dbUser(), target.dbPassword())) {
            try (PreparedStatement q = db.prepareStatement(
                    "SELECT id, user_id, quantity, status, pay_by FROM orders WHERE sale_id = ?")) {
                q.setLong(1, target.saleId());
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        // pay_by is a UTC DATETIME: read as text, not through the JVM's zone
                        long payBy = java.time.LocalDateTime.parse(r.getString(5).replace(' ', 'T'))
                                .toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
                        rows.put(r.getString(1), new Row(r.getLong(2), r.getInt(3), r.getString(4), payBy));
                    }
                }
            }
            try (PreparedStatement q = db.prepareStatement("SELECT h.order_id, h.status FROM order_status_history h"
                    + " JOIN orders o ON o.id = h.order_id WHERE o.sale_id = ?")) {
                q.setLong(1, target.saleId());
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        history.computeIfAbsent(r.getString(1), id -> new HashSet<>()).add(r.getString(2));
                    }
                }
            }
        } catch (SQLException e) {
            unreachable.add("MySQL could not be read: " + e.getMessage());
        }
        String tag = "{sale:" + target.saleId() + "}";
        Long left = null;
        Map<String, RedisHold> holds = new HashMap<>();
        Map<Long, Integer> userUnits = new HashMap<>();
        try {
            List<String> stock = redis("GET", tag + ":stock");
            left = stock.isEmpty() || stock.get(0).isEmpty() ? null : Long.parseLong(stock.get(0));
            List<String> pairs = redis("HGETALL", tag + ":holds");
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                String[] h = pairs.get(i + 1).split("\\|", -1);
                holds.put(pairs.get(i), new RedisHold(Long.parseLong(h[0]), Integer.parseInt(h[1]), Long.parseLong(h[2]), h[3]));
            }
            pairs = redis("HGETALL", tag + ":users");
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                userUnits.put(Long.parseLong(pairs.get(i)), Integer.parseInt(pairs.get(i + 1)));
            }
        } catch (IllegalStateException | NumberFormatException e) {
            unreachable.add("Redis could not be read: " + e.getMessage());
        }
        return new Snapshot(rows, history, left, holds, userUnits, unreachable);
    }

    /** One redis-cli -c command; its reply one element a line (raw: stdout is no terminal). */
    private List<String> redis(String... command) {
        List<String> full = new ArrayList<>(List.of("redis-cli", "-c", "-h", target.redisHost(), "-p", Integer.toString(target.redisPort())));
        if (target.redisDb() != null && !target.redisDb().isBlank()) {
            full.addAll(List.of("-n", target.redisDb()));
        }
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0 || out.startsWith("Could not connect") || out.startsWith("ERR") || out.startsWith("CLUSTERDOWN")) {
                throw new IllegalStateException("redis-cli " + String.join(" ", command) + ": " + out.trim());
            }
            List<String> lines = new ArrayList<>(out.lines().toList());
            return lines;
        } catch (IOException e) {
            throw new IllegalStateException("redis-cli is missing (apt-get install redis-tools)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // --- the script entry point

    public static void main(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if ("--once".equals(args[i])) {
                options.put("once", "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else {
                usage("unexpected argument " + args[i]);
            }
        }
        for (String required : List.of("jdbc", "db-user", "db-password", "redis", "sale", "stock", "limit", "record")) {
            if (!options.containsKey(required)) {
                usage("--" + required + " is missing");
            }
        }
        String redis = options.get("redis");
        String db = redis.contains("/") ? redis.substring(redis.indexOf('/') + 1) : null;
        String hostPort = redis.contains("/") ? redis.substring(0, redis.indexOf('/')) : redis;
        Target target = new Target(options.get("jdbc"), options.get("db-user"), options.get("db-password"),
                hostPort.substring(0, hostPort.lastIndexOf(':')), Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1)),
                db, Long.parseLong(options.get("sale")), Integer.parseInt(options.get("stock")), Integer.parseInt(options.get("limit")));
        List<ShopperRecord> records = ShopperRecord.read(Path.of(options.get("record")));
        InvariantChecker checker = new InvariantChecker(target);
        Verdict verdict = options.containsKey("once") ? checker.check(records)
                : checker.awaitSettled(records, Duration.ofSeconds(Long.parseLong(options.getOrDefault("bound", "60"))));
        System.out.println(verdict.report());
        System.exit(verdict.passed() ? 0 : 1);
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: InvariantChecker --jdbc URL --db-user U --db-password P --redis HOST:PORT[/DB]"
                + " --sale ID --stock N --limit N --record FILE [--bound SECONDS] [--once]");
        System.exit(2);
    }
}
