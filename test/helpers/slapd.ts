import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * A throwaway OpenLDAP server per test suite (Debian's slapd, generated slapd.conf, everything in a temp
 * directory), so LDAP code is tested against a real directory and never against a mock.
 */
export const SLAPD_BIN = '/usr/sbin/slapd';
export const SLAPADD_BIN = '/usr/sbin/slapadd';
export const DEFAULT_SUFFIX = 'dc=loket,dc=test';

/** ldapadd/ldapmodify/ldapdelete (ldap-utils) install into /usr/bin, which is on PATH. */
const LDAP_TOOLS = ['ldapadd', 'ldapmodify', 'ldapdelete'];
const START_TIMEOUT_MS = 10_000;
const KILL_AFTER_MS = 5_000;

export interface Slapd {
  /** ldap://127.0.0.1:<port> */
  url: string;
  port: number;
  pid: number;
  suffix: string;
  /** The rootdn: reads and writes everything, no ACL applies to it. */
  adminDn: string;
  adminPassword: string;
  /** cn=reader,<suffix>: a service account that reads everything except userPassword. */
  readerDn: string;
  readerPassword: string;
  dir: string;
  /** ldapadd as the admin; `ldif` holds whole entries. */
  add(ldif: string): Promise<void>;
  /** ldapmodify as the admin; `ldif` holds change records (changetype: modify, ...). */
  modify(ldif: string): Promise<void>;
  delete(dn: string): Promise<void>;
  /** With `tls: true`: the ldaps:// URL and the PEM of the CA that signed the server's certificate. */
  tls: { ldapsUrl: string; caPem: string } | null;
  /** SIGTERM, SIGKILL after 5 s, waits for the exit and removes the directory. Idempotent. */
  stop(): Promise<void>;
}

export interface StartSlapdOptions {
  suffix?: string;
  /** LDIF loaded with slapadd before the start, after the base entry and the reader account. */
  seed?: string;
  /**
   * The server's size limit for everyone but the rootdn (default unlimited). It behaves like Active
   * Directory's MaxPageSize: a search without paging returns at most this many entries and then
   * sizeLimitExceeded, while a paged search may fetch any total in pages of at most this size.
   */
  sizeLimit?: number;
  /**
   * Also serve TLS: a throwaway CA signs a certificate for 127.0.0.1, slapd offers StartTLS on the
   * ldap:// port and listens on a second port for ldaps://. The CA's PEM comes back as `tls.caPem`.
   */
  tls?: boolean;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && executable(join(dir, command)));
}

/** slapd and slapadd, plus the ldap-utils that add/modify/delete run. */
export function slapdAvailable(): boolean {
  return executable(SLAPD_BIN) && executable(SLAPADD_BIN) && LDAP_TOOLS.every(onPath);
}

/** An RFC 2307 {SSHA} hash, what `slappasswd` produces, so no password sits in the directory in clear. */
export function sshaHash(password: string): string {
  const salt = randomBytes(8);
  const digest = createHash('sha1').update(password, 'utf8').update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}

export function readerDnFor(suffix: string): string {
  return `cn=reader,${suffix}`;
}

/** LDIF SAFE-STRING (RFC 2849); anything else (non-ASCII, binary, a leading '<' or ':') goes base64. */
function ldifSafe(value: string): boolean {
  if (value.endsWith(' ') || ' :<'.includes(value.charAt(0) || 'x')) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0 || code === 10 || code === 13 || code > 127) return false;
  }
  return true;
}

/** One LDIF attribute line, base64-encoded where RFC 2849 requires it. */
export function ldifLine(attribute: string, value: string | Buffer): string {
  if (typeof value === 'string' && ldifSafe(value)) return `${attribute}: ${value}`;
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return `${attribute}:: ${bytes.toString('base64')}`;
}

export type LdifAttributes = Record<string, string | Buffer | readonly (string | Buffer)[]>;

