package io.miaosha.api.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.problem.Problems;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "  Demo@Example.COM |demo@example.com",
            "ｄｅｍｏ＠ｅｘａｍｐｌｅ．ｃｏｍ|demo@example.com",   // full-width forms are the same visible address
            "user@Bücher.example|user@xn--bcher-kva.example",   // a Unicode domain is stored as SMTP sends it
            "user@xn--bcher-kva.example|user@xn--bcher-kva.example",
            "first.last+tag@sub.example.org|first.last+tag@sub.example.org",
            "o'brien@example.ie|o'brien@example.ie"})
    void equalLookingAddressesNormaliseToOneKey(String raw, String normalised) {
        assertEquals(normalised, EmailAddress.normalise(raw).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"de\u200Bmo@example.com", "demo@exa\u200Dmple.com", "\u202Emoc.elpmaxe@omed", "demo\u2066@example.com",
            "de\u00ADmo@example.com", "demo@example.com\uFEFF", "de\u0007mo@example.com", "de\u3164mo@example.com",
            "demo\uFE0F@example.com", "\u2060demo@example.com"})
    void invisibleAndControlCharactersAreRefusedByName(String raw) {
        Problems.InvalidRequest refused = assertThrows(Problems.InvalidRequest.class, () -> EmailAddress.normalise(raw));
        assertTrue(refused.detail().contains("invisible or control character (U+"), refused.detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@ex\u0430mple.com", "user@p\u0430ypal.com", "user@\u0430pple.com"})
    void aDomainLabelMixingAlphabetsIsRefusedAsALookAlike(String raw) {
        Problems.InvalidRequest refused = assertThrows(Problems.InvalidRequest.class, () -> EmailAddress.normalise(raw));
        assertTrue(refused.detail().contains("mixes alphabets"), refused.detail());
    }

    @org.junit.jupiter.api.Test
    void aDomainInOneOtherAlphabetIsAccepted() {
        assertEquals("user@xn--80a1acny.xn--p1ai", EmailAddress.normalise("user@почта.рф").value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"josé@example.com", "\"quoted\"@example.com", "two..dots@example.com", ".lead@example.com",
            "trail.@example.com", "user@[192.0.2.1]", "user@192.0.2.1", "user@localhost", "user@-bad-.example",
            "user@exa_mple.com", "a@b@example.com", "in side@example.com", "@example.com", "user@", ""})
    void addressesTheMailerWouldRefuseAreRefused(String raw) {
        assertThrows(Problems.InvalidRequest.class, () -> EmailAddress.normalise(raw));
    }

    @org.junit.jupiter.api.Test
    void lengthLimitsAreSmtps() {
        String local64 = "a".repeat(64);
        assertEquals(local64 + "@example.com", EmailAddress.normalise(local64 + "@example.com").value());
        assertThrows(Problems.InvalidRequest.class, () -> EmailAddress.normalise("a".repeat(65) + "@example.com"));
        String longDomain = ("d".repeat(60) + ".").repeat(4) + "example.com"; // 255: past SMTP's 254 with the local part
        assertThrows(Problems.InvalidRequest.class, () -> EmailAddress.normalise("user@" + longDomain));
        assertThrows(Problems.InvalidRequest.class, () -> EmailAddress.normalise(null));
    }
}
