// Calls every method of Faraday's client (@fdy/faraday-js) that belongs to the v1 subset Personae implements, against a
// Personae base URL after the tutorial, and prints one JSON object: per method, "ok" or what it threw (the HTTP status
// and body, or the error). The Java test decides which throws are by design.
// Usage: node every-method.js <client folder> <base url> <key> <dataset id> <cohort id> <persona set id> <scope id> <target id>
const [clientDir, basePath, key, datasetId, cohortId, personaSetId, scopeId, targetId] = process.argv.slice(2);
const fdy = require(require.resolve('@fdy/faraday-js', { paths: [clientDir] }));

(async () => {
  const c = new fdy.FaradayClient(new fdy.Configuration({ basePath, accessToken: key }));
  const out = {};
  async function call(name, f) {
    try {
      const v = await f();
      out[name] = 'ok';
      return v;
    } catch (e) {
      out[name] = e && typeof e.text === 'function' ? `${e.status} ${await e.text()}` : String(e && e.stack || e);
      return undefined;
    }
  }

  // accounts
  const me = await call('getCurrentAccount', () => c.accounts.getCurrentAccount());
  await call('getAccounts', () => c.accounts.getAccounts());
  await call('getAccount', () => c.accounts.getAccount(me.id));
  const sub = await call('createAccount', () => c.accounts.createAccount({ name: 'Client subaccount' }));
  await call('updateAccount', () => c.accounts.updateAccount(sub.id, { name: 'Client subaccount renamed' }));
  await call('deleteAccount', () => c.accounts.deleteAccount(sub.id));

  // uploads
  const csv = 'email,order_date,total\nclient@example.com,2024-01-02,12.5\n';
  await call('createUpload', () => c.uploads.createUpload('client_dir', 'one.csv', new Blob([csv])));
  await call('getUploads', () => c.uploads.getUploads());
  const blob = await call('getUpload', () => c.uploads.getUpload('client_dir', 'one.csv'));
  out.upload_round_trip = blob ? (await blob.text()) === csv : false;

  // datasets and streams
  await call('getDatasets', () => c.datasets.getDatasets());
  await call('getDataset', () => c.datasets.getDataset(datasetId));
  const ds = await call('createDataset', () => c.datasets.createDataset({ name: 'client dataset',
    options: { type: 'hosted_csv', upload_directory: 'client_dir' },
    identity_sets: { customer: { email: 'email' } },
    output_to_streams: { client_orders: { data_map: { datetime: { column_name: 'order_date', format: 'date_iso8601' },
      value: { column_name: 'total' } } } } }));
  await call('updateDataset', () => c.datasets.updateDataset(ds.id, { name: 'client dataset renamed' }));
  await call('getStreams', () => c.streams.getStreams());
  await call('getStream', () => c.streams.getStream('client_orders'));
  await call('findOrCreateStream', () => c.streams.findOrCreateStream('client_empty_stream'));
  await call('deleteStream', () => c.streams.deleteStream('client_empty_stream'));

  // cohorts
  await call('getCohorts', () => c.cohorts.getCohorts());
  await call('getCohort', () => c.cohorts.getCohort(cohortId));
  const cohort = await call('createCohort', () => c.cohorts.createCohort({ name: 'Client cohort', stream_name: 'client_orders' }));
  await call('updateCohort', () => c.cohorts.updateCohort(cohort.id, { name: 'Client cohort renamed' }));

  // persona sets
  await call('getPersonaSets', () => c.personaSets.getPersonaSets());
  const set = await call('getPersonaSet', () => c.personaSets.getPersonaSet(personaSetId));
  const persona = set.personas[0];
  await call('updatePersona', () => c.personaSets.updatePersona(personaSetId, persona.id, { name: persona.name }));
  const ps = await call('createPersonaSet', () => c.personaSets.createPersonaSet({ name: 'Client personas', cohort_id: cohort.id }));
  await call('updatePersonaSet', () => c.personaSets.updatePersonaSet(ps.id, { name: 'Client personas renamed' }));

  // scopes
  await call('getScopes', () => c.scopes.getScopes());
  await call('getScope', () => c.scopes.getScope(scopeId));
  await call('getScopeDatasets', () => c.scopes.getScopeDatasets(scopeId));
  await call('getScopePayloadCohorts', () => c.scopes.getScopePayloadCohorts(scopeId));
  await call('getScopePayloadOutcomes', () => c.scopes.getScopePayloadOutcomes(scopeId));
  await call('getScopePayloadPersonaSets', () => c.scopes.getScopePayloadPersonaSets(scopeId));
  await call('getScopePayloadRecommenders', () => c.scopes.getScopePayloadRecommenders(scopeId));
  await call('getScopePopulationCohorts', () => c.scopes.getScopePopulationCohorts(scopeId));
  await call('getScopePopulationExclusionCohorts', () => c.scopes.getScopePopulationExclusionCohorts(scopeId));
  await call('getScopeTargets', () => c.scopes.getScopeTargets(scopeId));
  const scope = await call('createScope', () => c.scopes.createScope({ name: 'Client scope',
    population: { cohort_ids: [cohortId] }, payload: { persona_set_ids: [personaSetId] }, preview: true }));
  await call('updateScope', () => c.scopes.updateScope(scope.id, { name: 'Client scope renamed' }));

  // targets
  await call('getTargets', () => c.targets.getTargets());
  await call('getTarget', () => c.targets.getTarget(targetId));
  const csvOut = await call('downloadTarget', () => c.targets.downloadTarget(targetId));
  out.download_rows = typeof csvOut === 'string' ? csvOut.trim().split('\n').length - 1 : -1;
  const target = await call('createTarget', () => c.targets.createTarget({ name: 'Client target', scope_id: scopeId,
    options: { type: 'hosted_csv' }, representation: { mode: 'hashed' } }));
  await call('updateTarget', () => c.targets.updateTarget(target.id, { name: 'Client target renamed' }));
  await call('createTargetPreview', () => c.targets.createTargetPreview(target.id));
  await call('lookupOnTarget', () => c.targets.lookupOnTarget(targetId, { email: 'nobody@example.com' }));

  // traits (the other script calls them all with their analysis; one list here)
  await call('getTraits', () => c.traits.getTraits());

  // deletions last, dependents first
  await call('deleteTarget', () => c.targets.deleteTarget(target.id));
  await call('deleteScope', () => c.scopes.deleteScope(scope.id));
  await call('deletePersonaSet', () => c.personaSets.deletePersonaSet(ps.id));
  await call('deleteCohort', () => c.cohorts.deleteCohort(cohort.id));
  await call('deleteDataset', () => c.datasets.deleteDataset(ds.id));
  await call('deleteUpload', () => c.uploads.deleteUpload('client_dir', 'one.csv'));
  console.log(JSON.stringify(out));
})().catch(e => {
  console.error('the script itself failed: ' + ((e && e.stack) || String(e)));
  process.exit(1);
});
