package personae.core.cohort;

import personae.core.resource.Kind;
import personae.core.resource.Reference;
import personae.core.resource.ResourceType;

import java.util.List;

/** A cohort's specification: it reads the events of one stream, by name; the build reads {@link CohortBuilder.Rules}. */
public final class CohortSpec {

    /** {@code stream_name}: the stream whose events qualify people (its datasets are the cohort's inputs). */
    public static final Reference STREAM = Reference.name("/stream_name", ResourceType.STREAMS, true);
    public static final Kind<CohortBuilder.Rules> KIND = new Kind<>(ResourceType.COHORTS, List.of(STREAM), false,
            CohortBuilder.Rules::fromDocument);

    private CohortSpec() {}
}
