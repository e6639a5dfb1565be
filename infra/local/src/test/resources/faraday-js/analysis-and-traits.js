// Calls every analysis and traits method of Faraday's client (@fdy/faraday-js) against a Personae base URL and prints
// one JSON summary; any throw (a non-2xx answer, or a shape the client's deserializers cannot read) exits non-zero.
// Usage: node analysis-and-traits.js <client folder> <base url> <key> <persona set id> <cohort id>
const [clientDir, basePath, key, personaSetId, cohortId] = process.argv.slice(2);
const fdy = require(require.resolve('@fdy/faraday-js', { paths: [clientDir] }));

(async () => {
  const config = new fdy.Configuration({ basePath, accessToken: key });
  const client = new fdy.FaradayClient(config); // the client's own entry point (the README's)
  const personaSets = client.personaSets, cohorts = client.cohorts, traits = client.traits;
  const out = {};

  const dims = await personaSets.getPersonaSetAnalysisDimensions(personaSetId);
  out.dimensions = dims.map(d => ({ persona_id: d.persona_id, traits: d.traits.length,
    bins: d.traits.reduce((n, t) => n + t.bins.length, 0),
    types: [...new Set(d.traits.flatMap(t => t.bins.map(b => b.data_type)))] }));
  const flow = await personaSets.getPersonaSetAnalysisFlow(personaSetId);
  out.flow = flow.map(p => ({ persona_id: p.persona_id, days: p.days.length,
    last: p.days.length ? p.days[p.days.length - 1].count : null,
    first_date: p.days.length ? p.days[0].date : null }));
  const m = await cohorts.getCohortAnalysisMembership(cohortId);
  out.membership = { days: m.days.length, weeks: m.weeks.length, months: m.months.length,
    last: m.days.length ? m.days[m.days.length - 1].count : null };

  const list = await traits.getTraits();
  out.traits = list.map(t => t.name);
  const created = await traits.createTrait({ name: 'client_score', literate: 'Client score', unit: 'points',
    statistical_type: 'ordinal' });
  const got = await traits.getTrait(created.id);
  const patched = await traits.updateTrait(created.id, { description: 'set by the client' });
  const emitted = list.find(t => t.emitted_by_datasets && t.emitted_by_datasets.length > 0);
  const emittedDims = await traits.getTraitAnalysisDimensions(emitted.id);
  const createdDims = await traits.getTraitAnalysisDimensions(created.id);
  await traits.deleteTrait(created.id);
  await traits.createTrait({ name: 'client_orphan' });
  await traits.deleteAllOrphanedTraits();
  const after = await traits.getTraits();
  out.trait = { created: created.name, got: got.name, created_at_valid: !isNaN(got.created_at.getTime()),
    description: patched.description, emitted: emitted.name, emitted_bins: emittedDims.bins.length,
    emitted_count: emittedDims.bins.reduce((n, b) => n + b.count, 0), created_bins: createdDims.bins.length,
    orphans_left: after.filter(t => t.name.startsWith('client_')).length };
  console.log(JSON.stringify(out));
})().catch(async e => {
  const detail = e && typeof e.text === 'function' ? `${e.status} ${await e.text()}` : (e && e.stack) || String(e);
  console.error('client call failed: ' + detail);
  process.exit(1);
});