/** One LDIF entry record (no trailing blank line; join records with '\n\n'). */
export function ldifEntry(dn: string, attributes: LdifAttributes): string {
  const lines = [ldifLine('dn', dn)];
  for (const [name, value] of Object.entries(attributes)) {
    const values = Array.isArray(value) ? value : [value as string | Buffer];
    for (const v of values) lines.push(ldifLine(name, v));
  }
  return lines.join('\n');
}

/** The suffix entry; its structural class follows the naming attribute of the first RDN. */
function baseEntry(suffix: string): string {
  const match = /^(dc|o|ou)=([^,]+)/i.exec(suffix);
  if (!match) throw new Error(`unsupported suffix ${suffix}: the first RDN must be dc=, o= or ou=`);
  const [, attribute, value] = match as unknown as [string, string, string];
  switch (attribute.toLowerCase()) {
    case 'dc':
      return ldifEntry(suffix, { objectClass: ['dcObject', 'organization'], dc: value, o: 'Loket test directory' });
    case 'o':
      return ldifEntry(suffix, { objectClass: 'organization', o: value });
    default:
      return ldifEntry(suffix, { objectClass: 'organizationalUnit', ou: value });
  }
}

function sizeLimitDirective(sizeLimit: number | undefined): string {
  if (sizeLimit === undefined) return 'sizelimit unlimited';
  if (!Number.isInteger(sizeLimit) || sizeLimit < 1) throw new Error(`sizeLimit must be a positive integer, got ${sizeLimit}`);
  // prtotal=unlimited lets paged searches go past the limit (default: capped at the hard limit).
  return `sizelimit size.soft=${sizeLimit} size.hard=${sizeLimit} size.prtotal=unlimited`;
}

/** A CA and a server certificate for 127.0.0.1 (IP SAN), made with the openssl command line. */
async function makeCertificates(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const file = (name: string) => join(dir, name);
  const subjectAltName = file('san.cnf');
  writeFileSync(subjectAltName, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Loket test CA', '-keyout', file('ca.key'), '-out', file('ca.pem')], '');
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr')], '');
  await run('openssl', ['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', subjectAltName, '-out', file('server.pem')], '');
  return { ca: file('ca.pem'), cert: file('server.pem'), key: file('server.key') };
}

function slapdConf(dir: string, suffix: string, adminDn: string, adminPassword: string, readerDn: string, sizeLimit: number | undefined, tls: { ca: string; cert: string; key: string } | null): string {
  const tlsLines = tls ? `TLSCACertificateFile ${tls.ca}\nTLSCertificateFile ${tls.cert}\nTLSCertificateKeyFile ${tls.key}\n` : '';
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile ${join(dir, 'slapd.pid')}
argsfile ${join(dir, 'slapd.args')}
modulepath /usr/lib/ldap
moduleload back_mdb
${sizeLimitDirective(sizeLimit)}
${tlsLines}
database mdb
maxsize 1073741824
suffix "${suffix}"
rootdn "${adminDn}"
rootpw ${sshaHash(adminPassword)}
directory ${join(dir, 'data')}
index objectClass eq
index uid,mail,cn,sn,givenName eq,sub
index entryUUID eq
index member eq

# Anonymous may only authenticate (simple bind): searches without the reader's bind see nothing, so
# tests prove the code binds. A user may change their own password; nobody else reads it.
access to attrs=userPassword
  by self write
  by anonymous auth
  by * none
access to *
  by dn.exact="${readerDn}" read
  by * none
`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A port on 127.0.0.1 that nothing listens on: connections are refused. */
export const closedPort = freePort;

/** Accepts TCP connections and never answers a byte: what a hung LDAP server looks like to a client. */
export async function startBlackHole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function logTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-2000);
  } catch {
    return '(no log)';
  }
}

function run(command: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${command} failed (${error.code ?? error.message}): ${stderr.trim()}`));
      else resolve();
    });
    // A command that exits before reading its input (slapadd reads a file, openssl may not read at all)
    // closes the pipe: EPIPE on stdin is not a failure; the exit status above says whether it worked.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

