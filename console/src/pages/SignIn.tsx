import { useState } from 'preact/hooks';
import { signIn, type Session } from '../session';
import { ErrorText, useAction } from '../ui';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  return (
    <main class="signin">
      <h1>Sign in to Cloud API</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => onSignedIn(await signIn(email.trim(), password)));
        }}
      >
        <label for="email">Email</label>
        <input id="email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="password">Password</label>
        <input id="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <ErrorText error={action.error} />
        <button type="submit" disabled={action.busy}>
          {action.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="hint">On a first start the service prints the owner's email and password in its log.</p>
    </main>
  );
}
