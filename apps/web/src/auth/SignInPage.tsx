import { LoginRequest } from '@ordertrack/shared';
import { useMutation } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import { describeError } from '../api/api-error';
import { fieldErrors } from '../ui/field-errors';
import { TextField } from '../ui/TextField';
import { AuthLayout } from './AuthLayout';
import { useSession } from './use-session';

const NOTICES = {
  expired: 'Your session has ended. Please sign in again.',
  'signed-out': 'You have signed out.',
} as const;

export function SignInPage() {
  const { api, signIn, signOutReason } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const login = useMutation({ mutationFn: api.login, onSuccess: signIn });

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = LoginRequest.safeParse({ email: email.trim(), password });
    setErrors(parsed.success ? {} : fieldErrors(parsed.error));
    if (parsed.success) login.mutate(parsed.data);
  }

  return (
    <AuthLayout title="Sign in" subtitle="Track your orders live, or run operations if you are an admin.">
      {signOutReason !== undefined && (
        <p
          className={`notice ${signOutReason === 'expired' ? 'notice--warn' : ''}`}
          role="status"
          data-testid="sign-out-notice"
        >
          {NOTICES[signOutReason]}
        </p>
      )}
      <form className="stack" onSubmit={submit} noValidate aria-label="Sign in">
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors['email']}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors['password']}
        />
        {login.isError && (
          <p className="alert" role="alert">
            {describeError(login.error)}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="auth__switch">
        New here? <Link to="/sign-up">Create an account</Link>
      </p>
    </AuthLayout>
  );
}
