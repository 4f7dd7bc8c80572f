// Who is acting: a signed-in user, an organisation API key, or the system itself (migrations, jobs, first start).

export type Actor =
  | { type: 'user'; userId: number; email: string; isSuperuser: boolean }
  | { type: 'api_key'; keyId: number; organisationId: number; isAdmin: boolean; name: string }
  | { type: 'system'; name: string };

export function actorLabel(actor: Actor): string {
  switch (actor.type) {
    case 'user':
      return actor.email;
    case 'api_key':
      return `api-key:${actor.name}`;
    case 'system':
      return `system:${actor.name}`;
  }
}

export const SYSTEM_ACTOR: Actor = { type: 'system', name: 'flagstack' };
