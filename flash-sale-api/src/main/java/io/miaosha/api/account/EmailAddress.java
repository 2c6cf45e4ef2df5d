package io.miaosha.api.account;

import io.miaosha.api.problem.Problems;
import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A normalised email address, the unique key of an account: one visible address is one account.
 * Normalising is NFKC (full-width and compatibility forms become plain letters), trimming and
 * lower-casing (mail providers treat the local part case-insensitively too, and "Demo@" and "demo@"
 * must not be two accounts); a Unicode domain is stored as its ASCII (punycode) form, which is what
 * SMTP sends. Refused, each with its own message: control and invisible characters (zero-width,
 * bidi controls, fillers) and domain labels that mix alphabets, which let two addresses look
 * alike; and anything the SMTP path would
 * refuse later: a local part that is not an unquoted dot-atom of ASCII (the mailer does not speak
 * SMTPUTF8), more than 64 bytes of local part, an address longer than 254, an IP-literal or
 * single-label domain. The confirmation email is the real proof of an address.
 */
public record EmailAddress(String value) {

    /** RFC 5321/5322 dot-atom: atext runs separated by single dots. */
    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final int MAX_LENGTH = 254;
    private static final int MAX_LOCAL = 64;

    public EmailAddress {
        if (value == null || value.length() > MAX_LENGTH || !isCanonical(value)) {
            throw invalid("is not a valid email address");
        }
    }

    public static EmailAddress normalise(String raw) {
        if (raw == null) {
            throw invalid("is required");
        }
        if (raw.length() > 4 * MAX_LENGTH) {
            throw invalid("is longer than " + MAX_LENGTH + " characters");
        }
        String text = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip();
        refuseInvisible(text);
        text = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFKC);
        int at = text.indexOf('@');
        if (at < 0 || at != text.lastIndexOf('@')) {
            throw invalid("must contain exactly one @");
        }
        String local = text.substring(0, at);
        String domain = asciiDomain(text.substring(at + 1));
        if (local.isEmpty()) {
            throw invalid("has nothing before the @");
        }
        if (local.length() > MAX_LOCAL) {
            throw invalid("has more than " + MAX_LOCAL + " characters before the @");
        }
        if (!LOCAL_PART.matcher(local).matches()) {
            throw invalid("may use before the @ only unaccented letters, digits, single dots (not first or last)"
                    + " and ! # $ % & ' * + / = ? ^ _ ` { | } ~ -");
        }
        String address = local + "@" + domain;
        if (address.length() > MAX_LENGTH) {
            throw invalid("is longer than " + MAX_LENGTH + " characters");
        }
        return new EmailAddress(address);
    }

    /**
     * Zero-width and bidi characters, controls and blank fillers make an address look like another
     * one, and whitespace inside an address is never valid; each is named, so the sender can find it.
     */
    private static void refuseInvisible(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (isInvisible(c)) {
                throw invalid("contains an invisible or control character (U+%04X)".formatted(c));
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw invalid("contains a space");
            }
            i += Character.charCount(c);
        }
    }

    static boolean isInvisible(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.UNASSIGNED || type == Character.SURROGATE
                || c == 0x034F || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5 || c == 0x180E
                || c == 0x2800 || c == 0x3164 || c == 0xFFA0 || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
    }

    private static String asciiDomain(String domain) {
        if (domain.isEmpty()) {
            throw invalid("has nothing after the @");
        }
        if (domain.startsWith("[")) {
            throw invalid("must name a domain, not an IP address");
        }
        for (String label : domain.split("\\.", -1)) {
            if (mixesScripts(label)) {
                throw invalid("has a domain part that mixes alphabets (like a Cyrillic letter among Latin ones), so it"
                        + " looks like another domain");
            }
        }
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException notADomain) {
            throw invalid("has a domain that is not a valid host name");
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            throw invalid("needs a domain with a dot (like example.com)");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw invalid("has a domain that is not a valid host name");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw invalid("must name a domain, not an IP address");
        }
        return ascii;
    }

    /**
     * One label, one script: "exаmple" with a Cyrillic "а" is another domain that looks the same,
     * the classic homograph. Digits, hyphens and combining marks belong to no script.
     */
    static boolean mixesScripts(String label) {
        Character.UnicodeScript seen = null;
        for (int i = 0; i < label.length(); ) {
            int c = label.codePointAt(i);
            i += Character.charCount(c);
            Character.UnicodeScript script = Character.UnicodeScript.of(c);
            if (script == Character.UnicodeScript.COMMON || script == Character.UnicodeScript.INHERITED) {
                continue;
            }
            if (seen != null && seen != script) {
                return true;
            }
            seen = script;
        }
        return false;
    }

    private static boolean isCanonical(String value) {
        int at = value.indexOf('@');
        if (at <= 0 || at != value.lastIndexOf('@') || at > MAX_LOCAL) {
            return false;
        }
        if (!LOCAL_PART.matcher(value.substring(0, at)).matches() || !value.equals(value.toLowerCase(Locale.ROOT))) {
            return false;
        }
        String[] labels = value.substring(at + 1).split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static Problems.InvalidRequest invalid(String what) {
        return new Problems.InvalidRequest("email " + what + ".");
    }
}
