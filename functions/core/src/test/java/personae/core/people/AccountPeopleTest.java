package personae.core.people;

import org.junit.jupiter.api.Test;
import personae.core.cohort.Members;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class AccountPeopleTest {

    static AccountPeople.Dataset dataset(String id, int people, String keys) {
        return new AccountPeople.Dataset(id, people, keys == null ? null
                : new ByteArrayInputStream(("person_id,key\n" + keys).getBytes(StandardCharsets.UTF_8)));
    }

    /** crm: 0 (key 10), 1 (keys 11, 12), 2 (key 13); orders: 0 (key 12), 1 (key 14), 2 (key 10 and 13). */
    static List<AccountPeople.Dataset> crmAndOrders() {
        return List.of(dataset("orders", 3, "0,12\n1,14\n2,10\n2,13\n"), dataset("crm", 3, "0,10\n1,11\n1,12\n2,13\n"));
    }

    @Test
    void aKeyTwoDatasetsShareIsOnePerson() {
        AccountPeople people = AccountPeople.link(crmAndOrders());
        assertEquals(List.of("crm", "orders"), people.datasets(), "datasets are taken in id order");
        assertEquals(6, people.records());
        assertEquals(people.person("crm", 1), people.person("orders", 0), "key 12 is in both: one person");
        assertEquals(people.person("crm", 0), people.person("orders", 2), "key 10 links crm 0 and orders 2");
        assertEquals(people.person("crm", 2), people.person("orders", 2),
                "orders 2 carries keys 10 and 13, so crm 0 and crm 2 are one person through it");
        assertNotEquals(people.person("orders", 1), people.person("crm", 1), "key 14 is in one dataset only");
        assertEquals(3, people.people(), "{crm 0, crm 2, orders 2}, {crm 1, orders 0}, {orders 1}");
        assertEquals(0, people.person("crm", 0), "people are numbered by their first record, in dataset id order");
        assertEquals(-1, people.person("web", 0), "a dataset not linked has no people here");
        assertEquals(-1, people.person("crm", 3), "an id out of the dataset's range is nobody");
    }

    @Test
    void thePeopleAndTheirFirstRecordsDoNotDependOnTheOrderDatasetsAreListed() {
        AccountPeople a = AccountPeople.link(crmAndOrders());
        AccountPeople b = AccountPeople.link(List.of(crmAndOrders().get(1), crmAndOrders().get(0)));
        for (String ds : List.of("crm", "orders")) {
            for (int i = 0; i < 3; i++) assertEquals(a.person(ds, i), b.person(ds, i), ds + " " + i);
        }
        BitSet all = new BitSet();
        all.set(0, a.people());
        assertEquals(a.firstRecords(all).byDataset().keySet(), b.firstRecords(all).byDataset().keySet());
    }

    @Test
    void membersNamingSeveralRecordsOfOnePersonAreThatPersonOnce() {
        AccountPeople people = AccountPeople.link(crmAndOrders());
        Members m = new Members();
        m.add("orders", 0);
        m.add("crm", 1);
        m.add("orders", 1);
        m.add("deleted", 0);
        BitSet persons = people.persons(m);
        assertEquals(2, persons.cardinality(), "crm 1 and orders 0 are one person; a dataset not linked is nobody");
        Members first = people.firstRecords(persons);
        assertArrayEquals(new int[]{1}, first.byDataset().get("crm"), "the first record is crm's, the first dataset");
        assertArrayEquals(new int[]{1}, first.byDataset().get("orders"), "orders 1 has no record elsewhere");
        assertArrayEquals(new long[]{1, 2}, people.recordsPerDataset(persons), "per dataset, the people holding a record");
    }

    @Test
    void recordsOfAPersonComeFirstRecordFirstAndRecordInFindsThemPerDataset() {
        AccountPeople people = AccountPeople.link(crmAndOrders());
        int p = people.person("orders", 2);
        List<String> seen = new ArrayList<>();
        people.records(p, (d, id) -> seen.add(people.datasets().get(d) + " " + id));
        assertEquals(List.of("crm 0", "crm 2", "orders 2"), seen);
        assertEquals(0, people.recordIn(p, people.datasetIndex("crm")), "the smallest id in that dataset");
        assertEquals(2, people.recordIn(p, people.datasetIndex("orders")));
        assertEquals(-1, people.recordIn(people.person("orders", 1), people.datasetIndex("crm")));
    }

    @Test
    void aDatasetWithoutKeysOrWithoutPeopleLinksNobody() {
        AccountPeople people = AccountPeople.link(List.of(dataset("a", 2, null), dataset("b", 0, ""),
                dataset("c", 1, "0,10\n"), dataset("d", 1, "0,10\n")));
        assertEquals(3, people.people(), "a's two people are their own; c 0 and d 0 share key 10");
        assertEquals(people.person("c", 0), people.person("d", 0));
        assertNotEquals(people.person("a", 0), people.person("a", 1));
        assertEquals(1, people.links());
        List<String> seen = new ArrayList<>();
        people.records(people.person("c", 0), (d, id) -> seen.add(people.datasets().get(d) + " " + id));
        assertEquals(List.of("c 0", "d 0"), seen, "an empty dataset before c does not shift c's records");
    }

    @Test
    void rowsInPairsEachRowWithItsPersonsRecordInADatasetSortedById() {
        AccountPeople people = AccountPeople.link(crmAndOrders());
        java.util.Map<String, int[]> rows = new java.util.TreeMap<>();
        rows.put("crm", new int[]{1, 2}); // rows 0, 1
        rows.put("orders", new int[]{1, 2}); // rows 2, 3
        long[] inOrders = people.rowsIn(rows, "orders", false);
        List<String> seen = new ArrayList<>();
        for (long p : inOrders) seen.add(AccountPeople.idOf(p) + "@" + AccountPeople.rowOf(p));
        assertEquals(List.of("0@0", "2@1"), seen, "crm 1 is orders 0, crm 2 is orders 2; the orders rows themselves left out");
        seen.clear();
        for (long p : people.rowsIn(rows, "orders", true)) seen.add(AccountPeople.idOf(p) + "@" + AccountPeople.rowOf(p));
        assertEquals(List.of("0@0", "1@2", "2@1", "2@3"), seen, "with the rows' own records, by id then row");
        seen.clear();
        for (long p : people.rowsIn(rows, "crm", false)) seen.add(AccountPeople.idOf(p) + "@" + AccountPeople.rowOf(p));
        assertEquals(List.of("0@3"), seen, "orders 2's first crm record is crm 0; orders 1 has none");
    }
}
