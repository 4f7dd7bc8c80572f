// Core's older trait endpoints: /traits/, /traits/bulk/ and /traits/increment-value/ (FLAGSMITH-COMPAT.md §1.7).
import { ForbiddenError, ValidationError } from '../../domain/errors';
import { TraitFloat, plainTraitValue } from '../../domain/traits';
import type { Store } from '../../store/store';
import { applyTraitChanges, ensureIdentity, listTraits } from '../../store/repositories/identities';
import type { EnvironmentView, KeyKind } from './environment-view';
import { toTraitKey, toTraitValue } from './trait-input';

export class TraitsNotPersistedError extends ForbiddenError {
  constructor() {
    super('Organisation is configured to not persist traits.');
  }
}

function checkAllowed(view: EnvironmentView, kind: KeyKind): void {
  if (!view.organisation.persist_trait_data) throw new TraitsNotPersistedError();
  if (kind === 'client' && !view.environment.allow_client_traits) {
    throw ValidationError.field('trait_key', 'Setting traits is not allowed with a client-side key in this environment.');
  }
}

interface TraitItem {
  identifier: string;
  key: string;
  value: ReturnType<typeof toTraitValue>;
}

function parseItem(raw: unknown, field: string): TraitItem {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw ValidationError.field(field.replace(/\.$/, '') || 'non_field_errors', 'Expected an object.');
  const body = raw as Record<string, unknown>;
  const identity = body.identity as Record<string, unknown> | undefined;
  const identifier = identity && typeof identity === 'object' ? identity.identifier : undefined;
  if (typeof identifier !== 'string' || identifier.length === 0) throw ValidationError.field(`${field}identity.identifier`.replace(/^\./, ''), 'This field is required.');
  if (identifier.length > 2000) throw ValidationError.field('identity.identifier', 'Ensure this field has at most 2000 characters.');
  return { identifier, key: toTraitKey(body.trait_key, 'trait_key'), value: toTraitValue(body.trait_value, 'trait_value') };
}

function echo(item: TraitItem) {
  return { identity: { identifier: item.identifier }, trait_key: item.key, trait_value: item.value === null ? null : plainTraitValue(item.value) };
}

async function save(store: Store, view: EnvironmentView, items: TraitItem[]): Promise<void> {
  try {
    await store.connection.db.transaction().execute(async (trx) => {
      for (const item of items) {
        const identity = await ensureIdentity(trx, store.traits, view.environmentId, item.identifier);
        await applyTraitChanges(trx, identity.id, [{ key: item.key, value: item.value }]);
      }
    });
  } finally {
    // After the commit (or a failure whose outcome is unknown): the identity cache drops these identities.
    changed(store, view, items.map((i) => i.identifier));
  }
}

function changed(store: Store, view: EnvironmentView, identifiers: string[]): void {
  store.identitiesChanged([...new Set(identifiers)].map((identifier) => ({ environmentId: view.environmentId, identifier })));
}

export async function setTrait(store: Store, view: EnvironmentView, kind: KeyKind, body: unknown) {
  checkAllowed(view, kind);
  const item = parseItem(body, '');
  await save(store, view, [item]);
  return echo(item);
}

export async function setTraitsBulk(store: Store, view: EnvironmentView, kind: KeyKind, body: unknown) {
  checkAllowed(view, kind);
  if (!Array.isArray(body)) throw new ValidationError({ detail: ['Invalid request data'] });
  let items: TraitItem[];
  try {
    items = body.map((raw, i) => parseItem(raw, `[${i}].`));
  } catch {
    throw new ValidationError({ detail: ['Invalid request data'] });
  }
  await save(store, view, items);
  return items.map(echo);
}

export async function incrementTrait(store: Store, view: EnvironmentView, kind: KeyKind, body: unknown) {
  checkAllowed(view, kind);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw ValidationError.field('trait_key', 'This field is required.');
  const b = body as Record<string, unknown>;
  const key = toTraitKey(b.trait_key, 'trait_key');
  if (typeof b.identifier !== 'string' || b.identifier.length === 0 || b.identifier.length > 2000) throw ValidationError.field('identifier', 'A non-empty string of at most 2000 characters is required.');
  if (typeof b.increment_by !== 'number' || !Number.isSafeInteger(b.increment_by)) throw ValidationError.field('increment_by', 'A valid integer is required.');
  const identifier = b.identifier;
  const incrementBy = b.increment_by;
  let value: number;
  try {
    value = await store.connection.db.transaction().execute(async (trx) => {
      const identity = await ensureIdentity(trx, store.traits, view.environmentId, identifier);
      const current = (await listTraits(trx, identity.id)).find((t) => t.key === key);
      const base = current?.value ?? 0;
      if (typeof base !== 'number' || !Number.isInteger(base) || (base as unknown) instanceof TraitFloat) {
        throw ValidationError.field('trait_key', 'Trait is not an integer.');
      }
      const next = base + incrementBy;
      await applyTraitChanges(trx, identity.id, [{ key, value: next }]);
      return next;
    });
  } finally {
    changed(store, view, [identifier]);
  }
  return { trait_key: key, trait_value: value, identifier };
}
