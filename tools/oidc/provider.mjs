// A real OpenID provider (the certified `oidc-provider`) on a loopback port, for the
// tests of signing in with one. It prints `listening on http://127.0.0.1:<port>` when
// ready; its issuer is that address.
//
//   node provider.mjs --control FILE [--port 0] [--client-id cairn] [--client-secret s]
//
// The control file (JSON, read again on every request, so a test changes it between
// steps) holds the people who can sign in and, for the failure tests, what to spoil:
//
//   { "accounts": { "ada": { "email": "ada@example.org", "email_verified": true,
//                            "name": "Ada", "groups": ["okr-admins"] } },
//     "tamper": { "iss": "...", "aud": "...", "exp_in": -60 } }
//
// "tamper" re-signs the ID token of every token answer, with the provider's own key,
// after changing those claims: a token with a valid signature and a wrong issuer,
// audience or lifetime, which a real provider never hands out on its own.
//
// Sign-in is a plain form at /interaction/<uid>: the account's key, "Sign in" or
// "Cancel" (the provider then answers access_denied). Consent is granted at once
// (a first-party client). Any loopback port may be the client's redirect address, as
// the port of the Cairn under test is known only once it runs.
import { readFileSync } from "node:fs";
import http from "node:http";
import { generateKeyPair, exportJWK, importJWK, SignJWT, decodeJwt, decodeProtectedHeader } from "jose";
import Provider from "oidc-provider";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith("--")) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const controlFile = args.control ?? fail("--control FILE is required");
const clientId = args["client-id"] ?? "cairn";
const clientSecret = args["client-secret"] ?? "cairn-test-secret";

function fail(message) {
  console.error(message);
  process.exit(2);
}

function control() {
  try {
    return JSON.parse(readFileSync(controlFile, "utf8"));
  } catch (error) {
    console.error(`cannot read ${controlFile}: ${error.message}`);
    return { accounts: {} };
  }
}

const escape = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

const { privateKey } = await generateKeyPair("RS256", { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };

const server = http.createServer();
await new Promise((resolve) => server.listen(Number(args.port ?? 0), "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: ["http://127.0.0.1/callback"],
      post_logout_redirect_uris: ["http://127.0.0.1/signed-out"],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: ["cairn-test-provider"] },
  scopes: ["openid", "email", "profile", "groups"],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name"],
    groups: ["groups"],
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      // The end of a signed-out session goes straight back to the client.
      logoutSource: async (ctx, form) => {
        ctx.body = `<!doctype html><html><body onload="document.forms[0].submit()">${form.replace(
          "</form>",
          '<input type="hidden" name="logout" value="yes"/><button>Sign out</button></form>',
        )}</body></html>`;
      },
    },
  },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = control().accounts?.[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...account };
      },
    };
  },
  // A first-party client: whatever it asks for is granted without a consent page.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(" "));
    await grant.save();
    return grant;
  },
});

// The client's address may be on any loopback port, with the path Cairn uses.
const loopback = (value, path) => {
  const url = URL.parse(value);
  return url?.protocol === "http:" && url.hostname === "127.0.0.1" && url.pathname.endsWith(path);
};
provider.Client.prototype.redirectUriAllowed = (value) => loopback(value, "/callback");
provider.Client.prototype.postLogoutRedirectUriAllowed = (value) => loopback(value, "");

// The failure tests' spoiled ID tokens (see the top of this file).
provider.use(async (ctx, next) => {
  await next();
  const tamper = control().tamper;
  if (!tamper || ctx.path !== "/token" || ctx.status !== 200 || !ctx.body?.id_token) return;
  const claims = decodeJwt(ctx.body.id_token);
  const header = decodeProtectedHeader(ctx.body.id_token);
  if (tamper.iss !== undefined) claims.iss = tamper.iss;
  if (tamper.aud !== undefined) claims.aud = tamper.aud;
  if (tamper.exp_in !== undefined) {
    const now = Math.floor(Date.now() / 1000);
    claims.exp = now + tamper.exp_in;
    claims.iat = Math.min(claims.iat, claims.exp - 1);
  }
  const key = await importJWK(signingKey, "RS256");
  ctx.body = { ...ctx.body, id_token: await new SignJWT(claims).setProtectedHeader(header).sign(key) };
});

const page = (body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>` +
  `<body><main><h1>Test identity provider</h1>${body}</main></body></html>`;

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error("interaction mismatch");
  if (req.method === "GET") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      page(
        `<form method="post" action="/interaction/${escape(uid)}/login">` +
          `<label for="login">Account</label> <input id="login" name="login" autofocus>` +
          ` <button type="submit">Sign in</button></form>` +
          `<form method="post" action="/interaction/${escape(uid)}/abort"><button type="submit">Cancel</button></form>`,
      ),
    );
    return;
  }
  let body = "";
  for await (const chunk of req) body += chunk;
  const login = new URLSearchParams(body).get("login") ?? "";
  const result =
    action === "abort"
      ? { error: "access_denied", error_description: "The person cancelled the sign-in." }
      : control().accounts?.[login]
        ? { login: { accountId: login } }
        : undefined;
  if (!result) {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(page(`<p role="alert">No account ${escape(login)}.</p><a href="/interaction/${escape(uid)}">Back</a>`));
    return;
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

const handle = provider.callback();
server.on("request", (req, res) => {
  // Browsers ask every site for an icon; this one has none to give.
  if (req.url === "/favicon.ico") {
    res.writeHead(204);
    res.end();
    return;
  }
  const match = req.url.match(/^\/interaction\/([\w-]+)(?:\/(login|abort))?$/);
  if (!match) return handle(req, res);
  interaction(req, res, match[1], match[2]).catch((error) => {
    res.writeHead(400, { "content-type": "text/plain" });
    res.end(`interaction failed: ${error.message}`);
  });
});
console.log(`listening on ${issuer}`);
