package personae.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import personae.core.Services;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.resource.Status;
import personae.core.testing.InMemoryBlobStore;
import personae.core.testing.InMemoryMetadataStore;
import personae.core.testing.RecordingWorkflowStarter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One build of a resource at a time: rebuilds asked for meanwhile are queued, then started. */
class BuildsTest {

    static final String ACCOUNT = "acct";
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    RecordingWorkflowStarter workflows = new RecordingWorkflowStarter();
    Services services;
    Resources resources;
    Builds builds;
    BuildSteps steps;
    String cohort;

    @BeforeEach
    void setUp() {
        services = new Services(new InMemoryMetadataStore(), new InMemoryBlobStore(clock), workflows, clock,
                Services.Settings.local());
        resources = services.resources();
        builds = new Builds(services);
        steps = new BuildSteps(services);
        ObjectNode fields = Json.object();
        fields.put("name", "Customers");
        fields.put("stream_name", "orders");
        cohort = resources.create(ACCOUNT, ResourceType.COHORTS, fields).id();
    }

    Status status() {
        return resources.require(ACCOUNT, ResourceType.COHORTS, cohort).status();
    }

    BuildRequest request() {
        return new BuildRequest(ACCOUNT, "cohorts", cohort);
    }

    @Test
    void anIdleResourceRebuildsAtOnce() {
        resources.setStatus(ACCOUNT, ResourceType.COHORTS, cohort, Status.READY, null);
        builds.request(ACCOUNT, ResourceType.COHORTS, cohort);
        assertEquals(Status.NEW, status());
        assertEquals(List.of(request()), workflows.requests());
    }

    @Test
    void aRebuildAskedForDuringABuildStartsWhenItEnds() {
        resources.setStatus(ACCOUNT, ResourceType.COHORTS, cohort, Status.RUNNING, null);
        builds.request(ACCOUNT, ResourceType.COHORTS, cohort);
        builds.request(ACCOUNT, ResourceType.COHORTS, cohort);
        assertEquals(Status.RUNNING, status(), "the running build is left alone");
        assertTrue(workflows.requests().isEmpty(), "no second build of the same resource at once");

        steps.markReady(request());
        assertEquals(Status.NEW, status(), "the queued rebuild started");
        assertEquals(List.of(request()), workflows.requests(), "once, however often it was asked for");

        workflows.clear();
        steps.markReady(request());
        assertEquals(Status.READY, status());
        assertTrue(workflows.requests().isEmpty(), "nothing queued any more");
    }

    @Test
    void aBuildThatHasNotReadItsInputsYetNeedsNoSecondOne() {
        builds.request(ACCOUNT, ResourceType.COHORTS, cohort); // status new: still waiting in CheckInputs
        steps.markReady(request());
        assertEquals(Status.READY, status());
        assertTrue(workflows.requests().isEmpty());
    }

    @Test
    void aFailedBuildAlsoStartsTheQueuedRebuild() {
        resources.setStatus(ACCOUNT, ResourceType.COHORTS, cohort, Status.STARTING, null);
        builds.request(ACCOUNT, ResourceType.COHORTS, cohort);
        steps.markError(request(), "boom");
        assertEquals(Status.NEW, status());
        assertFalse(resources.require(ACCOUNT, ResourceType.COHORTS, cohort).doc().has("status_error"));
        assertEquals(List.of(request()), workflows.requests());
    }

    @Test
    void aBuildLostForMoreThanADayIsReplaced() {
        resources.setStatus(ACCOUNT, ResourceType.COHORTS, cohort, Status.RUNNING, null);
        clock.advance(Builds.STALE.plusMinutes(1));
        builds.request(ACCOUNT, ResourceType.COHORTS, cohort);
        assertEquals(Status.NEW, status());
        assertEquals(List.of(request()), workflows.requests());
    }

    String execution() {
        return resources.require(ACCOUNT, ResourceType.COHORTS, cohort).internal().path(Builds.EXECUTION).asText(null);
    }

    @Test
    void everyBuildStartedRecordsItsExecution() {
        builds.first(ACCOUNT, ResourceType.COHORTS, cohort);
        assertEquals("execution-1", execution(), "the first build's execution is on the document");
        resources.setStatus(ACCOUNT, ResourceType.COHORTS, cohort, Status.READY, null);
        builds.request(ACCOUNT, ResourceType.COHORTS, cohort);
        assertEquals("execution-2", execution(), "a rebuild replaces it with its own");
        assertFalse(resources.require(ACCOUNT, ResourceType.COHORTS, cohort).view().has(Builds.EXECUTION),
                "the API never shows it");
    }

