import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index';
import { addMonths } from '../lib/time';

/* ---------- notices: one polite live region for the whole app ---------- */

export type NoticeKind = 'success' | 'error' | 'info';
export interface NoticeItem {
  id: number;
  kind: NoticeKind;
  text: string;
}
export const NoticeContext = createContext<(text: string, kind?: NoticeKind) => void>(() => {});
export const useNotify = () => useContext(NoticeContext);

export function NoticeArea({ items, onDismiss }: { items: NoticeItem[]; onDismiss(id: number): void }) {
  const { t } = useI18n();
  return (
    <div class="notices" role="status" aria-live="polite">
      {items.map((n) => (
        <div key={n.id} class={`notice notice-${n.kind}`}>
          <span>{n.text}</span>
          <button type="button" class="notice-close" onClick={() => onDismiss(n.id)} aria-label={t('common.close')}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/* ---------- loading and errors ---------- */

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="loading" role="status">
      {t('app.loading')}
    </p>
  );
}

export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  const { errorText } = useI18n();
  if (!error) return null;
  return (
    <div class="alert alert-error" role="alert">
      {title && <strong>{title} </strong>}
      {errorText(error)}
    </div>
  );
}

/* ---------- page frame ---------- */

/** Set by an in-app navigation: the next page heading to appear takes the focus (pages may load lazily). */
let headingFocusPending = false;
export function focusNextHeading() {
  const heading = document.getElementById('page-title');
  if (heading) heading.focus();
  else headingFocusPending = true;
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (headingFocusPending) {
      headingFocusPending = false;
      ref.current?.focus();
    }
  }, []);
  return (
    <div class="page-header">
      <h1 tabIndex={-1} id="page-title" ref={ref}>
        {title}
      </h1>
      {children && <div class="page-actions">{children}</div>}
    </div>
  );
}

/* ---------- modal dialog (native <dialog>: focus trap, Escape and focus return for free) ---------- */

export function Dialog(props: { title: string; open: boolean; onClose(): void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const { t } = useI18n();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      dialog.showModal();
      // A form opens on its first field, not on the close button.
      dialog.querySelector<HTMLElement>('form :is(input:not([type=hidden]), select, textarea)')?.focus();
    }
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  const titleId = useId('dialog-title');
  return (
    <dialog
      ref={ref}
      class={props.wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      {props.open && (
        <div class="dialog-body">
          <div class="dialog-head">
            <h2 id={titleId}>{props.title}</h2>
            <button type="button" class="icon-button" onClick={props.onClose} aria-label={t('common.close')}>
              ×
            </button>
          </div>
          {props.children}
        </div>
      )}
    </dialog>
  );
}

let idCounter = 0;
/** A stable unique id for label/aria wiring. */
export function useId(prefix: string): string {
  const ref = useRef<string | null>(null);
  if (!ref.current) ref.current = `${prefix}-${++idCounter}`;
  return ref.current;
}

/* ---------- confirmation, as a dialog rather than window.confirm ---------- */

type ConfirmFn = (message: string, confirmLabel?: string, dismissLabel?: string) => Promise<boolean>;
export const ConfirmContext = createContext<ConfirmFn>(async () => false);
export const useConfirm = () => useContext(ConfirmContext);

export function ConfirmProvider({ children }: { children: ComponentChildren }) {
  const { t } = useI18n();
  const [state, setState] = useState<{ message: string; label: string; dismiss: string; resolve(ok: boolean): void } | null>(null);
  const confirm = useCallback<ConfirmFn>(
    (message, label, dismiss) =>
      new Promise<boolean>((resolve) => setState({ message, label: label ?? t('common.confirm'), dismiss: dismiss ?? t('common.cancel'), resolve })),
    [t],
  );
  const answer = (ok: boolean) => {
    state?.resolve(ok);
    setState(null);
  };
  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      <Dialog title={t('common.confirm')} open={state !== null} onClose={() => answer(false)}>
        <p>{state?.message}</p>
        <div class="form-actions">
          <button type="button" class="button" onClick={() => answer(false)}>
            {state?.dismiss}
          </button>
          <button type="button" class="button button-primary" onClick={() => answer(true)}>
            {state?.label}
          </button>
        </div>
      </Dialog>
    </ConfirmContext.Provider>
  );
}

