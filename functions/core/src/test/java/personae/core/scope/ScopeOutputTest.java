package personae.core.scope;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The scope CSV's payload after the persona columns: a flag per payload cohort, then each attribute's trait value. */
class ScopeOutputTest {

    static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void flagsAndAttributesFollowEachWrittenPersonReadInStepWithTheTraits() {
        String people = "person_id,email\n0,a@x.com\n1,b@x.com\n2,c@x.com\n3,d@x.com\n4,e@x.com\n";
        String traits = "person_id,orders_frequency,tier\n0,1,gold\n1,3,\n2,2,silver\n3,5,bronze\n4,1,gold\n";
        int[] persons = {1, 3, 4};
        Set<Integer> vip = Set.of(3, 4);
        ByteArrayOutputStream os = new ByteArrayOutputStream();
        try (ScopeOutput out = new ScopeOutput(List.of("email"), List.of(), List.of("c-1", "c-2"),
                List.of("tier", "orders_frequency", "missing"), os)) {
            out.writeDataset(in(people), in(traits), persons, List.of(),
                    List.<IntPredicate>of(vip::contains, p -> false));
            assertEquals(persons.length, out.rows());
        }
        List<String> lines = os.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("email,fdy_cohort_c_1_member,fdy_cohort_c_2_member,tier,orders_frequency,missing", lines.get(0),
                "cohort flags then attributes, each named as its trait");
        String[] peopleRows = people.lines().skip(1).toArray(String[]::new);
        String[] traitRows = traits.lines().skip(1).toArray(String[]::new);
        for (int i = 0; i < persons.length; i++) {
            int p = persons[i];
            String[] t = (traitRows[p] + ",x").split(",");
            String expected = peopleRows[p].split(",")[1] + "," + vip.contains(p) + ",false," + t[2] + "," + t[1] + ",";
            assertEquals(expected, lines.get(1 + i), "person " + p + ": their own traits row, an absent trait empty");
        }
    }
}
