package personae.core.ingest;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Identity normalization: the keys under which two rows are the same person. A person is matched by any of
 * <ul>
 *   <li>email: lower-cased, trimmed, plus-address removed, SHA-256 (the same key as a mapped {@code email_hash});</li>
 *   <li>phone: E.164 (US numbers by default);</li>
 *   <li>name + address: first and last name, street and 5-digit postcode, case and spacing folded and common street
 *       suffixes abbreviated;</li>
 *   <li>a reference key ({@code reference_key_columns}, such as a customer id): the same value in the same column.</li>
 * </ul>
 */
public final class Identity {

    /** The IdentitySet keys of the v1 API, in the order Personae writes them as output columns. */
    public static final List<String> FIELDS = List.of("email", "email_hash", "person_first_name", "person_last_name",
            "person_full_name", "house_number_and_street", "city", "state", "postcode", "freeform_address", "phone");

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern NOT_WORD = Pattern.compile("[^a-z0-9 ]");
    private static final Map<String, String> STREET_WORDS = Map.ofEntries(
            Map.entry("street", "st"), Map.entry("avenue", "ave"), Map.entry("road", "rd"),
            Map.entry("drive", "dr"), Map.entry("lane", "ln"), Map.entry("boulevard", "blvd"),
            Map.entry("court", "ct"), Map.entry("place", "pl"), Map.entry("terrace", "ter"),
            Map.entry("circle", "cir"), Map.entry("highway", "hwy"), Map.entry("parkway", "pkwy"),
            Map.entry("apartment", "apt"), Map.entry("suite", "ste"), Map.entry("north", "n"),
            Map.entry("south", "s"), Map.entry("east", "e"), Map.entry("west", "w"));

    private Identity() {}

    /** Lower-cased, trimmed, with any {@code +tag} removed from the local part; null when not an email. */
    public static String normalizeEmail(String raw) {
        if (raw == null) return null;
        String e = raw.trim().toLowerCase(Locale.ROOT);
        int at = e.lastIndexOf('@');
        if (at <= 0 || at == e.length() - 1) return null;
        String local = e.substring(0, at);
        int plus = local.indexOf('+');
        if (plus > 0) local = local.substring(0, plus);
        return local + e.substring(at);
    }

    /** SHA-256 hex of the normalized email (the v1 {@code email_hash} definition). */
    public static String emailHash(String normalizedEmail) {
        return personae.core.util.Hashes.sha256Hex(normalizedEmail);
    }

    /**
     * The normalized name + address string two rows of one person share: the name ({@code first|last}, or a full
     * name) folded, the street with suffixes abbreviated, the 5-digit postcode (empty when there is none). Identity
     * resolution keys people by it ({@link #addressKey}); hashed targets publish its SHA-256.
     */
    public static String nameAddress(String name, String street, String postcode) {
        String pc = normalizePostcode(postcode);
        return fold(name.replace('|', ' ')) + "|" + normalizeStreet(street) + "|" + (pc == null ? "" : pc);
    }

    /**
     * E.164 form ({@code +16175550134}); null when the cell holds no plausible phone number. Ten-digit and
     * {@code 1}-prefixed eleven-digit numbers are read as US numbers without the (slower) full parser. Placeholders
     * that many customers share ({@code 000-000-0000}, {@code 999-999-9999}, {@code 123-456-7890}) are not phones:
     * a NANP number whose area code or exchange starts with 0 or 1 does not exist, and neither does a number of
     * one repeated digit; matching on them would merge strangers. (555 numbers are kept.)
     */
    public static String normalizePhone(String raw) {
        if (raw == null || raw.isBlank()) return null;
        String s = raw.trim();
        StringBuilder digits = new StringBuilder(16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') digits.append(c);
            else if (Character.isLetter(c)) return parseWithLibrary(s);
        }
        boolean plus = s.startsWith("+");
        if (!plus && digits.length() == 10) return nanp(digits, 0) ? "+1" + digits : null;
        if (digits.length() == 11 && digits.charAt(0) == '1') return nanp(digits, 1) ? "+" + digits : null;
        return parseWithLibrary(s);
    }

    /** Whether the ten digits from {@code from} can be a real NANP number (see {@link #normalizePhone}). */
    private static boolean nanp(CharSequence d, int from) {
        return d.charAt(from) >= '2' && d.charAt(from + 3) >= '2' && !oneDigit(d, from);
    }

    private static boolean oneDigit(CharSequence d, int from) {
        for (int i = from + 1; i < d.length(); i++) if (d.charAt(i) != d.charAt(from)) return false;
        return true;
    }

