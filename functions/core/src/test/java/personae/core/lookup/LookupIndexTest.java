package personae.core.lookup;

import org.junit.jupiter.api.Test;
import personae.core.Problem;
import personae.core.persona.ClusterCountChoice;
import personae.core.persona.Feature;
import personae.core.persona.FeatureScaling;
import personae.core.persona.PersonaModel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lookup index of a small scope output, written and read back, and lookups against it. */
class LookupIndexTest {

    static final String SET = "5e7c0b1a-0000-4000-8000-000000000001";
    static final String ID_COL = "fdy_persona_set_" + SET.replace('-', '_') + "_persona_id";
    static final String NAME_COL = "fdy_persona_set_" + SET.replace('-', '_') + "_persona_name";
    static final Feature VALUE = new Feature("orders_total_value", Feature.Kind.TOTAL_VALUE, "orders");
    static final Feature SEGMENT_A = new Feature("segment=a", Feature.Kind.CATEGORY, "a");
    static final Feature SEGMENT_B = new Feature("segment=b", Feature.Kind.CATEGORY, "b");
    static final List<String> IDS = List.of("p-small", "p-big", "p-b");
    static final List<String> NAMES = List.of("Small spenders", "Big spenders", "Segment B");

    /** Three personas over a money trait and a two-valued text trait. */
    static PersonaModel model() {
        List<Feature> features = List.of(VALUE, SEGMENT_A, SEGMENT_B);
        return new PersonaModel(features, List.of(new FeatureScaling(true, 4, 1), new FeatureScaling(false, 0.5, 0.5),
                new FeatureScaling(false, 0.5, 0.5)), 3, new double[][] {{-1.5, 1, -1}, {1.5, 1, -1}, {0, -1, 1}},
                List.of(Map.of(), Map.of(), Map.of()), List.of(1, 1, 1), 0, new ClusterCountChoice("given", 0, Map.of()), null);
    }

    static final String SCOPE_CSV = String.join("\n",
            "email,person_first_name,person_last_name,house_number_and_street,city,state,postcode,phone," + ID_COL + ","
                    + NAME_COL,
            "ann@example.com,Ann,Lee,12 North Main Street,Springfield,MA,01101,617-555-0134,p-big,Big spenders",
            "bob@example.com,Bob,Ray,5 Elm Road,Shelbyville,IL,62565,,p-small,Small spenders",
            ",Cy,Doe,9 Oak Lane,Ogdenville,NY,10001,(212) 555-0188,p-b,Segment B",
            "dee@example.com,Dee,Lee,12 N Main St,Springfield,MA,01101,,p-small,Small spenders",
            "eve@example.com,Eve,Orr,1 Gone Way,Nowhere,TX,73301,,p-retired,Retired persona") + "\n";

