// Publishing a committed change request: its items written to feature states and segments, in the caller's write
// (so with the audit row and the version bump). `claimForPublish` makes sure this happens once per request.
import type { WriteScope } from '../../store/store';
import type { ChangeRequestRecord } from '../../store/repositories/change-requests';
import { claimForPublish } from '../../store/repositories/change-requests';
import { findFeatureStateByScope, replaceMultivariateStateValues, updateFeatureState } from '../../store/repositories/feature-states';
import { updateSegment } from '../../store/repositories/segments';

/** Applies a request's items if this caller wins the claim; returns whether it published. */
export async function publishChangeRequest(w: WriteScope, cr: ChangeRequestRecord, at: Date): Promise<boolean> {
  if (!(await claimForPublish(w.trx, cr.id, at))) return false;
  let skipped = 0;
  for (const item of cr.items) {
    if (item.kind === 'segment') {
      await updateSegment(w.trx, item.segmentId, item.change);
      w.touchProject(cr.projectId);
      continue;
    }
    const state = await findFeatureStateByScope(w.trx, item.featureId, cr.environmentId!, item.featureSegmentId, null);
    if (!state) {
      // The override was deleted after the request was made: nothing left to change.
      skipped++;
      continue;
    }
    await updateFeatureState(w.trx, state.id, { enabled: item.change.enabled, value: item.change.value });
    if (item.change.weights) await replaceMultivariateStateValues(w.trx, state.id, item.change.weights);
    w.touchEnvironments(cr.environmentId!);
  }
  w.audit({
    action: 'publish',
    resourceType: 'change_request',
    resourceId: cr.id,
    projectId: cr.projectId,
    environmentId: cr.environmentId,
    log: `Change request published: ${cr.title}${skipped ? ` (${skipped} item(s) skipped: their override no longer exists)` : ''}`,
  });
  return true;
}