    private static String parseWithLibrary(String s) {
        try {
            var n = PHONES.parse(s, "US");
            if (!PHONES.isPossibleNumber(n)) return null;
            String national = Long.toString(n.getNationalNumber());
            if (oneDigit(national, 0)) return null;
            if (n.getCountryCode() == 1 && (national.length() != 10 || !nanp(national, 0))) return null;
            return PHONES.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- 64-bit identity keys
    //
    // Identity resolution keys its nodes by 64-bit numbers, not strings: the top 2 bits say the type (email, phone,
    // name + address, reference key), the other 62 are the value or a hash of it. Two different values of one type share a key
    // with probability about n^2 / 2^63 over n distinct values (n^2 / 2^65 would be the full 64 bits): 1e-7 at a
    // million emails, 1e-5 at ten million. A collision merges two people, which name + address matching risks far
    // more often; phones are exact (E.164 digits fit in 50 bits).

    private static final long VALUE_BITS = -1L >>> 2;
    private static final long EMAIL = 0;
    private static final long PHONE = 1L << 62;
    private static final long ADDRESS = 2L << 62;
    private static final long REFERENCE = 3L << 62;

    /**
     * The key of a normalized email: the first 16 hex digits of its SHA-256 (the {@code email_hash}), so that
     * {@link #emailHashKey} of the same hash is the same key.
     */
    public static long emailKey(String normalizedEmail) {
        byte[] d = personae.core.util.Hashes.sha256(normalizedEmail);
        long h = 0;
        for (int i = 0; i < 8; i++) h = h << 8 | (d[i] & 0xff);
        return h & VALUE_BITS | EMAIL;
    }

    /** The key of an {@code email_hash} cell: its first 16 hex digits (any case); any other text is hashed. */
    public static long emailHashKey(String hash) {
        String s = hash.trim();
        if (s.length() >= 16) {
            boolean hex = true;
            for (int i = 0; i < 16 && hex; i++) hex = Character.digit(s.charAt(i), 16) >= 0;
            if (hex) return Long.parseUnsignedLong(s.substring(0, 16), 16) & VALUE_BITS | EMAIL;
        }
        return hash64(s.toLowerCase(Locale.ROOT)) & VALUE_BITS | EMAIL;
    }

    /** The key of a phone in E.164 ({@link #normalizePhone}): its digits. */
    public static long phoneKey(String e164) {
        return Long.parseLong(e164, 1, e164.length(), 10) | PHONE;
    }

    /** The key of a normalized name + address string. */
    public static long addressKey(String normalized) {
        return hash64(normalized) & VALUE_BITS | ADDRESS;
    }

    /**
     * The key of a reference key cell ({@code reference_key_columns}, a customer id): the column and the trimmed value,
     * exactly (case matters), so the same id in two different key columns is two keys. Never -1 (which ingestion uses
     * for "no key").
     */
    public static long referenceKey(String column, String value) {
        long k = hash64(column + '\u0000' + value) & VALUE_BITS | REFERENCE;
        return k == -1L ? -2L : k;
    }

    /**
     * A 64-bit string hash: two lanes with different multipliers (FNV-1a, and an add-rotate-multiply lane), each
     * finished by murmur3's fmix64, then combined. Good spread, not a defence against crafted collisions (the data
     * is the account's own).
     */
    static long hash64(String s) {
        long a = 0xcbf29ce484222325L;
        long b = 0x9e3779b97f4a7c15L ^ s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            a = (a ^ c) * 0x100000001b3L;
            b = Long.rotateLeft(b + c, 23) * 0x9fb21c651e98df25L;
        }
        return fmix64(a) ^ Long.rotateLeft(fmix64(b), 32);
    }

    private static long fmix64(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** Lower-case words separated by single spaces, punctuation dropped. */
    public static String fold(String raw) {
        if (raw == null) return "";
        String s = NOT_WORD.matcher(raw.toLowerCase(Locale.ROOT).replace('.', ' ').replace(',', ' ')).replaceAll("");
        return SPACES.matcher(s.trim()).replaceAll(" ");
    }

    /** A street line with suffixes and directions abbreviated ("12 North Main Street" = "12 n main st"). */
    public static String normalizeStreet(String raw) {
        String folded = fold(raw);
        if (folded.isEmpty()) return folded;
        String[] words = folded.split(" ");
        StringBuilder b = new StringBuilder(folded.length());
        for (String w : words) {
            if (b.length() > 0) b.append(' ');
            b.append(STREET_WORDS.getOrDefault(w, w));
        }
        return b.toString();
    }

    /** The first five digits of a postcode, left-padded with zeros ("2139" = "02139"); null when none. */
    public static String normalizePostcode(String raw) {
        if (raw == null) return null;
        String s = raw.trim();
        int dash = s.indexOf('-');
        if (dash > 0) s = s.substring(0, dash);
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) return null;
        return "0".repeat(5 - s.length()) + s;
    }
}
