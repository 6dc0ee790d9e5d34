import session from 'express-session';
import type { SessionData } from 'express-session';
import type { Knex } from 'knex';
import type { TableNames } from '../db/tables.js';
import { fromDbJson, toDbTime } from '../db/values.js';

type Callback = (err?: unknown) => void;

const TOUCH_INTERVAL_MS = 60_000;
const TOUCH_MEMORY = 50_000;
type GetCallback = (err: unknown, session?: SessionData | null) => void;

interface SessionRow {
  sid: string;
  sess: string;
  expires_at: string;
  principal: string | null;
}

/** What passport keeps in the session: the principal key, e.g. "agent:12". */
function principalOf(data: SessionData): string | null {
  const user = (data as SessionData & { passport?: { user?: unknown } }).passport?.user;
  return typeof user === 'string' ? user.slice(0, 64) : null;
}

/**
 * express-session store on Loket's own knex and prefixed table. It records the principal beside each
 * session so that "end all sessions of this person" is one indexed delete (disabling a user, revoking a
 * delegation). connect-session-knex creates its own table at construction and never recovers when the
 * database is down at that moment, which breaks "recover without restart".
 */
export class KnexSessionStore extends session.Store {
  private readonly cleanupTimer: NodeJS.Timeout;
  /** When each session's expiry was last pushed forward by this process. */
  private readonly lastTouch = new Map<string, number>();

  constructor(
    private readonly knex: Knex,
    private readonly tables: TableNames,
    private readonly defaultTtlMs: number,
    cleanupIntervalMs = 15 * 60_000,
  ) {
    super();
    this.cleanupTimer = setInterval(() => void this.deleteExpired().catch(() => undefined), cleanupIntervalMs);
    this.cleanupTimer.unref();
  }

  private table() {
    return this.knex<SessionRow>(this.tables.sessions);
  }

  private expiryOf(data: SessionData): string {
    const expires = data.cookie?.expires;
    return toDbTime(expires ? new Date(expires) : Date.now() + this.defaultTtlMs);
  }

  override get(sid: string, cb: GetCallback): void {
    this.table()
      .where({ sid })
      .andWhere('expires_at', '>', toDbTime())
      .first()
      .then((row) => cb(null, row ? fromDbJson<SessionData | null>(row.sess, null) : null), (err: unknown) => cb(err));
  }

  override set(sid: string, data: SessionData, cb?: Callback): void {
    const row = { sid, sess: JSON.stringify(data), expires_at: this.expiryOf(data), principal: principalOf(data) };
    this.table()
      .insert(row)
      .onConflict('sid')
      .merge(['sess', 'expires_at', 'principal'])
      .then(() => cb?.(), (err: unknown) => cb?.(err));
  }

  /**
   * Sliding idle expiry without a write on every request: the expiry moves forward at most once a minute
   * per session (the idle limit is hours, so a minute of slack changes nothing for people).
   */
  override touch(sid: string, data: SessionData, cb?: Callback): void {
    const now = Date.now();
    const last = this.lastTouch.get(sid);
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS) {
      cb?.();
      return;
    }
    if (this.lastTouch.size >= TOUCH_MEMORY) this.lastTouch.clear();
    this.lastTouch.set(sid, now);
    this.table()
      .where({ sid })
      .update({ expires_at: this.expiryOf(data) })
      .then(() => cb?.(), (err: unknown) => cb?.(err));
  }

  override destroy(sid: string, cb?: Callback): void {
    this.lastTouch.delete(sid);
    this.table()
      .where({ sid })
      .del()
      .then(() => cb?.(), (err: unknown) => cb?.(err));
  }

  /** Ends every session of a principal at once (for example when an account is disabled). */
  async destroyForPrincipal(principal: string): Promise<number> {
    return this.table().where({ principal }).del();
  }

  async countForPrincipal(principal: string): Promise<number> {
    const row = (await this.table().where({ principal }).count({ n: '*' }).first()) as { n: unknown } | undefined;
    return Number(row?.n ?? 0);
  }

  async deleteExpired(): Promise<number> {
    return this.table().where('expires_at', '<=', toDbTime()).del();
  }

  close(): void {
    clearInterval(this.cleanupTimer);
  }
}