    @Test
    void aBuildWhoseExecutionDiedIsReplacedAtTheNextRequestWhateverItsStatus() {
        for (Status stuck : List.of(Status.NEW, Status.STARTING, Status.RUNNING)) {
            workflows.clear();
            resources.setStatus(ACCOUNT, ResourceType.COHORTS, cohort, Status.READY, null);
            builds.request(ACCOUNT, ResourceType.COHORTS, cohort);
            String dead = execution();
            resources.setStatus(ACCOUNT, ResourceType.COHORTS, cohort, stuck, null);
            workflows.killAll(); // the process running it was killed
            workflows.clear();

            builds.request(ACCOUNT, ResourceType.COHORTS, cohort);
            assertEquals(Status.NEW, status(), stuck + " with a dead execution starts again at once, like error");
            assertEquals(List.of(request()), workflows.requests(), stuck + ": one new build, without waiting 25 h");
            assertTrue(execution() != null && !execution().equals(dead), "the new build's execution is recorded");
            assertTrue(workflows.isRunning(execution()));
        }
    }

    @Test
    void aBuildWhoseExecutionStillRunsIsNeverDoubled() {
        resources.setStatus(ACCOUNT, ResourceType.COHORTS, cohort, Status.READY, null);
        builds.request(ACCOUNT, ResourceType.COHORTS, cohort);
        String live = execution();
        resources.setStatus(ACCOUNT, ResourceType.COHORTS, cohort, Status.RUNNING, null);
        workflows.clear();
        builds.request(ACCOUNT, ResourceType.COHORTS, cohort);
        assertEquals(Status.RUNNING, status(), "a live build is left alone");
        assertTrue(workflows.requests().isEmpty(), "no second execution while the first runs");
        assertEquals(live, execution());

        workflows.finish(live); // it ends without reaching MarkReady or MarkError
        builds.request(ACCOUNT, ResourceType.COHORTS, cohort);
        assertEquals(List.of(request()), workflows.requests(), "once it is gone, the next request replaces it");
    }

    @Test
    void aNewBuildStartedMeanwhileKeepsItsOwnExecution() {
        resources.setStatus(ACCOUNT, ResourceType.COHORTS, cohort, Status.READY, null);
        // the first start's record comes late: a whole second rebuild happens between the start and the record
        RecordingWorkflowStarter inner = workflows;
        Builds[] racing = new Builds[1];
        personae.core.port.WorkflowStarter slowRecord = new personae.core.port.WorkflowStarter() {
            boolean once;

            @Override
            public String startBuild(BuildRequest r) {
                String id = inner.startBuild(r);
                if (!once) {
                    once = true;
                    resources.setStatus(ACCOUNT, ResourceType.COHORTS, cohort, Status.READY, null);
                    racing[0].request(ACCOUNT, ResourceType.COHORTS, cohort);
                }
                return id;
            }

            @Override
            public boolean isRunning(String id) {
                return inner.isRunning(id);
            }
        };
        Services slow = new Services(services.metadata(), services.blobs(), slowRecord, clock, services.settings());
        racing[0] = new Builds(slow);
        racing[0].request(ACCOUNT, ResourceType.COHORTS, cohort);
        assertEquals(2, workflows.requests().size());
        assertEquals("execution-2", execution(), "the late record of execution-1 did not overwrite the newer build's");
    }

    @Test
    void restartingUnfinishedBuildsVisitsEveryAccount() {
        ObjectNode other = Json.object();
        other.put("name", "Other customers");
        other.put("stream_name", "orders");
        String second = resources.create("second-account", ResourceType.COHORTS, other).id();
        resources.setStatus("second-account", ResourceType.COHORTS, second, Status.RUNNING, null);
        ObjectNode done = Json.object();
        done.put("name", "Done");
        done.put("stream_name", "orders");
        String ready = resources.create("third-account", ResourceType.COHORTS, done).id();
        resources.setStatus("third-account", ResourceType.COHORTS, ready, Status.READY, null);

        assertEquals(java.util.Set.of(request(), new BuildRequest("second-account", "cohorts", second)),
                java.util.Set.copyOf(builds.restartUnfinished()), "the unfinished cohort of each account, not the ready one");
        assertEquals(java.util.Set.of(request(), new BuildRequest("second-account", "cohorts", second)),
                java.util.Set.copyOf(workflows.requests()));
        assertEquals(Status.NEW, resources.require("second-account", ResourceType.COHORTS, second).status());
        assertEquals(Status.READY, resources.require("third-account", ResourceType.COHORTS, ready).status());
    }

    @Test
    void readyResourcesRebuildWhatWasBuiltFromThemButNotFirstBuilds() {
        ObjectNode ps = Json.object();
        ps.put("name", "Personas");
        ps.put("cohort_id", cohort);
        String built = resources.create(ACCOUNT, ResourceType.PERSONA_SETS, ps).id();
        resources.setStatus(ACCOUNT, ResourceType.PERSONA_SETS, built, Status.READY, null);
        String firstBuild = resources.create(ACCOUNT, ResourceType.PERSONA_SETS, ps).id(); // still new, waiting

        steps.markReady(request());
        assertEquals(List.of(new BuildRequest(ACCOUNT, "persona_sets", built)), workflows.requests());
        assertEquals(Status.NEW, resources.require(ACCOUNT, ResourceType.PERSONA_SETS, firstBuild).status());
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
