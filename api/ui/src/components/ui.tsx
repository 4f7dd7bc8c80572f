// Small building blocks shared by every screen: data loading, form fields with their API errors, pager, switch,
// copy button, and the live region where failures of actions without a form are announced.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';

// ---- data loading --------------------------------------------------------------------------------------------

export interface Async<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
  setData: (update: T | ((old: T | undefined) => T)) => void;
}

export function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, { detail: [(error as Error)?.message ?? String(error)] }, String(error));
}

export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load().then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (e) => {
        if (!live) return;
        setError(toApiError(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]); // eslint-disable-line react-hooks/exhaustive-deps
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload, setData: setData as Async<T>['setData'] };
}

/** Loading, failure (with retry) or the content. */
export function Loaded<T>({ state, children }: { state: Async<T>; children: (data: T) => ComponentChildren }) {
  if (state.error && state.data === undefined) {
    return (
      <div class="error-box" role="alert">
        <p>{state.error.message}</p>
        <button type="button" class="secondary" onClick={state.reload}>Try again</button>
      </div>
    );
  }
  if (state.data === undefined) return <p class="muted" aria-busy="true">Loading…</p>;
  return <>{children(state.data)}</>;
}

// ---- announcements ---------------------------------------------------------------------------------------------

type Notice = { id: number; kind: 'error' | 'info'; text: string };
let noticeId = 0;
const noticeListeners = new Set<(n: Notice[]) => void>();
let notices: Notice[] = [];

export function notify(text: string, kind: Notice['kind'] = 'info'): void {
  const notice = { id: ++noticeId, kind, text };
  notices = [...notices, notice].slice(-3);
  noticeListeners.forEach((l) => l(notices));
  if (kind === 'info') setTimeout(() => dismiss(notice.id), 4000);
}

export function notifyError(error: unknown): void {
  notify(toApiError(error).message, 'error');
}

function dismiss(id: number): void {
  notices = notices.filter((n) => n.id !== id);
  noticeListeners.forEach((l) => l(notices));
}

export function Notices() {
  const [items, setItems] = useState<Notice[]>(notices);
  useEffect(() => {
    noticeListeners.add(setItems);
    // A notice posted between this component's first render and this effect would otherwise never be shown.
    setItems(notices);
    return () => void noticeListeners.delete(setItems);
  }, []);
  return (
    <div class="notices">
      <div role="status" aria-live="polite">
        {items.filter((n) => n.kind === 'info').map((n) => <p key={n.id} class="notice info">{n.text}</p>)}
      </div>
      <div role="alert" aria-live="assertive">
        {items.filter((n) => n.kind === 'error').map((n) => (
          <p key={n.id} class="notice error">
            <span>{n.text}</span>
            <button type="button" class="link" aria-label="Dismiss" onClick={() => dismiss(n.id)}>×</button>
          </p>
        ))}
      </div>
    </div>
  );
}

// ---- forms -----------------------------------------------------------------------------------------------------

let fieldSeq = 0;
export function useId(prefix = 'f'): string {
  const ref = useRef<string | undefined>(undefined);
  if (!ref.current) ref.current = `${prefix}${++fieldSeq}`;
  return ref.current;
}

/** Runs a submit: keeps the error for the fields to show, and a busy flag. */
export function useSubmit<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const run = async (...args: A) => {
    setBusy(true);
    setError(undefined);
    try {
      await action(...args);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run, setError };
}

export function FieldMessages({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <p class="field-error" id={id}>
      {messages.join(' ')}
    </p>
  );
}

interface FieldProps {
  label: ComponentChildren;
  /** The API's name for this field: its messages are shown here. */
  name?: string;
  error?: ApiError;
  hint?: ComponentChildren;
  children: (props: { id: string; 'aria-invalid'?: 'true'; 'aria-describedby'?: string; name?: string }) => ComponentChildren;
  class?: string;
}

