// The dashboard's security headers, written once for the local server (local/server.ts) and the CloudFront
// response headers policy (infra/lib/web-stack.ts): no framing (clickjacking), scripts only from the
// dashboard's origin, the API on the same origin, Cognito's hosted sign-in token endpoint, inline styles
// (Observable Plot styles its SVG inline), no plugins, no base or form targets elsewhere.

/** The Content-Security-Policy; `connect` adds origins the dashboard may call (AWS: pre-signed S3 answers). */
export function dashboardCsp(connect: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${["'self'", 'https://*.amazoncognito.com', ...connect].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Where large API answers are handed over on AWS (303 to a pre-signed S3 URL) and Cognito's user pool API. */
export const AWS_CONNECT_SOURCES = ['https://*.amazonaws.com'] as const;
