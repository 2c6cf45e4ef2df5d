package io.miaosha.api.testing.fuzz;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Malformed variants of one operation's valid request, derived from the operation as the OpenAPI
 * document describes it: every path, query and header parameter and every body field gets the
 * hostile values of its kind, one at a time, then seeded random combinations of them. A new
 * parameter or field is fuzzed as soon as it is in the document.
 */
public final class Mutations {

    /**
     * @param malformed whether no reading of the HTTP and JSON rules makes this request acceptable (a
     *                  body that is not one UTF-8 JSON object of the documented fields, a wrong content
     *                  type), so a 2xx to it is a finding even where the document cannot say why
     */
    public record Case(String what, Exchange exchange, boolean malformed) {
        Case(String what, Exchange exchange) {
            this(what, exchange, false);
        }
    }

    private static final String LONG = "a".repeat(3000);

    /** Values for an id in a path or query: signs, leading zeros, non-ASCII digits, overflow, junk. */
    private static final List<String> NUMBERS = List.of("0", "-1", "abc", "1.5", "+{v}", "0{v}", "٣", "１", "{v} ", " {v}",
            "2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "99999999999999999999",
            "1e3", "0x10", "null", "' OR '1'='1", "%", "{v}\u0000", "\u202E{v}", "9".repeat(1000), "");

    private static final List<String> TEXTS = List.of("", " ", "é", "😀", "\u202Eabc", "\u200B", "\u0000", "../../etc/passwd",
            "<script>alert(1)</script>", LONG, "null");

    /** Header values a client can put on the wire (no CR/LF; latin-1 only, as HTTP/1.1 allows). */
    private static final List<String> HEADER_VALUES = List.of("", " ", "\t", "é", "a".repeat(4000), "null", "{}", "Bearer",
            "' OR '1'='1");

    private static final List<String> JSON_INTEGERS = List.of("0", "-1", "2147483648", "-2147483649", "9223372036854775807",
            "9223372036854775808", "-9223372036854775809", "1e400", "-1e400", "1.5", "-0", "1E2", "\"1\"", "true", "null",
            "[]", "{}", "\"\"", "[1]");

    private static final List<String> JSON_STRINGS = List.of("\"\"", "\" \"", "\"\\u0000\"", "\"😀\"", "\"\\u202Eabc\"",
            "\"\\ud800\"", "\"\\u200B\"", "\"" + "a".repeat(10_000) + "\"", "\"é\\r\\n\"", "42", "true", "null", "[]", "{}",
            "[\"x\"]");

    private static final List<String> JSON_DATES = List.of("\"-0001-01-01T00:00:00Z\"", "\"+275760-09-13T00:00:00Z\"",
            "\"-1000000000-01-01T00:00:00Z\"", "\"0000-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59.999999999Z\"",
            "\"+10000-01-01T00:00:00Z\"", "\"1970-01-01T00:00:00Z\"", "\"1000-01-01T00:00:00Z\"", "\"2026-02-30T10:00:00Z\"",
            "\"2031-01-01T25:00:00Z\"", "\"2031-01-01T10:00:00\"", "\"2031-01-01\"", "\"2031-01-01T10:00:00+14:00\"",
            "1700000000", "\"\"", "null", "\"tomorrow\"");

    private static final List<String> JSON_BOOLEANS = List.of("\"true\"", "1", "0", "null", "[]", "{}", "\"yes\"");

    private static final List<String> DEEP = List.of("[".repeat(5000) + "]".repeat(5000),
            "{\"a\":".repeat(2000) + "1" + "}".repeat(2000));

    private Mutations() {
    }

    /**
     * @param authorizations Authorization header values to try, by description (forged, expired, junk tokens)
     * @param randomCases    how many seeded combinations of two or three mutations to add
     */
    public static List<Case> of(OpenAPI api, Operation operation, Exchange valid, Map<String, String> authorizations,
            SplittableRandom random, int randomCases) {
        List<Case> single = new ArrayList<>();
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        for (Parameter parameter : parameters) {
            String name = parameter.getName();
            switch (parameter.getIn()) {
                case "path" -> values(parameter, valid.pathValues.get(name)).forEach(value ->
                        single.add(edit(valid, "path " + name + "=" + show(value), e -> e.pathValues.put(name, value))));
                case "query" -> {
                    String current = queryValue(valid, name);
                    values(parameter, current == null ? "1" : current).forEach(value -> single.add(edit(valid,
                            "query " + name + "=" + show(value), e -> setQuery(e, name, value))));
                    single.add(edit(valid, "query " + name + " twice", e -> {
                        e.query.add(Map.entry(name, "1"));
                        e.query.add(Map.entry(name, "2"));
                    }));
                }
                case "header" -> headerCases(valid, name, single);
                default -> { }
            }
        }
        headerCases(valid, "Accept", single);
        authorizations.forEach((what, value) -> single.add(edit(valid, "Authorization " + what,
                e -> e.headers.put("Authorization", value))));
        single.add(edit(valid, "no Authorization", e -> e.headers.remove("Authorization")));
        if (valid.fields != null) {
            bodyCases(api, operation, valid, single);
        }
        // Seeded shuffle: when the time budget cuts an operation short, what ran still covers all its inputs.
        List<Case> cases = new ArrayList<>(single);
        for (int i = cases.size() - 1; i > 0; i--) {
            java.util.Collections.swap(cases, i, random.nextInt(i + 1));
        }
        for (int i = 0; i < randomCases && !single.isEmpty(); i++) {
            cases.add(combination(single, valid, random));
        }
        return cases;
    }