/** A labelled control with its hint and the API's messages for its field. */
export function Field({ label, name, error, hint, children, class: cls }: FieldProps) {
  const id = useId();
  const messages = name && error ? error.for(name) : [];
  const described = [hint ? `${id}-hint` : '', messages.length ? `${id}-err` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field ${cls ?? ''}`}>
      <label for={id}>{label}</label>
      {children({ id, name, ...(messages.length ? { 'aria-invalid': 'true' } : {}), ...(described ? { 'aria-describedby': described } : {}) })}
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      <FieldMessages id={`${id}-err`} messages={messages} />
    </div>
  );
}

/** Form-level messages: `detail`, `non_field_errors`, and any field the form does not show itself. */
export function FormErrors({ error, shown = [] }: { error?: ApiError; shown?: string[] }) {
  if (!error) return null;
  const lines: string[] = [];
  for (const [field, messages] of Object.entries(error.fields)) {
    if (shown.includes(field)) continue;
    if (field === 'detail' || field === 'non_field_errors') lines.push(...messages);
    else lines.push(`${field}: ${messages.join(' ')}`);
  }
  if (lines.length === 0 && Object.keys(error.fields).length === 0) lines.push(error.message);
  if (lines.length === 0) return null;
  return (
    <div class="error-box" role="alert">
      {lines.map((l, i) => <p key={i}>{l}</p>)}
    </div>
  );
}

// ---- controls --------------------------------------------------------------------------------------------------

export function Switch(props: { checked: boolean; label: string; onChange: (next: boolean) => void; disabled?: boolean; id?: string }) {
  return (
    <button
      type="button"
      role="switch"
      id={props.id}
      class={`switch ${props.checked ? 'on' : ''}`}
      aria-checked={props.checked}
      aria-label={props.label}
      disabled={props.disabled}
      onClick={() => props.onChange(!props.checked)}
    >
      <span class="knob" aria-hidden="true" />
    </button>
  );
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard API unavailable (insecure context): fall back to a selection copy.
      const area = document.createElement('textarea');
      area.value = text;
      document.body.appendChild(area);
      area.select();
      const ok = document.execCommand('copy');
      area.remove();
      if (!ok) {
        notify('Copying failed: select the text and copy it by hand.', 'error');
        return;
      }
    }
    setDone(true);
    setTimeout(() => setDone(false), 1500);
  };
  return (
    <button type="button" class="secondary small" onClick={copy} aria-live="polite">
      {done ? 'Copied' : label}
    </button>
  );
}

export function Pager({ count, page, pageSize, onPage }: { count: number; page: number; pageSize: number; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(count / pageSize));
  if (count <= pageSize && page === 1) return <p class="muted small">{count} {count === 1 ? 'item' : 'items'}</p>;
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" class="secondary small" disabled={page <= 1} onClick={() => onPage(page - 1)}>Previous</button>
      <span>
        Page {page} of {pages} · {count} items
      </span>
      <button type="button" class="secondary small" disabled={page >= pages} onClick={() => onPage(page + 1)}>Next</button>
    </nav>
  );
}

export function PageHeader({ title, children }: { title: ComponentChildren; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <h1 tabIndex={-1}>{title}</h1>
      {children && <div class="actions">{children}</div>}
    </header>
  );
}

/** A disclosure panel for create forms: closed by default, focus goes into it when opened. */
export function Disclosure({ label, children, open: initial = false }: { label: string; children: (close: () => void) => ComponentChildren; open?: boolean }) {
  const [open, setOpen] = useState(initial);
  const ref = useRef<HTMLDivElement>(null);
  // Opens once the caller learns it should (e.g. an empty list has loaded).
  useEffect(() => {
    if (initial) setOpen(true);
  }, [initial]);
  useEffect(() => {
    if (open) ref.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, [open]);
  return (
    <div class="disclosure">
      <button type="button" class={open ? 'secondary' : ''} aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Cancel' : label}
      </button>
      {open && <div class="panel" ref={ref}>{children(() => setOpen(false))}</div>}
    </div>
  );
}

export const valueOf = (e: Event) => (e.currentTarget as HTMLInputElement).value;

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
