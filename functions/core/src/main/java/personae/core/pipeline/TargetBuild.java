package personae.core.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import personae.core.Problem;
import personae.core.lookup.LookupIndex;
import personae.core.persona.PersonaModel;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources.Stored;
import personae.core.scope.ScopeOutput;
import personae.core.scope.ScopeSpec;
import personae.core.target.TargetCsv;
import personae.core.target.TargetSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A target's build: PublishTarget. */
final class TargetBuild {

    private final BuildContext ctx;

    TargetBuild(BuildContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Publishing a hosted CSV: the scope's output in the target's mode, filter, structure and limit; the columns
     * written become the target's {@code final_structure}. A lookup target's build writes its index instead.
     */
    void publish(BuildRequest r) {
        Stored target = ctx.running(r);
        if (isLookup(target)) {
            publishLookup(r, target);
            return;
        }
        TargetCsv.Result result = TargetPublication.write(ctx.services, target, Keys.targetOutput(r.account(), r.id()),
                TargetCsv.NO_CAP);
        ctx.resources.update(r.account(), ResourceType.TARGETS, r.id(),
                t -> t.doc().set("final_structure", result.structure()));
    }

    static boolean isLookup(Stored target) {
        return "lookup_api".equals(target.doc().path("options").path("type").asText());
    }

    /**
     * A lookup target: the index of its scope's output ({@link LookupIndex}: the people's keys, their personas, the
     * persona sets' models), one file; its {@code final_structure} is the payload columns a lookup answers with.
     */
    private void publishLookup(BuildRequest r, Stored target) {
        TargetSpec spec = TargetSpec.KIND.parse(target.doc());
        Stored scope = ctx.resources.require(r.account(), ResourceType.SCOPES, spec.scopeId());
        List<LookupIndex.SetInput> sets = new ArrayList<>();
        for (String id : ScopeSpec.PERSONA_SETS.strings(scope.doc())) {
            Stored ps = ctx.resources.require(r.account(), ResourceType.PERSONA_SETS, id);
            List<String> ids = new ArrayList<>();
            List<String> names = new ArrayList<>();
            ps.doc().path("personas").forEach(p -> {
                ids.add(p.path("id").asText());
                names.add(p.path("name").asText());
            });
            sets.add(new LookupIndex.SetInput(id, ids, names,
                    ctx.readJson(Keys.personaModel(r.account(), id), PersonaModel.class)));
        }
        try (InputStream in = ctx.blobs.open(Keys.scopeOutput(r.account(), spec.scopeId()));
             OutputStream out = ctx.blobs.create(Keys.targetLookupIndex(r.account(), r.id()))) {
            LookupIndex.write(sets, in, out);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage());
        } catch (personae.core.port.BlobStore.NotFoundException e) {
            throw Problem.conflict("scope " + spec.scopeId() + " has no output yet; build it first");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ArrayNode structure = Json.MAPPER.createArrayNode();
        for (LookupIndex.SetInput s : sets) {
            var columns = new ScopeOutput.PersonaSetColumns(s.id(), List.of(), List.of());
            for (String col : List.of(columns.idColumn(), columns.nameColumn())) {
                structure.addObject().put("scope_col", col).put("output_col", col);
            }
        }
        ctx.resources.update(r.account(), ResourceType.TARGETS, r.id(), t -> t.doc().set("final_structure", structure));
    }
}
