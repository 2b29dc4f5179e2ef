import type { DesignEnvironmentDoc, DesignEvent, DesignEventAnswer, DesignSaveEvent, ErrorBody } from '../../schema/index.ts';
import { canChangeDesign, hasPendingSave, importVersion, newestVersion } from '../../rules/index.ts';
import type { Queryable } from '../db/database.ts';
import { loadDocumentsByField, lockStoreSequence } from '../db/documents.ts';
import type { PortalAccount } from './accounts.ts';
import { DesignState } from './design-state.ts';
import { markCredentialsChanged, storeUserOf } from './links.ts';
import { priceSave } from './pricing.ts';
import { InvalidDocument } from '../validation/documents.ts';

export interface EventAnswer {
  status: number;
  body: DesignEventAnswer | ErrorBody;
}

/** Where the store system shows the environment (negotiation) or the project's review (DES-06). */
export function storeOpenUrl(env: DesignEnvironmentDoc): string {
  return env.stage === 'negotiating' ? `balcao://design/environments/${encodeURIComponent(env.id)}` : `balcao://design/projects/${encodeURIComponent(env.projectId)}/review`;
}

/**
 * Applies one portal event inside the caller's transaction. The answer is stored with the event id by
 * the caller, so a redelivered event gets it again and changes nothing.
 */
export async function applyDesignEvent(tx: Queryable, account: PortalAccount, event: DesignEvent): Promise<EventAnswer> {
  if (event.type === 'user.credentials_changed') {
    await markCredentialsChanged(tx, account.storeId, event.designUserId, event.credentialVersion);
    return { status: 200, body: { accepted: true } };
  }
  try {
    return await applySave(tx, account, event);
  } catch (error) {
    // A save whose budget would break the environment's schema (totals beyond the limits, too many
    // lines) is refused as it is: nothing was written yet (the state is saved last).
    if (!(error instanceof InvalidDocument) && !(error instanceof RangeError)) throw error;
    const detail = error instanceof InvalidDocument ? `field ${error.field} of ${error.collection} ${error.id} ${error.problem}` : error.message;
    return {
      status: 422,
      body: { error: { code: 'validation_failed', message: `Design save ${event.designId} (revision ${event.designRevision}) cannot be priced within the store system's limits: ${detail}. Reduce the quantities or prices in the design software and save again.` } },
    };
  }
}

async function applySave(tx: Queryable, account: PortalAccount, event: DesignSaveEvent): Promise<EventAnswer> {
  const { storeId } = account;
  await lockStoreSequence(tx, storeId);
  const found = [...(await loadDocumentsByField(tx, storeId, 'designEnvironments', ['designEnvironmentId'], [event.designEnvironmentId])).values()].find((doc) => !doc.deleted);
  if (!found) {
    return {
      status: 404,
      body: { error: { code: 'not_found', message: `Environment ${event.designEnvironmentId} is not known to the store system. Create the environment from the store system, or link the legacy project there first.` } },
    };
  }
  const state = new DesignState(storeId, new Date().toISOString());
  await state.load(tx, [], [found.id]);
  let env = state.environments.get(found.id)!;

  const allowed = canChangeDesign(env);
  if (!allowed.ok) {
    const message = `${allowed.error.message} (design save ${event.designId}, revision ${event.designRevision}, refused)`;
    state.history(env.projectId, { kind: 'design_change_refused', environmentId: env.id, note: message });
    await state.save(tx);
    return { status: 409, body: { error: { code: 'design_locked', message } } };
  }

  // An older or repeated announcement changes nothing: revisions, not clocks, order the saves.
  if (event.designRevision > env.latestDesignRevision) {
    const { items } = await priceSave(tx, storeId, event.items);
    env = {
      ...env,
      latestDesignRevision: event.designRevision,
      latestSave: { designRevision: event.designRevision, designId: event.designId, optionName: event.optionName, savedAt: event.savedAt, items },
    };
    state.putEnvironment(env);
  }

  let importedVersion: number | undefined;
  if (event.type === 'environment.negotiate' && env.versions.length === 0 && env.latestSave) {
    // The first "Negotiate" delivers the budget at once (DES-06); later ones announce like a save.
    const save = env.latestSave;
    const importedBy = await storeUserOf(tx, storeId, event.designUserId);
    const added = importVersion(
      env,
      {
        id: `${env.id}-v1`,
        optionName: save.optionName,
        importedAt: state.now,
        ...(importedBy ? { importedBy } : {}),
        designId: save.designId,
        designRevision: save.designRevision,
      },
      save.items,
    );
    if (added.ok) {
      env = added.value;
      importedVersion = newestVersion(env)?.number;
      state.putEnvironment(env);
      state.history(env.projectId, { kind: 'version_imported', environmentId: env.id, versionNumber: importedVersion, note: 'Negotiate' });
    }
  }
  await state.save(tx);
  return {
    status: 200,
    body: {
      accepted: true,
      environmentId: env.id,
      designRevision: env.latestDesignRevision,
      outdated: hasPendingSave(env),
      ...(importedVersion ? { importedVersion } : {}),
      ...(event.type === 'environment.negotiate' ? { openUrl: storeOpenUrl(env) } : {}),
    },
  };
}