/** Instances still running; killed when the process exits so a crashed test never leaves slapd behind. */
const running = new Map<number, string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [pid, dir] of running) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitUntilListening(child: ChildProcess, port: number, logPath: string): Promise<void> {
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`slapd exited during start (code ${child.exitCode}, signal ${child.signalCode}):\n${logTail(logPath)}`);
    if (await portOpen(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`slapd did not listen on ${port} within ${START_TIMEOUT_MS} ms:\n${logTail(logPath)}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  const exit = waitForExit(child);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  await exit;
  clearTimeout(timer);
}

export async function startSlapd(opts: StartSlapdOptions = {}): Promise<Slapd> {
  const suffix = opts.suffix ?? DEFAULT_SUFFIX;
  const adminDn = `cn=admin,${suffix}`;
  const adminPassword = randomBytes(12).toString('base64url');
  const readerDn = readerDnFor(suffix);
  const readerPassword = randomBytes(12).toString('base64url');
  const dir = mkdtempSync(join(tmpdir(), 'loket-slapd-'));
  try {
    const conf = join(dir, 'slapd.conf');
    const seedPath = join(dir, 'seed.ldif');
    // ldap-utils read the admin password from this file (-y): it stays off the command line.
    const passwordFile = join(dir, 'admin.pw');
    mkdirSync(join(dir, 'data'));
    const certificates = opts.tls ? await makeCertificates(dir) : null;
    writeFileSync(conf, slapdConf(dir, suffix, adminDn, adminPassword, readerDn, opts.sizeLimit, certificates));
    writeFileSync(passwordFile, adminPassword, { mode: 0o600 });
    const reader = ldifEntry(readerDn, {
      objectClass: ['organizationalRole', 'simpleSecurityObject'],
      cn: 'reader',
      description: 'Loket service account (read-only)',
      userPassword: sshaHash(readerPassword),
    });
    writeFileSync(seedPath, [baseEntry(suffix), reader, opts.seed ?? ''].join('\n\n') + '\n');
    // -q skips consistency checks for speed (100k entries); entryUUID/entryCSN are still generated.
    await run(SLAPADD_BIN, ['-q', '-f', conf, '-l', seedPath], '');

    const port = await freePort();
    const ldapsPort = certificates ? await freePort() : null;
    const listeners = [`ldap://127.0.0.1:${port}/`, ...(ldapsPort ? [`ldaps://127.0.0.1:${ldapsPort}/`] : [])].join(' ');
    const logPath = join(dir, 'slapd.log');
    const log = openSync(logPath, 'a');
    const child = spawn(SLAPD_BIN, ['-f', conf, '-h', listeners, '-d', '0'], { stdio: ['ignore', log, log] });
    closeSync(log);
    if (child.pid === undefined) throw new Error(`could not spawn ${SLAPD_BIN}`);
    const pid = child.pid;
    installExitHook();
    running.set(pid, dir);
    try {
      await waitUntilListening(child, port, logPath);
    } catch (err) {
      await stopChild(child);
      running.delete(pid);
      throw err;
    }

    const url = `ldap://127.0.0.1:${port}`;
    const adminArgs = ['-x', '-H', url, '-D', adminDn, '-y', passwordFile];
    let stopping: Promise<void> | null = null;
    return {
      url,
      port,
      pid,
      suffix,
      adminDn,
      adminPassword,
      readerDn,
      readerPassword,
      dir,
      add: (ldif) => run('ldapadd', adminArgs, ldif),
      modify: (ldif) => run('ldapmodify', adminArgs, ldif),
      // The DN goes on stdin, where ldapdelete reads it when no argument is given.
      delete: (dn) => run('ldapdelete', adminArgs, `${dn}\n`),
      tls: certificates && ldapsPort ? { ldapsUrl: `ldaps://127.0.0.1:${ldapsPort}`, caPem: readFileSync(certificates.ca, 'utf8') } : null,
      stop() {
        stopping ??= (async () => {
          await stopChild(child);
          running.delete(pid);
          rmSync(dir, { recursive: true, force: true });
        })();
        return stopping;
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
