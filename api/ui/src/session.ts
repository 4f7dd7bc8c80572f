// The signed-in user, shared by the shell and the screens.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { User } from './types';

export interface SessionState {
  user: User;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a session');
  return s;
}
