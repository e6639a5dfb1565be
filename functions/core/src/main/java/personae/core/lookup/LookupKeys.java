package personae.core.lookup;

import personae.core.ingest.Identity;

/**
 * The keys a lookup matches a person by, one per combination the reference accepts: the email (or its
 * {@code email_hash}), the phone with the last name, and the street with the city and state. Each is a 64-bit key of
 * {@link Identity}, from the values normalised exactly as ingestion normalises them (the same functions), so a
 * person's row in the scope's output and a request naming the same person give the same key. 0 means "no key".
 */
public final class LookupKeys {

    /** No key: the values do not make this combination. */
    public static final long NONE = 0;

    private LookupKeys() {}

    /** The email's key ({@link Identity#emailKey}), else the {@code email_hash}'s; {@link #NONE} when neither. */
    public static long email(String email, String emailHash) {
        String e = blank(email) ? null : Identity.normalizeEmail(email);
        if (e != null) return nonZero(Identity.emailKey(e));
        return blank(emailHash) ? NONE : nonZero(Identity.emailHashKey(emailHash));
    }

    /** The phone (E.164) with the folded last name; {@link #NONE} without a plausible phone or a last name. */
    public static long phoneLastName(String phone, String lastName) {
        String p = blank(phone) ? null : Identity.normalizePhone(phone);
        String last = Identity.fold(lastName);
        if (p == null || last.isEmpty()) return NONE;
        return nonZero(Identity.addressKey("phone|" + p + "|" + last));
    }

    /** The street (suffixes abbreviated) with the folded city and state; {@link #NONE} when one of them is missing. */
    public static long streetCityState(String street, String city, String state) {
        String s = Identity.normalizeStreet(street);
        String c = Identity.fold(city);
        String st = Identity.fold(state);
        if (s.isEmpty() || c.isEmpty() || st.isEmpty()) return NONE;
        return nonZero(Identity.addressKey("street|" + s + "|" + c + "|" + st));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static long nonZero(long key) {
        return key == NONE ? 1 : key;
    }
}
