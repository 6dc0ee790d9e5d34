import { existsSync } from 'node:fs';
import net from 'node:net';
import { expect } from 'chai';
import { Client, InvalidCredentialsError, NoSuchObjectError, SizeLimitExceededError } from 'ldapts';
import { needComponent } from '../helpers/components.js';
import { FIXTURE, FIXTURE_PASSWORDS, FIXTURE_PHOTO, fixtureLdif } from '../helpers/ldap-fixtures.js';
import { closedPort, slapdAvailable, startBlackHole, startSlapd, type Slapd } from '../helpers/slapd.js';

const INSTALL = 'apt-get install -y slapd ldap-utils';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url, connectTimeout: 2000, timeout: 5000 });
  try {
    return await use(client);
  } finally {
    await client.unbind();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('slapd test harness (real slapd)', function () {
  let slapd: Slapd | undefined;

  before(async function () {
    needComponent(this, 'slapd', slapdAvailable(), INSTALL);
    slapd = await startSlapd({ seed: fixtureLdif() });
  });

  after(async () => {
    await slapd?.stop();
  });

  const asReader = <T>(use: (client: Client) => Promise<T>) =>
    withClient(slapd!.url, async (client) => {
      await client.bind(slapd!.readerDn, slapd!.readerPassword);
      return use(client);
    });

  it('loads the fixtures: the reader finds every person with an entryUUID, but no userPassword', async () => {
    const { searchEntries } = await asReader((c) =>
      c.search(FIXTURE.people, { filter: '(objectClass=inetOrgPerson)', attributes: ['uid', 'cn', 'entryUUID', 'userPassword'] }),
    );
    expect(searchEntries).to.have.length(FIXTURE.counts.people);
    const uuids = searchEntries.map((e) => e.entryUUID);
    for (const uuid of uuids) expect(uuid).to.match(UUID);
    expect(new Set(uuids).size).to.equal(uuids.length);
    expect(searchEntries.every((e) => e.userPassword === undefined || (Array.isArray(e.userPassword) && e.userPassword.length === 0))).to.be.true;
    const aodegard = searchEntries.find((e) => e.dn === FIXTURE.user('aodegard', 'fjord'));
    expect(aodegard?.cn).to.equal('Åse Ødegård');
  });

  it('returns the binary jpegPhoto byte for byte as a Buffer', async () => {
    const { searchEntries } = await asReader((c) =>
      c.search(FIXTURE.user('photo', 'acme'), { scope: 'base', attributes: ['jpegPhoto'], explicitBufferAttributes: ['jpegPhoto'] }),
    );
    const photo = searchEntries[0]?.jpegPhoto;
    expect(Buffer.isBuffer(photo)).to.be.true;
    expect((photo as Buffer).equals(FIXTURE_PHOTO)).to.be.true;
  });

  it('shows anonymous clients nothing', async () => {
    const error = await withClient(slapd!.url, (c) => c.search(FIXTURE.people, { filter: '(objectClass=*)' })).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NoSuchObjectError);
  });

  it('lets a fixture user bind with their (non-ASCII) password and refuses a wrong one', async () => {
    const dn = FIXTURE.user('aodegard', 'fjord');
    await withClient(slapd!.url, (c) => c.bind(dn, FIXTURE_PASSWORDS.aodegard));
    const error = await withClient(slapd!.url, (c) => c.bind(dn, 'wrong')).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(InvalidCredentialsError);
  });

  it('adds, modifies and deletes entries as the admin', async () => {
    const dn = `uid=harness-added,${FIXTURE.contractors}`;
    const cnOf = () => asReader((c) => c.search(FIXTURE.contractors, { filter: '(uid=harness-added)', attributes: ['cn'] }));
    await slapd!.add(`dn: ${dn}\nobjectClass: inetOrgPerson\nuid: harness-added\ncn: Added\nsn: Added\n`);
    await slapd!.modify(`dn: ${dn}\nchangetype: modify\nreplace: cn\ncn: Changed\n`);
    expect((await cnOf()).searchEntries.map((e) => e.cn)).to.deep.equal(['Changed']);
    await slapd!.delete(dn);
    expect((await cnOf()).searchEntries).to.have.length(0);
  });

  it('with sizeLimit, caps searches without paging but lets paged searches fetch everything', async () => {
    const limited = await startSlapd({ seed: fixtureLdif(), sizeLimit: 3 });
    try {
      await withClient(limited.url, async (c) => {
        await c.bind(limited.readerDn, limited.readerPassword);
        const error = await c.search(FIXTURE.people, { filter: '(objectClass=inetOrgPerson)' }).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(SizeLimitExceededError);
        const paged = await c.search(FIXTURE.people, { filter: '(objectClass=inetOrgPerson)', paged: { pageSize: 3 } });
        expect(paged.searchEntries).to.have.length(FIXTURE.counts.people);
      });
    } finally {
      await limited.stop();
    }
  });

  it('stop() kills the process and removes the directory, and may be called twice', async () => {
    const own = await startSlapd();
    expect(processAlive(own.pid)).to.be.true;
    await own.stop();
    expect(processAlive(own.pid)).to.be.false;
    expect(existsSync(own.dir)).to.be.false;
    await own.stop();
  });
});

describe('network outage helpers', () => {
  it('closedPort(): connections are refused', async () => {
    const port = await closedPort();
    const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        reject(new Error(`something listens on ${port}`));
      });
      socket.once('error', resolve);
    });
    expect(error.code).to.equal('ECONNREFUSED');
  });

  it('startBlackHole(): an LDAP client with timeouts rejects instead of hanging', async () => {
    const hole = await startBlackHole();
    const client = new Client({ url: `ldap://127.0.0.1:${hole.port}`, connectTimeout: 500, timeout: 500 });
    try {
      const error = await client.bind('cn=nobody', 'secret').catch((e: unknown) => e);
      expect(error).to.be.instanceOf(Error);
    } finally {
      await client.unbind().catch(() => undefined);
      await hole.close();
    }
  });
});
