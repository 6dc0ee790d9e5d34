import passport from 'passport';

export type LoketPassport = InstanceType<typeof passport.Passport>;
import { Strategy } from 'passport-strategy';
import type { Request } from 'express';
import { parsePrincipalKey, principalKey } from '../access/actor.js';
import type { ActorResolver } from './actors.js';
import { credentialsSchema } from './credentials.js';

/**
 * Login with login + password from the POST body only. passport-local also reads req.query, which
 * would accept credentials from a URL (SECURITY.md: never in query strings), hence our own strategy.
 */
class PasswordStrategy extends Strategy {
  name = 'password';

  constructor(private readonly resolver: ActorResolver) {
    super();
  }

  override authenticate(req: Request): void {
    const parsed = credentialsSchema.safeParse(req.body);
    if (!parsed.success) {
      this.fail({ message: 'invalid' }, 400);
      return;
    }
    this.resolver.verifyCredentials(parsed.data.login, parsed.data.password).then(
      (actor) => (actor ? this.success(actor) : this.fail({ message: 'invalid' }, 401)),
      (err: unknown) => this.error(err instanceof Error ? err : new Error(String(err))),
    );
  }
}

/** A Passport instance of Loket's own: the host's global passport is never touched. */
export function createPassport(resolver: ActorResolver): LoketPassport {
  const instance = new passport.Passport();
  instance.use(new PasswordStrategy(resolver));
  instance.serializeUser<string>((user, done) => done(null, principalKey(user.principal)));
  instance.deserializeUser<string>((key, done) => {
    const principal = parsePrincipalKey(key);
    if (!principal) {
      done(null, false);
      return;
    }
    resolver.resolve(principal, 'session').then(
      (actor) => done(null, actor ?? false),
      (err: unknown) => done(err),
    );
  });
  return instance;
}
