// The Store: one database connection plus the single write path. `store.write()` runs a change, its audit-log rows
// and the version bump of every environment whose SDK answers it affects, in one transaction; after the commit it tells
// in-process listeners (the environment-document cache) which environments changed.
import type { Transaction } from 'kysely';
import type { Actor } from '../domain/actor';
import { actorLabel } from '../domain/actor';
import type { Connection, EngineTraits } from './connect';
import type { Database } from './schema';
import type { Executor } from './rows';
import { isSqliteBusy } from './sqlite-connection';

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId?: string | number | null;
  log: string;
  organisationId?: number | null;
  projectId?: number | null;
  environmentId?: number | null;
  before?: unknown;
  after?: unknown;
}

export interface WriteScope {
  trx: Transaction<Database>;
  traits: EngineTraits;
  actor: Actor;
  audit(entry: AuditEntry): void;
  /** Marks environments whose SDK answers change, so their version is bumped in this transaction. */
  touchEnvironments(...environmentIds: number[]): void;
  /** Marks every environment of a project (feature and segment changes affect them all). */
  touchProject(projectId: number): void;
  /** Marks an identity whose identity row or traits this transaction changes (the identity cache drops it after the commit). */
  touchIdentity(environmentId: number, identifier: string): void;
}

/** An identity by what the SDK endpoints look it up by. */
export interface IdentityRef {
  environmentId: number;
  identifier: string;
}

export interface RequestMeta {
  ip?: string | null;
}

type ChangeListener = (environmentIds: number[]) => void;
type IdentityListener = (identities: IdentityRef[]) => void;

export class Store {
  private readonly listeners = new Set<ChangeListener>();
  private readonly identityListeners = new Set<IdentityListener>();

  constructor(readonly connection: Connection) {}

  get db(): Executor {
    return this.connection.db;
  }

  get traits(): EngineTraits {
    return this.connection.traits;
  }

  onEnvironmentsChanged(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Listeners told, after the commit, of identities whose row or traits a write changed (or may have changed: a write
   * whose outcome is unknown is reported too). The identity cache drops them; the PostgreSQL change feed tells the
   * other processes.
   */
  onIdentitiesChanged(listener: IdentityListener): () => void {
    this.identityListeners.add(listener);
    return () => this.identityListeners.delete(listener);
  }

  /** Reports identities changed by a write that did not go through `write()` (the SDK's trait writes), after its commit. */
  identitiesChanged(identities: IdentityRef[]): void {
    if (identities.length === 0) return;
    for (const listener of this.identityListeners) listener(identities);
  }

  async write<T>(actor: Actor, fn: (scope: WriteScope) => Promise<T>, meta: RequestMeta = {}): Promise<T> {
    // SQLite allows one writer at a time; a transaction that finds the database busy is retried after a short,
    // jittered pause (about 10 s in all), yielding so the writer holding the lock can finish.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.writeOnce(actor, fn, meta);
      } catch (error) {
        if (this.traits.engine !== 'sqlite' || !isSqliteBusy(error) || attempt >= 200) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 45));
      }
    }
  }

  private async writeOnce<T>(actor: Actor, fn: (scope: WriteScope) => Promise<T>, meta: RequestMeta): Promise<T> {
    const touchedEnvironments = new Set<number>();
    const touchedProjects = new Set<number>();
    const touchedIdentities: IdentityRef[] = [];
    const auditRows: AuditEntry[] = [];
    let result: T;
    try {
      result = await this.transaction(actor, meta, touchedEnvironments, touchedProjects, touchedIdentities, auditRows, fn);
    } finally {
      // Also after a failure: a commit whose acknowledgement was lost must not leave a cached identity behind.
      this.identitiesChanged(touchedIdentities);
    }
    if (touchedEnvironments.size > 0) this.emit([...touchedEnvironments]);
    return result;
  }

  private transaction<T>(
    actor: Actor,
    meta: RequestMeta,
    touchedEnvironments: Set<number>,
    touchedProjects: Set<number>,
    touchedIdentities: IdentityRef[],
    auditRows: AuditEntry[],
    fn: (scope: WriteScope) => Promise<T>,
  ): Promise<T> {
    return this.connection.db.transaction().execute(async (trx) => {
      const scope: WriteScope = {
        trx,
        traits: this.traits,
        actor,
        audit: (entry) => auditRows.push(entry),
        touchEnvironments: (...ids) => ids.forEach((id) => touchedEnvironments.add(id)),
        touchProject: (id) => touchedProjects.add(id),
        touchIdentity: (environmentId, identifier) => touchedIdentities.push({ environmentId, identifier }),
      };
      const value = await fn(scope);
      if (touchedProjects.size > 0) {
        const rows = await trx.selectFrom('environments').select('id').where('project_id', 'in', [...touchedProjects]).execute();
        rows.forEach((r) => touchedEnvironments.add(r.id));
      }
      const now = new Date();
      if (touchedEnvironments.size > 0) {
        await trx
          .updateTable('environments')
          .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
          .where('id', 'in', [...touchedEnvironments])
          .execute();
      }
      if (auditRows.length > 0) {
        await trx
          .insertInto('audit_log')
          .values(auditRows.map((entry) => toAuditRow(entry, actor, now, meta)))
          .execute();
      }
      return value;
    });
  }

  /** Tells listeners about changes this process did not make itself (e.g. found by polling). */
  emit(environmentIds: number[]): void {
    for (const listener of this.listeners) listener(environmentIds);
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}

const MAX_LOG = 1000;

function toAuditRow(entry: AuditEntry, actor: Actor, now: Date, meta: RequestMeta) {
  return {
    created_at: now,
    organisation_id: entry.organisationId ?? null,
    project_id: entry.projectId ?? null,
    environment_id: entry.environmentId ?? null,
    actor_type: actor.type,
    actor_id: actor.type === 'user' ? actor.userId : actor.type === 'api_key' ? actor.keyId : null,
    actor_label: actorLabel(actor).slice(0, 300),
    action: entry.action,
    resource_type: entry.resourceType,
    resource_id: entry.resourceId === undefined || entry.resourceId === null ? null : String(entry.resourceId),
    log: entry.log.slice(0, MAX_LOG),
    before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
    after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
    ip: meta.ip ?? null,
  };
}
