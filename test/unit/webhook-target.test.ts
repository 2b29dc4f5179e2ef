import { describe, expect, it } from 'vitest';
import { isPrivateAddress, urlProblem } from '../../sync/server/webhooks/target.ts';
import { sendMessage } from '../../sync/server/webhooks/send.ts';
import { retryDelaySeconds } from '../../sync/server/webhooks/backoff.ts';

describe('webhook targets (SSRF care)', () => {
  it('API-02 loopback, private, link-local, CGNAT, multicast and mapped addresses are private; public ones are not', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::10.0.0.1', 'not-an-ip']) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '172.32.0.1', '200.147.67.142', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isPrivateAddress(address), address).toBe(false);
  });

  it('API-02 without local receivers allowed only https URLs to public hosts are accepted', () => {
    expect(urlProblem('https://erp.example.com/hooks', false)).toBeNull();
    expect(urlProblem('http://erp.example.com/hooks', false)).toMatch(/https/);
    expect(urlProblem('https://localhost/hooks', false)).toMatch(/loopback or private/);
    expect(urlProblem('https://127.0.0.1/hooks', false)).toMatch(/loopback or private/);
    expect(urlProblem('https://[::1]/hooks', false)).toMatch(/loopback or private/);
    expect(urlProblem('https://169.254.169.254/latest/meta-data', false)).toMatch(/loopback or private/);
    expect(urlProblem('https://user:pw@erp.example.com/', false)).toMatch(/user name/);
    expect(urlProblem('file:///etc/passwd', false)).toMatch(/https/);
    expect(urlProblem('http://127.0.0.1:4000/hook', true)).toBeNull();
  });

  it('API-02 the sender refuses a host that resolves to a private address at connection time (DNS answers are checked, not only the URL)', async () => {
    const result = await sendMessage({ url: 'http://localhost:9/hook', id: 'msg_1', body: '{}', secrets: ['whsec_' + Buffer.alloc(24, 7).toString('base64')], timeoutMs: 2000, allowPrivateNetworks: false, userAgent: 'test' });
    expect(result).toMatchObject({ ok: false, statusCode: null, error: expect.stringMatching(/localhost resolves to .*loopback or private/) });
    const literal = await sendMessage({ url: 'http://127.0.0.1:9/hook', id: 'msg_1', body: '{}', secrets: ['whsec_' + Buffer.alloc(24, 7).toString('base64')], timeoutMs: 2000, allowPrivateNetworks: false, userAgent: 'test' });
    expect(literal.error).toMatch(/127\.0\.0\.1 is a loopback or private address/);
  });

  it('API-02 retry delays double from 30 s up to 6 h, jittered within the upper half of each step', () => {
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(n, () => 0))).toEqual([15, 30, 60, 120]);
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(n, () => 0.999999))).toEqual([30, 60, 120, 240].map((s) => expect.closeTo(s, 3)));
    expect(retryDelaySeconds(40, () => 0.999999)).toBeCloseTo(6 * 3600, 0);
  });
});
