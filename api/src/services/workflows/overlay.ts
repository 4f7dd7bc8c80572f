// Committed changes whose time has come but that the scheduler has not yet written are applied in memory to the
// environment snapshot, so a scheduled change goes live at its live_from even between scheduler runs.
import type { EnvironmentSnapshot } from '../../store/repositories/environment-snapshot';
import type { ChangeRequestRecord } from '../../store/repositories/change-requests';

export function overlayChanges(snapshot: EnvironmentSnapshot, pending: ChangeRequestRecord[], now: Date): void {
  for (const cr of pending) {
    if (!cr.liveFrom || cr.liveFrom > now) {
      if (cr.liveFrom && (!snapshot.nextLiveFrom || cr.liveFrom < snapshot.nextLiveFrom)) snapshot.nextLiveFrom = cr.liveFrom;
      continue;
    }
    for (const item of cr.items) {
      if (item.kind === 'segment') {
        snapshot.segments = snapshot.segments.map((s) => (s.id === item.segmentId ? { ...s, ...definedOnly(item.change) } : s));
        continue;
      }
      const index = snapshot.states.findIndex(
        (s) => s.featureId === item.featureId && s.identityId === null && s.featureSegmentId === item.featureSegmentId,
      );
      if (index < 0) continue;
      const state = snapshot.states[index]!;
      snapshot.states[index] = {
        ...state,
        enabled: item.change.enabled ?? state.enabled,
        value: item.change.value === undefined ? state.value : item.change.value,
      };
      if (item.change.weights) {
        const current = snapshot.stateValues.filter((v) => v.featureStateId === state.id);
        snapshot.stateValues = snapshot.stateValues.filter((v) => v.featureStateId !== state.id);
        for (const w of item.change.weights) {
          const existing = current.find((c) => c.multivariateOptionId === w.multivariateOptionId);
          snapshot.stateValues.push({
            id: existing?.id ?? -w.multivariateOptionId,
            uuid: existing?.uuid ?? `00000000-0000-4000-8000-${String(w.multivariateOptionId).padStart(12, '0')}`,
            featureStateId: state.id,
            multivariateOptionId: w.multivariateOptionId,
            percentageAllocation: w.percentageAllocation,
          });
        }
      }
    }
  }
}

function definedOnly<T extends object>(change: T): Partial<T> {
  return Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as Partial<T>;
}