    private static void headerCases(Exchange valid, String name, List<Case> cases) {
        for (String value : HEADER_VALUES) {
            cases.add(edit(valid, "header " + name + "=" + show(value), e -> e.headers.put(name, value)));
        }
        cases.add(edit(valid, "no header " + name, e -> e.headers.remove(name)));
    }

    private static void bodyCases(OpenAPI api, Operation operation, Exchange valid, List<Case> cases) {
        byte[] body = valid.body();
        String json = new String(body, StandardCharsets.UTF_8);
        for (String whole : List.of("", "null", "[]", "{}", "\"x\"", "123", "{", "{}{}", json + ",", json + "x", "[" + json + "]",
                DEEP.get(0), DEEP.get(1))) {
            cases.add(malformed(valid, "body " + show(whole), e -> e.rawBody = whole.getBytes(StandardCharsets.UTF_8)));
        }
        cases.add(malformed(valid, "body with a byte-order mark", e -> e.rawBody = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, body)));
        cases.add(malformed(valid, "body in UTF-16", e -> e.rawBody = json.getBytes(StandardCharsets.UTF_16)));
        cases.add(malformed(valid, "body in UTF-16LE declared", e -> {
            e.rawBody = json.getBytes(StandardCharsets.UTF_16LE);
            e.contentType = "application/json; charset=UTF-16LE";
        }));
        cases.add(malformed(valid, "body with invalid UTF-8", e -> e.rawBody = concat(
                json.substring(0, json.length() - 1).getBytes(StandardCharsets.UTF_8),
                new byte[] {',', '"', 'x', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'})));
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "application/octet-stream")) {
            cases.add(malformed(valid, "Content-Type " + type, e -> e.contentType = type));
        }
        // JSON has no charset parameter (RFC 8259): a UTF-8 body labelled otherwise may be read as UTF-8.
        cases.add(edit(valid, "Content-Type application/json; charset=klingon", e -> e.contentType = "application/json; charset=klingon"));
        cases.add(malformed(valid, "no Content-Type", e -> e.contentType = null));
        cases.add(malformed(valid, "unknown field", e -> e.fields.put("isAdmin", "true")));

        Schema<?> schema = bodySchema(api, operation);
        List<String> required = schema == null || schema.getRequired() == null ? List.of() : schema.getRequired();
        for (Map.Entry<String, String> field : valid.fields.entrySet()) {
            String name = field.getKey();
            if (required.contains(name)) {
                cases.add(malformed(valid, "missing " + name, e -> e.fields.remove(name)));
            }
            cases.add(malformed(valid, "duplicate " + name, e -> e.rawBody = (Exchange.json(e.fields).replaceFirst("}$", "")
                    + ",\"" + name + "\":" + field.getValue() + "}").getBytes(StandardCharsets.UTF_8)));
            Schema<?> property = schema == null || schema.getProperties() == null ? null : resolve(api, schema.getProperties().get(name));
            for (String value : kindOf(property)) {
                cases.add(edit(valid, name + "=" + show(value), e -> e.fields.put(name, value)));
            }
            for (String value : DEEP) {
                cases.add(malformed(valid, name + "=" + show(value), e -> e.fields.put(name, value)));
            }
        }
    }

    private static List<String> kindOf(Schema<?> property) {
        String type = property == null ? null : property.getType();
        if ("integer".equals(type) || "number".equals(type)) {
            return JSON_INTEGERS;
        }
        if ("boolean".equals(type)) {
            return JSON_BOOLEANS;
        }
        if ("string".equals(type) && "date-time".equals(property.getFormat())) {
            return JSON_DATES;
        }
        return JSON_STRINGS;
    }

    private static List<String> values(Parameter parameter, String valid) {
        Schema<?> schema = parameter.getSchema();
        boolean number = schema != null && ("integer".equals(schema.getType()) || "number".equals(schema.getType()));
        List<String> values = new ArrayList<>();
        for (String value : number ? NUMBERS : TEXTS) {
            values.add(value.replace("{v}", valid == null ? "1" : valid));
        }
        if (!number) {
            values.add(valid == null ? "x" : valid.toUpperCase());
            values.add(valid == null ? "x" : valid + "/");
        }
        return values;
    }

    private static Case combination(List<Case> single, Exchange valid, SplittableRandom random) {
        int count = 2 + random.nextInt(2);
        Exchange combined = valid.copy();
        List<String> what = new ArrayList<>();
        boolean malformed = false;
        for (int i = 0; i < count; i++) {
            Case pick = single.get(random.nextInt(single.size()));
            merge(combined, pick.exchange(), valid);
            what.add(pick.what());
            malformed |= pick.malformed();
        }
        if (combined.fields != null && !combined.fields.isEmpty() && combined.rawBody == null && random.nextBoolean()) {
            String name = new ArrayList<>(combined.fields.keySet()).get(random.nextInt(combined.fields.size()));
            String noise = randomText(random);
            combined.fields.put(name, quote(noise));
            what.add(name + "=random " + show(noise));
        }
        return new Case(String.join(" + ", what), combined, malformed);
    }

    /** Applies what {@code change} changed relative to {@code valid} onto {@code target}. */
    private static void merge(Exchange target, Exchange change, Exchange valid) {
        change.pathValues.forEach((name, value) -> {
            if (!value.equals(valid.pathValues.get(name))) {
                target.pathValues.put(name, value);
            }
        });
        if (!change.query.equals(valid.query)) {
            target.query.clear();
            target.query.addAll(change.query);
        }
        if (!change.headers.equals(valid.headers)) {
            valid.headers.keySet().stream().filter(name -> !change.headers.containsKey(name)).toList().forEach(target.headers::remove);
            change.headers.forEach((name, value) -> {
                if (!value.equals(valid.headers.get(name))) {
                    target.headers.put(name, value);
                }
            });
        }
        if (change.rawBody != null) {
            target.rawBody = change.rawBody;
        } else if (change.fields != null && target.fields != null && !change.fields.equals(valid.fields)) {
            valid.fields.keySet().stream().filter(name -> !change.fields.containsKey(name)).toList().forEach(target.fields::remove);
            change.fields.forEach((name, value) -> {
                if (!value.equals(valid.fields.get(name))) {
                    target.fields.put(name, value);
                }
            });
        }
        if (change.contentType == null ? valid.contentType != null : !change.contentType.equals(valid.contentType)) {
            target.contentType = change.contentType;
        }
    }

    /** Up to 40 code points from anywhere in Unicode, controls and unpaired surrogates excluded (JSON cannot carry them raw). */
    static String randomText(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(41);
        while (text.codePointCount(0, text.length()) < length) {
            int codePoint = switch (random.nextInt(4)) {
                case 0 -> 0x20 + random.nextInt(0x5F);
                case 1 -> 0xA0 + random.nextInt(0x2000);
                case 2 -> 0x1F300 + random.nextInt(0x300);
                default -> random.nextInt(0x110000);
            };
            if (Character.isValidCodePoint(codePoint) && !Character.isISOControl(codePoint)
                    && Character.getType(codePoint) != Character.SURROGATE) {
                text.appendCodePoint(codePoint);
            }
        }
        return text.toString();
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static Schema<?> bodySchema(OpenAPI api, Operation operation) {
        if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null
                || operation.getRequestBody().getContent().get("application/json") == null) {
            return null;
        }
        return resolve(api, operation.getRequestBody().getContent().get("application/json").getSchema());
    }

    static Schema<?> resolve(OpenAPI api, Schema<?> schema) {
        if (schema != null && schema.get$ref() != null) {
            return api.getComponents().getSchemas().get(schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1));
        }
        return schema;
    }

    private static String queryValue(Exchange exchange, String name) {
        return exchange.query.stream().filter(pair -> pair.getKey().equals(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static void setQuery(Exchange exchange, String name, String value) {
        exchange.query.removeIf(pair -> pair.getKey().equals(name));
        exchange.query.add(Map.entry(name, value));
    }

    private interface Edit {
        void apply(Exchange exchange);
    }

    private static Case edit(Exchange valid, String what, Edit edit) {
        Exchange copy = valid.copy();
        edit.apply(copy);
        return new Case(what, copy);
    }

    private static Case malformed(Exchange valid, String what, Edit edit) {
        Case changed = edit(valid, what, edit);
        return new Case(what, changed.exchange(), true);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** A value as a report shows it: short, escaped, so a failure can be read and replayed. */
    static String show(String value) {
        String escaped = value.codePoints().limit(40).collect(StringBuilder::new, (out, cp) -> {
            if (cp < 0x20 || cp == 0x7F || (cp >= 0x200B && cp <= 0x202E)) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        }, StringBuilder::append).toString();
        return "[" + escaped + (value.codePointCount(0, value.length()) > 40 ? "…(" + value.length() + " chars)" : "") + "]";
    }
}
