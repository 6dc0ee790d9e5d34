import passport from 'passport';

export type LoketPassport = InstanceType<typeof passport.Passport>;
import { Strategy } from 'passport-strategy';
import type { Request } from 'express';
import { parsePrincipalKey, principalKey, type Actor } from '../access/actor.js';
import type { ActorResolver } from './actors.js';
import { credentialsSchema } from './credentials.js';

type Verify = (login: string, password: string) => Promise<Actor | null>;

/**
 * Login + password from the POST body only, checked by `verify`; a malformed body fails with 400 before
 * any lookup. passport-local also reads req.query, which would accept credentials from a URL (SECURITY.md:
 * never in query strings), hence a strategy of our own.
 */
class BodyCredentialsStrategy extends Strategy {
  constructor(
    readonly name: string,
    private readonly verify: Verify,
  ) {
    super();
  }

  override authenticate(req: Request): void {
    const parsed = credentialsSchema.safeParse(req.body);
    if (!parsed.success) {
      this.fail({ message: 'invalid' }, 400);
      return;
    }
    this.verify(parsed.data.login, parsed.data.password).then(
      (actor) => (actor ? this.success(actor) : this.fail({ message: 'invalid' }, 401)),
      (err: unknown) => this.error(err instanceof Error ? err : new Error(String(err))),
    );
  }
}

/** A Passport instance of Loket's own: the host's global passport is never touched. */
export function createPassport(resolver: ActorResolver): LoketPassport {
  const instance = new passport.Passport();
  // Agents and database customer users first; then directory users, with our own small strategy on ldapts
  // (passport-ldapauth sits on the decommissioned ldapjs). A directory that is down is an error, not a
  // failure, so the login page can say "temporarily unavailable" instead of "wrong password".
  instance.use(new BodyCredentialsStrategy('password', (login, password) => resolver.verifyCredentials(login, password)));
  instance.use(new BodyCredentialsStrategy('ldap', (login, password) => resolver.verifyDirectoryCredentials(login, password)));
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
