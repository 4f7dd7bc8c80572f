// What an environment gets when neither it nor `defaults` says otherwise. `prod: true` shifts the defaults
// to the safe side (deletion protection, final snapshots, a standby, longer backups, more instances);
// explicit values still win.
import { deepMerge, isPlainObject, type PlainObject } from './merge';

export function withBuiltinDefaults(merged: PlainObject, project: string): PlainObject {
  const prod = merged.prod === true;
  const packaging = merged.packaging ?? 'container';
  const scaling = isPlainObject(merged.scaling) ? merged.scaling : {};
  const min = typeof scaling.min === 'number' ? scaling.min : packaging === 'function' ? 0 : prod ? 2 : 1;
  const builtin: PlainObject = {
    packaging: 'container',
    database: {
      engine: 'postgres',
      size: prod ? 'medium' : 'small',
      storageGb: prod ? 100 : 20,
      highAvailability: prod,
      backupRetentionDays: prod ? 30 : 7,
      deletionProtection: prod,
      snapshotOnDelete: prod,
      aurora: false,
    },
    // A max below an explicit min would only produce a confusing error about a value nobody wrote.
    scaling: { min, max: Math.max(prod ? 10 : 2, min), cpu: 0.5, memoryMb: 1024 },
    auth: { allowSignup: false },
    nodeVersion: 22,
    tags: {},
    prod: false,
  };
  const out = deepMerge(builtin, merged) as PlainObject;
  if (isPlainObject(out.appDynamics)) {
    const appd = out.appDynamics;
    if (appd.ssl === undefined) appd.ssl = true;
    if (appd.controllerPort === undefined) appd.controllerPort = appd.ssl === false ? 8090 : 443;
  }
  return { project, ...out };
}
