package personae.core.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ValueFormatTest {

    private static long at(String iso) {
        return Instant.parse(iso).getEpochSecond();
    }

    /** Every date format of ValueFormat.ALL, read at midnight UTC of 5 March 2024 (the time part is ignored). */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "yyyy_mm_dd_dash|2024-03-05",
            "yyyy_mm_dd_dash|2024-03-05 17:45:10",
            "yyyy_mm_dd_dash|2024-03-05T17:45:10Z",
            "yyyy_mm_dd_slash|2024/03/05",
            "yyyy_mm_dd_slash|2024/03/05 08:00",
            "yy_mm_dd_dash|24-03-05",
            "yy_mm_dd_slash|24/03/05",
            "mm_dd_yyyy_slash|3/5/2024",
            "mm_dd_yyyy_slash|03/05/2024 11:59 PM",
            "mm_dd_yy_slash|3/5/24",
            "mm_dd_yy_slash|03/05/24",
            "mm_dd_yyyy_dash|03-05-2024",
            "mm_dd_yy_dash|3-5-24",
            "yyyymmdd|20240305",
            "date_month_day_fullyear|3/5/2024",
            "date_month_day_shortyear|3/5/24",
            "date_month_day_fullyear_hours_minutes|3/5/2024 17:45",
            "date_month_day_fullyear_hours_minutes_seconds|3/5/2024 17:45:10",
            "date_iso8601|2024-03-05",
            "static_date_iso8601|2024-03-05",
    })
    void datesAtMidnightUtc(String format, String raw) {
        assertEquals(at("2024-03-05T00:00:00Z"), ValueFormat.epochSeconds(raw, format));
        assertTrue(ValueFormat.isDate(format));
    }

    @Test
    void yyyymmIsTheFirstOfTheMonth() {
        assertEquals(at("2024-03-01T00:00:00Z"), ValueFormat.epochSeconds("202403", "yyyymm"));
    }

    @Test
    void isoKeepsTimeAndOffset() {
        assertEquals(at("2024-03-05T17:45:10Z"), ValueFormat.epochSeconds("2024-03-05T17:45:10Z", "date_iso8601"));
        assertEquals(at("2024-03-05T15:45:10Z"), ValueFormat.epochSeconds("2024-03-05T17:45:10+02:00", "date_iso8601"));
        assertEquals(at("2024-03-05T22:45:10Z"), ValueFormat.epochSeconds("2024-03-05T17:45:10-05:00", null));
        assertEquals(at("2024-03-05T17:45:10Z"), ValueFormat.epochSeconds("2024-03-05 17:45:10", "date_iso8601"),
                "no offset: UTC; a space may separate date and time");
        assertEquals(at("2011-12-09T12:50:00Z"), ValueFormat.epochSeconds("2011-12-09 12:50", "date_iso8601"),
                "minutes without seconds (Online Retail's InvoiceDate)");
    }

    @Test
    void epochSecondsAndMillis() {
        assertEquals(1_709_660_710L, ValueFormat.epochSeconds("1709660710", "date_seconds_since_epoch_utc"));
        assertEquals(1_709_660_710L, ValueFormat.epochSeconds("1709660710.9", "date_seconds_since_epoch_utc"));
        assertEquals(1_709_660_710L, ValueFormat.epochSeconds("1709660710123", "date_milliseconds_since_epoch_utc"));
    }

    @Test
    void badDatesSayWhatWasExpected() {
        var e = assertThrows(ValueFormat.FormatException.class, () -> ValueFormat.epochSeconds("2024-13-45", "yyyy_mm_dd_dash"));
        assertEquals("'2024-13-45' is not a date in format yyyy_mm_dd_dash", e.getMessage());
        e = assertThrows(ValueFormat.FormatException.class, () -> ValueFormat.epochSeconds("yesterday", null));
        assertEquals("'yesterday' is not a date in format date_iso8601", e.getMessage());
        e = assertThrows(ValueFormat.FormatException.class, () -> ValueFormat.epochSeconds("2024-03-05", "mm_dd_yyyy_slash"));
        assertTrue(e.getMessage().contains("mm_dd_yyyy_slash"), e.getMessage());
        assertThrows(ValueFormat.FormatException.class, () -> ValueFormat.epochSeconds("soon", "date_seconds_since_epoch_utc"));
        e = assertThrows(ValueFormat.FormatException.class, () -> ValueFormat.epochSeconds("12", "currency_dollars"));
        assertEquals("format currency_dollars is not a date format", e.getMessage());
    }

    @Test
    void currency() {
        assertEquals(12.34, ValueFormat.number("1234", "currency_cents"), 1e-9);
        assertEquals(1234.5, ValueFormat.number("$1,234.50", "currency_dollars"), 1e-9);
        assertEquals(-3.0, ValueFormat.number(" -3 ", null), 1e-9);
        var e = assertThrows(ValueFormat.FormatException.class, () -> ValueFormat.number("12 dollars", "currency_dollars"));
        assertEquals("'12 dollars' is not a number in format currency_dollars", e.getMessage());
        e = assertThrows(ValueFormat.FormatException.class, () -> ValueFormat.number("abc", null));
        assertEquals("'abc' is not a number", e.getMessage());
        assertFalse(ValueFormat.isDate("currency_cents"));
    }

    @Test
    void lists() {
        assertEquals(List.of("red", "green", "blue"), ValueFormat.list(" red, green ,,blue ", "list_comma_separated"));
        assertEquals(List.of("a,b", "c"), ValueFormat.list("a,b; c", "list_semicolon_separated"));
        assertEquals(List.of("a, b"), ValueFormat.list(" a, b ", "list_single_value"));
        assertEquals(List.of("x"), ValueFormat.list("x", null));
        assertFalse(ValueFormat.isDate("list_comma_separated"));
        assertFalse(ValueFormat.isDate(null));
    }

    @Test
    void everyFormatIsCovered() {
        // a new format in ALL must get a case in these tests
        assertEquals(23, ValueFormat.ALL.size());
    }
}
