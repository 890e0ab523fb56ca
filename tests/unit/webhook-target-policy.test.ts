/** Which report webhook targets are allowed: public https by default, private ones only when allow-listed. */
import { DomainError } from '../../services/shared/errors';
import { loadInsightsConfig } from '../../services/insights/config';
import { ResolvedAddress, WebhookTargetPolicy, isPublicAddress } from '../../services/insights/report/webhook-target-policy';

/** A resolver with fixed answers, as a DNS server would give them. */
const dnsAnswers = (answers: Record<string, string[]>) => async (hostname: string): Promise<ResolvedAddress[]> => {
  const addresses = answers[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

const PUBLIC = '93.184.216.34';
const resolver = dnsAnswers({
  'hooks.example.com': [PUBLIC, '2606:2800:220:1:248:1893:25c8:1946'],
  localhost: ['127.0.0.1', '::1'],
  'split.example.com': [PUBLIC, '10.0.0.7'],
  'metadata.example.com': ['169.254.169.254'],
  'hooks.internal': ['10.20.0.5'],
});

async function refusal(sut: WebhookTargetPolicy, url: string): Promise<string | null> {
  try {
    await sut.check(url);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    return (error as Error).message;
  }
}

describe('isPublicAddress', () => {
  it.each([
    ['127.0.0.1'], ['10.1.2.3'], ['172.16.0.1'], ['192.168.1.1'], ['169.254.169.254'], ['100.64.0.1'], ['0.0.0.0'], ['224.0.0.1'], ['255.255.255.255'],
    ['192.0.2.1'], ['::1'], ['::'], ['fe80::1'], ['fd00::1'], ['ff02::1'], ['::ffff:127.0.0.1'], ['::ffff:8.8.8.8'], ['64:ff9b::7f00:1'], ['2002:7f00:1::'], ['2001:db8::1'], ['not an address'],
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([['8.8.8.8'], [PUBLIC], ['2606:4700::1111']])('accepts the public address %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('a webhook URL without an allow-list', () => {
  const sut = new WebhookTargetPolicy([], resolver);

  it.each([
    ['http://127.0.0.1:4103/graphql'],
    ['https://127.0.0.1:4103/graphql'],
    ['https://localhost:8233/'],
    ['http://localhost:8233/'],
    ['https://169.254.169.254/latest/meta-data/'],
    ['https://[::1]/hook'],
    ['https://[::ffff:127.0.0.1]/hook'],
    ['https://[::ffff:7f00:1]/hook'],
    ['https://0x7f000001/hook'],
    ['https://2130706433/hook'],
    ['https://0177.0.0.1/hook'],
    ['https://127.1/hook'],
    ['https://10.0.0.1/hook'],
    ['https://100.64.0.1/hook'],
    ['https://0.0.0.0/hook'],
    ['https://224.0.0.1/hook'],
    ['https://[fd00::1]/hook'],
    ['https://metadata.example.com/hook'],
  ])('refuses %s, which reaches a non-public address', async (url) => {
    expect(await refusal(sut, url)).toMatch(/only public addresses are allowed/);
  });

  it('refuses a host any of whose addresses is private', async () => {
    expect(await refusal(sut, 'https://split.example.com/hook')).toMatch(/only public addresses/);
  });

  it('refuses plain http even to a public address', async () => {
    expect(await refusal(sut, 'http://hooks.example.com/hook')).toMatch(/must use https/);
  });

  it('refuses other schemes, credentials, unresolvable hosts and non-URLs', async () => {
    expect(await refusal(sut, 'ftp://hooks.example.com/hook')).toMatch(/must use https/);
    expect(await refusal(sut, 'https://user:pw@hooks.example.com/hook')).toMatch(/credentials/);
    expect(await refusal(sut, 'https://nowhere.example.com/hook')).toMatch(/could not be resolved/);
    expect(await refusal(sut, 'not a url')).toMatch(/absolute https URL/);
  });

  it('accepts https to a host whose every address is public, normalised', async () => {
    expect(await sut.check(' https://Hooks.Example.com/services/T0/B0/x ')).toBe('https://hooks.example.com/services/T0/B0/x');
    expect(await sut.check(`https://${PUBLIC}/hook`)).toBe(`https://${PUBLIC}/hook`);
  });
});

describe('a webhook URL with an allow-list', () => {
  const sut = new WebhookTargetPolicy(['127.0.0.1', 'hooks.internal', '192.168.10.0/24'], resolver);

  it('accepts listed addresses, ranges and host names, over http too', async () => {
    expect(await sut.check('http://127.0.0.1:9999/hook')).toBe('http://127.0.0.1:9999/hook');
    expect(await sut.check('http://192.168.10.20/hook')).toBe('http://192.168.10.20/hook');
    expect(await sut.check('http://hooks.internal/hook')).toBe('http://hooks.internal/hook');
  });

  it('still refuses what is not listed', async () => {
    expect(await refusal(sut, 'http://localhost:8233/')).toMatch(/only public addresses/);
    expect(await refusal(sut, 'https://192.168.11.1/hook')).toMatch(/only public addresses/);
    expect(await refusal(sut, 'https://169.254.169.254/')).toMatch(/only public addresses/);
  });
});

describe('the connect-time lookup', () => {
  const lookup = (sut: WebhookTargetPolicy, hostname: string, options: { all?: boolean; family?: number }) =>
    new Promise<{ error: Error | null; address: unknown; family?: number }>((resolve) =>
      sut.lookup(hostname, options, (error, address, family) => resolve({ error, address, family })),
    );

  it('hands the socket only addresses it checked, in both lookup shapes', async () => {
    const sut = new WebhookTargetPolicy([], resolver);
    expect(await lookup(sut, 'hooks.example.com', {})).toEqual({ error: null, address: PUBLIC, family: 4 });
    expect((await lookup(sut, 'hooks.example.com', { all: true })).address).toHaveLength(2);
    expect((await lookup(sut, 'hooks.example.com', { family: 6 })).family).toBe(6);
  });

  it('fails the connection when the answer turned private after the URL was checked (DNS rebinding)', async () => {
    let calls = 0;
    const rebinding = async (): Promise<ResolvedAddress[]> => [{ address: calls++ === 0 ? PUBLIC : '127.0.0.1', family: 4 }];
    const sut = new WebhookTargetPolicy([], rebinding);
    await expect(sut.check('https://rebind.example.com/hook')).resolves.toBe('https://rebind.example.com/hook');
    const connect = await lookup(sut, 'rebind.example.com', {});
    expect(connect.error?.message).toMatch(/only public addresses are allowed/);
    expect(connect.address).toBe('');
  });
});

describe('REPORT_WEBHOOK_ALLOWED_HOSTS', () => {
  const base = { INTERNAL_HMAC_SECRET: 'unit-test-secret-unit-test-secret-0000', DATABASE_URL: 'postgres://unit/none' };

  it('is empty unless set: public targets only', () => {
    expect(loadInsightsConfig(base).REPORT_WEBHOOK_ALLOWED_HOSTS).toEqual([]);
  });

  it('reads host names, addresses and CIDR ranges', () => {
    expect(loadInsightsConfig({ ...base, REPORT_WEBHOOK_ALLOWED_HOSTS: ' 127.0.0.2, hooks.internal ,10.20.0.0/16,fd00::/8' }).REPORT_WEBHOOK_ALLOWED_HOSTS).toEqual([
      '127.0.0.2',
      'hooks.internal',
      '10.20.0.0/16',
      'fd00::/8',
    ]);
  });

  it('refuses an entry that is none of those, at start-up', () => {
    expect(() => loadInsightsConfig({ ...base, REPORT_WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/99' })).toThrow(/REPORT_WEBHOOK_ALLOWED_HOSTS/);
    expect(() => loadInsightsConfig({ ...base, REPORT_WEBHOOK_ALLOWED_HOSTS: 'http://hooks.internal/x' })).toThrow(/REPORT_WEBHOOK_ALLOWED_HOSTS/);
  });
});
