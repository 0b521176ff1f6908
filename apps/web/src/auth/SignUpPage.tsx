import { RegisterRequest, type AuthResponse } from '@ordertrack/shared';
import { useMutation } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, describeError } from '../api/api-error';
import { fieldErrors } from '../ui/field-errors';
import { TextField } from '../ui/TextField';
import { AuthLayout } from './AuthLayout';
import { useSession } from './use-session';

export function SignUpPage() {
  const { api, signIn } = useSession();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  // Sign-up never says whether the email was new (so it cannot be used to probe for accounts); signing in
  // right after tells the user whether they are in.
  const register = useMutation({
    mutationFn: async (body: RegisterRequest): Promise<AuthResponse> => {
      await api.register(body);
      return api.login({ email: body.email, password: body.password });
    },
    onSuccess: signIn,
  });

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = RegisterRequest.safeParse({ name, email: email.trim(), password });
    setErrors(parsed.success ? {} : fieldErrors(parsed.error));
    if (parsed.success) register.mutate(parsed.data);
  }

  return (
    <AuthLayout title="Create your account" subtitle="Place orders and watch every step as it happens.">
      <form className="stack" onSubmit={submit} noValidate aria-label="Sign up">
        <TextField
          label="Name"
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors['name']}
        />
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
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors['password']}
          hint="At least 8 characters."
        />
        {register.isError && (
          <p className="alert" role="alert">
            {signUpError(register.error)}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={register.isPending}>
          {register.isPending ? 'Creating account…' : 'Create account'}
        </button>
      </form>
      <p className="auth__switch">
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </AuthLayout>
  );
}

/** A refused sign-in right after sign-up means the email already had an account with another password. */
function signUpError(error: unknown): string {
  return error instanceof ApiError && error.status === 401
    ? 'We could not sign you in with this email and password. If you already have an account, sign in instead.'
    : describeError(error);
}
