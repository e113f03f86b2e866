// Small pieces every page uses: an error line, a secret shown once, an inline confirmation, a
// form that runs one action, a labelled select.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from './errors';

/** An error in words, announced to screen readers as it appears. */
export function ErrorText({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  return (
    <p class="error" role="alert">
      {describeError(error)}
    </p>
  );
}

/** `run` with a busy flag and its error kept for display; it answers whether the work succeeded. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (work: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

/**
 * A guard for loads that can overlap (a filter changed while the last page is still coming): only
 * the latest one may set state, so an older answer arriving late never replaces a newer one.
 */
export function useLatest() {
  const latest = useRef(0);
  return () => {
    const mine = ++latest.current;
    return () => mine === latest.current;
  };
}

/** A secret the API returns once (an API key, a webhook signing secret), with Copy and the warning. */
export function SecretOnce({ label, value, onDone, children }: { label: string; value: string; onDone: () => void; children?: ComponentChildren }) {
  const [copied, setCopied] = useState('');
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('Copied to the clipboard.');
    } catch {
      // No clipboard permission: select the text so that Ctrl+C copies it.
      const range = document.createRange();
      range.selectNodeContents(document.getElementById('secret-value')!);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      setCopied('Selected: press Ctrl+C (or Cmd+C) to copy.');
    }
  };
  return (
    <section class="secret" aria-labelledby="secret-title" tabIndex={-1} ref={ref}>
      <h2 id="secret-title">{label}</h2>
      <p class="warning">
        <strong>Copy it now.</strong> This is the only time it is shown: it is stored only as a hash, and nobody can show it again.
      </p>
      {children}
      <code id="secret-value" class="secret-value">
        {value}
      </code>
      <div class="row">
        <button type="button" onClick={copy}>
          Copy
        </button>
        <button type="button" class="secondary" onClick={onDone}>
          I have stored it
        </button>
      </div>
      <p role="status">{copied}</p>
    </section>
  );
}

/**
 * A destructive action behind a second, explicit step in the page itself (no window.confirm: it is
 * the same for keyboards and screen readers as any other control).
 */
export function Confirm(props: { label: string; question: string; confirmLabel: string; onConfirm: () => Promise<unknown> | void; children?: ComponentChildren }) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" class="danger" onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <div class="confirm" role="group" aria-label={props.question}>
      <p>{props.question}</p>
      {props.children}
      <div class="row">
        <button
          type="button"
          class="danger"
          ref={confirmRef}
          onClick={async () => {
            setAsking(false);
            await props.onConfirm();
          }}
        >
          {props.confirmLabel}
        </button>
        <button type="button" class="secondary" onClick={() => setAsking(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : 'never');

/**
 * A form in a section of its own that runs one action when submitted: its error under the fields,
 * its button disabled while the action runs, and Cancel when the form can be closed. A form opened
 * by a button (`onCancel`) takes the focus to its first field: the `autofocus` attribute does not,
 * since a browser honours it once per document.
 */
export function ActionForm(props: { id: string; title: string; submit: string; onSubmit: () => Promise<unknown>; disabled?: boolean; onCancel?: () => void; children: ComponentChildren }) {
  const action = useAction();
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (props.onCancel) form.current?.querySelector<HTMLElement>('input, select')?.focus();
  }, []);
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      <form
        class="stack"
        ref={form}
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(props.onSubmit);
        }}
      >
        {props.children}
        <ErrorText error={action.error} />
        <div class="row">
          <button type="submit" disabled={action.busy || props.disabled}>
            {props.submit}
          </button>
          {props.onCancel && (
            <button type="button" class="secondary" onClick={props.onCancel}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

/** A labelled select; its id comes from the label, which is unique on a page (`Role of dev@example.com`). */
export function Select<V extends string | number>(props: { label: string; value: V; options: readonly { value: V; label: string }[]; onChange: (value: V) => void; disabled?: boolean }) {
  const id = `select-${props.label.replace(/\W+/g, '-')}`;
  return (
    <span class="field">
      <label for={id}>{props.label}</label>
      <select id={id} value={String(props.value)} disabled={props.disabled} onChange={(e) => props.onChange(props.options.find((o) => String(o.value) === e.currentTarget.value)!.value)}>
        {props.options.map((o) => (
          <option key={o.value} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    </span>
  );
}