/* ---------- month picker ---------- */

export function MonthPicker({ value, onChange, max }: { value: string; onChange(month: string): void; max?: string }) {
  const { t, month } = useI18n();
  return (
    <div class="month-picker" role="group" aria-label={t('common.month')}>
      <button type="button" class="button" onClick={() => onChange(addMonths(value, -1))} aria-label={t('common.previousMonth')}>
        ‹
      </button>
      <span class="month-label" aria-live="polite" data-month={value}>
        {month(value)}
      </span>
      <button
        type="button"
        class="button"
        onClick={() => onChange(addMonths(value, 1))}
        aria-label={t('common.nextMonth')}
        disabled={max !== undefined && value >= max}
      >
        ›
      </button>
    </div>
  );
}

/* ---------- form fields ---------- */

type InputProps = InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string };

export function Field({ label, hint, id: givenId, ...rest }: InputProps & { id?: string }) {
  const auto = useId('field');
  const id = (givenId as string | undefined) ?? auto;
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} aria-describedby={hintId} {...rest} />
      {hint && (
        <small id={hintId} class="hint">
          {hint}
        </small>
      )}
    </div>
  );
}

export function SelectField(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  options: { value: string; label: string }[];
  required?: boolean;
  id?: string;
  disabled?: boolean;
}) {
  const auto = useId('select');
  const id = props.id ?? auto;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} value={props.value} required={props.required} disabled={props.disabled} onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxField(props: { label: string; checked: boolean; onChange(checked: boolean): void; id?: string }) {
  const auto = useId('check');
  const id = props.id ?? auto;
  return (
    <div class="field field-check">
      <input id={id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)} />
      <label for={id}>{props.label}</label>
    </div>
  );
}

export function StatusBadge({ kind, children }: { kind: string; children: ComponentChildren }) {
  return <span class={`badge badge-${kind}`}>{children}</span>;
}

/**
 * A link to a PDF (or other file) produced by the API: a plain download, no script involved. `context` tells
 * screen-reader users which document it is, after the visible text (so the accessible name contains it).
 */
export function DownloadLink({ href, children, context }: { href: string; children: ComponentChildren; context?: string }) {
  return (
    <a class="button button-small" href={href} download>
      {children}
      {context && <span class="visually-hidden"> — {context}</span>}
    </a>
  );
}

/** A table that may scroll sideways: focusable and labelled, so keyboard users can scroll it too. */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}

/* ---------- forms: submit state, footer buttons, row edit button ---------- */

/**
 * A form's submit handler with its error and busy state. `run` throws to show a problem: an API error, or a
 * local check (`throw new Error(t('…'))`) before any request.
 */
export function useFormSubmit(run: () => Promise<void>) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    setBusy(true);
    try {
      await run();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, onSubmit };
}

/** Cancel and submit at the foot of a dialog's form; `children` are extra buttons placed first. */
export function FormActions(props: { onCancel(): void; submitLabel: string; busy?: boolean; describedBy?: string; children?: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <div class="form-actions">
      {props.children}
      <button type="button" class="button" onClick={props.onCancel}>
        {t('common.cancel')}
      </button>
      <button type="submit" class="button button-primary" disabled={props.busy} aria-describedby={props.describedBy}>
        {props.submitLabel}
      </button>
    </div>
  );
}

/** The "Edit" button of a table row; `label` names the row for screen readers. */
export function EditButton({ label, onClick }: { label?: string; onClick(): void }) {
  const { t } = useI18n();
  return (
    <button type="button" class="button button-small" onClick={onClick} aria-label={label}>
      {t('common.edit')}
    </button>
  );
}