    static LookupIndex index() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = LookupIndex.write(List.of(new LookupIndex.SetInput(SET, IDS, NAMES, model())),
                new ByteArrayInputStream(SCOPE_CSV.getBytes(StandardCharsets.UTF_8)), out);
        assertEquals(5, n, "every row of the scope's output is a person of the index");
        return LookupIndex.read(new ByteArrayInputStream(out.toByteArray()));
    }

    static final LookupIndex INDEX = index();

    static String persona(Lookup.Answer a) {
        return a.personas()[0] < 0 ? null : INDEX.personaSets().get(0).personaIds().get(a.personas()[0]);
    }

    static Lookup.Answer ask(Map<String, String> identifiers) {
        return Lookup.lookup(INDEX, identifiers, Map.of());
    }

    @Test
    void aKnownPersonIsFoundByEmailNormalisedAsIngestionDoes() {
        Lookup.Answer a = ask(Map.of("email", "  ANN+newsletter@Example.COM "));
        assertEquals("p-big", persona(a), "case, spaces and a +tag do not change an email's key");
        assertEquals(LookupIndex.Match.EMAIL, a.match());
        assertTrue(a.placedBy().isEmpty(), "a known person is not placed by traits");
    }

    @Test
    void aKnownPersonIsFoundByPhoneWithLastNameButNotByPhoneAlone() {
        assertEquals("p-b", persona(ask(Map.of("phone", "+1 212 555 0188", "person_last_name", "DOE"))),
                "the phone in E.123 and the last name in capitals find the person whose row has (212) 555-0188 and Doe");
        assertFalse(ask(Map.of("phone", "+1 212 555 0188")).found(), "a phone without a last name is no match");
        assertFalse(ask(Map.of("phone", "+1 212 555 0188", "person_last_name", "Smith")).found(),
                "a phone with another last name is no match");
    }

    @Test
    void aKnownPersonIsFoundByStreetCityAndStateAndTheFirstPersonKeepsASharedAddress() {
        Lookup.Answer a = ask(Map.of("house_number_and_street", "5 elm rd.", "city", "SHELBYVILLE", "state", "il"));
        assertEquals("p-small", persona(a), "street suffixes, case and punctuation fold as in ingestion");
        assertEquals(LookupIndex.Match.ADDRESS, a.match());
        assertEquals("p-big", persona(ask(Map.of("house_number_and_street", "12 N. Main St", "city", "Springfield",
                "state", "MA"))), "Ann and Dee share an address; the first row of the scope keeps it");
        assertFalse(ask(Map.of("house_number_and_street", "5 Elm Road", "city", "Shelbyville")).found(),
                "a street and city without a state is no match");
    }

    @Test
    void emailComesBeforePhoneAndAddressWhenARequestNamesTwoPeople() {
        Lookup.Answer a = ask(Map.of("email", "bob@example.com", "house_number_and_street", "9 Oak Lane",
                "city", "Ogdenville", "state", "NY"));
        assertEquals("p-small", persona(a), "the email's person answers, not the address's");
        assertEquals(LookupIndex.Match.EMAIL, a.match());
    }

    @Test
    void anUnknownEmailFallsBackToTheOtherIdentifiers() {
        assertEquals("p-b", persona(ask(Map.of("email", "nobody@example.com", "phone", "212-555-0188",
                "person_last_name", "Doe"))), "an email the index does not know does not stop the phone match");
    }

    @Test
    void aPersonaTheSetNoLongerListsKeepsTheNameTheScopeWrote() {
        Lookup.Answer a = ask(Map.of("email", "eve@example.com"));
        int code = a.personas()[0];
        assertEquals("p-retired", INDEX.personaSets().get(0).personaIds().get(code));
        assertEquals("Retired persona", INDEX.personaSets().get(0).personaNames().get(code));
    }

    @Test
    void anUnknownPersonIsPlacedByTheModelFromTheTraitsSent() {
        Map<String, Object> traits = new HashMap<>();
        traits.put("orders_total_value", 5000.0);
        traits.put("segment", "a");
        Lookup.Answer a = Lookup.lookup(INDEX, Map.of("email", "new@example.com"), traits);
        int expected = model().assign(new double[] {5000, 1, 0});
        assertEquals(expected, a.personas()[0], "the model's own assignment of the same values");
        assertNull(a.match(), "an unknown person has no match type");
        assertEquals(Map.of(SET, List.of("orders_total_value", "segment")), a.placedBy(),
                "the answer names the traits that placed the person");

        Lookup.Answer partial = Lookup.lookup(INDEX, Map.of(), Map.of("segment", "b"));
        assertEquals(model().assign(new double[] {Double.NaN, 0, 1}), partial.personas()[0],
                "a trait not sent counts as missing, as in the model's own assignment");
        assertEquals(Map.of(SET, List.of("segment")), partial.placedBy());
    }

    @Test
    void anUnknownPersonWithNothingUsableIsNotFound() {
        Lookup.Answer a = Lookup.lookup(INDEX, Map.of("email", "new@example.com", "person_first_name", "Zed",
                "postcode", "01101"), Map.of());
        assertFalse(a.found(), "no known identifier and no trait: no answer");
        assertArrayEquals(new int[] {-1}, a.personas());
    }

    @Test
    void textForANumericTraitIsInvalidNamingTheTrait() {
        Problem p = assertThrows(Problem.class, () -> Lookup.lookup(INDEX, Map.of(),
                Map.of("orders_total_value", "lots")));
        assertEquals(Problem.Kind.INVALID, p.kind());
        assertTrue(p.getMessage().contains("orders_total_value"), p.getMessage());
        assertEquals(model().assign(new double[] {250, Double.NaN, Double.NaN}),
                Lookup.lookup(INDEX, Map.of(), Map.of("orders_total_value", " 250 ")).personas()[0],
                "a number sent as text is read as the number");
    }

    @Test
    void theIndexTakesAboutTwelveBytesASlotPerKeyAndOneBytePerPersonAndSet() {
        assertEquals(4, INDEX.keys(LookupIndex.Match.EMAIL), "four emails in the scope (Cy has none)");
        assertEquals(2, INDEX.keys(LookupIndex.Match.PHONE_LAST_NAME), "two rows have a phone and a last name");
        assertEquals(4, INDEX.keys(LookupIndex.Match.ADDRESS), "five addresses, two of them the same");
        assertEquals(3 * 1024 * 12 + 5, INDEX.memoryBytes(), "three maps of 1,024 slots and five persona bytes");
        assertEquals(1 << 10, LookupIndex.capacity(768));
        assertEquals(1 << 11, LookupIndex.capacity(769), "a map doubles above a load of 3/4");
    }

    @Test
    void aScopeOutputWithoutTheSetsColumnIsRefusedNamingIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> LookupIndex.write(
                List.of(new LookupIndex.SetInput(SET, IDS, NAMES, model())),
                new ByteArrayInputStream("email\na@b.c\n".getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains(ID_COL), e.getMessage());
    }
}
