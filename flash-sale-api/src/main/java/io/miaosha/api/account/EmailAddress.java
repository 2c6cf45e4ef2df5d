package io.miaosha.api.account;

import io.miaosha.api.problem.Problems;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A normalised email address: trimmed and lower-cased, so "Demo@Test.com " and "demo@test.com"
 * are one account. The pattern is deliberately simple (one @, a dotted domain, no spaces); the
 * confirmation email is the real proof of an address.
 */
public record EmailAddress(String value) {

    private static final Pattern SHAPE = Pattern.compile("^[^@\\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

    public EmailAddress {
        if (value == null || value.length() > 254 || !SHAPE.matcher(value).matches()) {
            throw new Problems.InvalidRequest("email is not a valid email address");
        }
    }

    public static EmailAddress normalise(String raw) {
        return new EmailAddress(raw == null ? null : raw.strip().toLowerCase(Locale.ROOT));
    }
}
