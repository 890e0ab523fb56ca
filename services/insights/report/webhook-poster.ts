/**
 * Posts one JSON message to a report webhook and keeps only the HTTP status. The connection resolves through
 * the target policy's lookup, so it only ever reaches an address the policy approved at connect time; the
 * response body is never read, and errors are reduced to a category (no addresses, no peer text).
 */
import http from 'node:http';
import https from 'node:https';
import { WebhookTargetPolicy, WebhookTargetRefused } from './webhook-target-policy';

export interface WebhookPostResult {
  /** HTTP status; null when no response came (refused, unreachable, timed out). */
  status: number | null;
  /** What went wrong, in words safe to show an admin; null on a 2xx. */
  error: string | null;
  /** The policy refused the target: retrying cannot help. */
  refused: boolean;
}

export class WebhookPoster {
  constructor(
    private readonly policy: WebhookTargetPolicy,
    private readonly timeoutMs = 10_000,
  ) {}

  async post(url: string, body: unknown, headers: Record<string, string>): Promise<WebhookPostResult> {
    let target: URL;
    try {
      target = await this.policy.approve(url);
    } catch (error) {
      if (error instanceof WebhookTargetRefused) return { status: null, error: `refused: ${error.message}`, refused: true };
      return { status: null, error: 'could not resolve the host', refused: false };
    }
    const payload = Buffer.from(JSON.stringify(body));
    const request = target.protocol === 'https:' ? https.request : http.request;
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const outgoing = request(target, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length) },
          lookup: this.policy.lookup,
          // A fresh connection per post: a pooled socket would skip the connect-time check.
          agent: false,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        outgoing.once('response', (response) => {
          response.destroy();
          resolve(response.statusCode ?? 0);
        });
        outgoing.once('error', reject);
        outgoing.end(payload);
      });
      const ok = status >= 200 && status < 300;
      return { status, error: ok ? null : `HTTP ${status}`, refused: false };
    } catch (error) {
      if (error instanceof WebhookTargetRefused) return { status: null, error: `refused at connect time: ${error.message}`, refused: true };
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') return { status: null, error: `no answer within ${this.timeoutMs / 1000} s`, refused: false };
      const code = (error as NodeJS.ErrnoException).code;
      return { status: null, error: `could not connect${code && /^E[A-Z_]+$/.test(code) ? ` (${code})` : ''}`, refused: false };
    }
  }
}
