package personae.core.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

class IdentityTest {

    @Test
    void emailsAreTrimmedLowerCasedAndLoseTheirPlusTag() {
        assertEquals("ann.lee@example.com", Identity.normalizeEmail("  Ann.Lee@Example.COM "));
        assertEquals("ann.lee@example.com", Identity.normalizeEmail("ann.lee+shop@example.com"));
        assertEquals("ann.lee@example.com", Identity.normalizeEmail(" ANN.LEE+Promo+2@EXAMPLE.com"));
        assertNull(Identity.normalizeEmail("not an email"));
        assertNull(Identity.normalizeEmail("@example.com"));
        assertNull(Identity.normalizeEmail("ann@"));
        assertNull(Identity.normalizeEmail(null));
        assertEquals(Identity.emailHash("ann.lee@example.com"),
                Identity.emailHash(Identity.normalizeEmail("Ann.Lee+x@example.com ")));
        // SHA-256 hex
        assertEquals("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", Identity.emailHash("foo"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"(617) 555-0134", "617-555-0134", "+1 617 555 0134", "6175550134", "1-617-555-0134",
            " 617.555.0134 "})
    void usPhonesBecomeE164(String raw) {
        assertEquals("+16175550134", Identity.normalizePhone(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "n/a", "unknown", "12", "555-01"})
    void junkIsNotAPhone(String raw) {
        assertNull(Identity.normalizePhone(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"000-000-0000", "999-999-9999", "(555) 555-5555", "1-111-111-1111", "123-456-7890",
            "(012) 555-0134", "617-055-0134", "617-155-0134", "+1 000 000 0000", "+1 (999) 999-9999",
            "1 (123) 456-7890", "000-000-0000 ext. 5", "tel: 999 999 9999", "+44 0000 000000", "+44 1111 111111"})
    void placeholderPhonesAreNotPhones(String raw) {
        assertNull(Identity.normalizePhone(raw), raw);
    }

    @Test
    void realLookingNanpNumbersStillPass() {
        assertEquals("+12125550101", Identity.normalizePhone("212-555-0101"));
        assertEquals("+12025551234", Identity.normalizePhone("tel: 202 555 1234"));
        assertEquals("+19999999990", Identity.normalizePhone("999-999-9990"));
    }

    @Test
    void internationalPhonesUseTheFullParser() {
        assertEquals("+442079460958", Identity.normalizePhone("+44 20 7946 0958"));
        assertNull(Identity.normalizePhone(null));
    }

    @Test
    void identityKeysAre64BitsTaggedByType() {
        String hash = Identity.emailHash("ann@x.com");
        long email = Identity.emailKey("ann@x.com");
        assertEquals(email, Identity.emailHashKey(hash), "a mapped email_hash column lands on the email's key");
        assertEquals(email, Identity.emailHashKey(" " + hash.toUpperCase(java.util.Locale.ROOT) + " "));
        assertEquals(Long.parseUnsignedLong(hash.substring(0, 16), 16) & (-1L >>> 2), email,
                "the first 16 hex digits of the SHA-256, less the 2 type bits");
        assertNotEquals(email, Identity.emailKey("bob@x.com"));
        assertEquals(Identity.emailHashKey("not-hex"), Identity.emailHashKey("NOT-HEX"));
        long phone = Identity.phoneKey("+16175550134");
        assertNotEquals(phone, Identity.phoneKey("+16175550135"));
        assertEquals(16175550134L, phone & (-1L >>> 2));
        assertEquals(1, phone >>> 62);
        assertEquals(2, Identity.addressKey("ann lee|1 elm st|02139") >>> 62);
        assertEquals(0, email >>> 62);
        assertNotEquals(Identity.addressKey("ann lee|1 elm st|02139"), Identity.addressKey("ann lee|1 elm st|02138"));
        // the string hash spreads near-identical strings
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 100_000; i++) assertTrue(seen.add(Identity.addressKey("a|" + i + " main st|02139")));
    }

    @Test
    void streetsFoldCaseSpacingPunctuationAndSuffixes() {
        assertEquals("12 n main st", Identity.normalizeStreet("12 North Main Street"));
        assertEquals(Identity.normalizeStreet("12 n main st"), Identity.normalizeStreet("12 North Main Street"));
        assertEquals(Identity.normalizeStreet("12 N. Main St."), Identity.normalizeStreet("  12   north  MAIN street "));
        assertEquals("400 w elm ave apt 3", Identity.normalizeStreet("400 West Elm Avenue, Apartment 3"));
        assertNotEquals(Identity.normalizeStreet("12 Main Street"), Identity.normalizeStreet("14 Main Street"));
        assertEquals("", Identity.normalizeStreet(null));
    }

    @Test
    void postcodesAreFiveDigitsZeroPadded() {
        assertEquals("02139", Identity.normalizePostcode("2139"));
        assertEquals("02139", Identity.normalizePostcode("02139"));
        assertEquals("02139", Identity.normalizePostcode(" 02139-4307 "));
        assertEquals("00501", Identity.normalizePostcode("501"));
        assertNull(Identity.normalizePostcode("SW1A 1AA"));
        assertNull(Identity.normalizePostcode("123456"));
        assertNull(Identity.normalizePostcode(""));
        assertNull(Identity.normalizePostcode(null));
    }
}
