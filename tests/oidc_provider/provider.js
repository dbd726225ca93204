// A real OpenID Connect provider configured like FranceConnect v2, for the tests only.
// Signed ID token and userinfo (ES256), nonce, acr "eidas1", RP-initiated logout (end session).
// The login is automatic (a fixed test identity); GET /__control?acr=…&tamper=0|1 changes the next answers.
import { generateKeyPairSync } from "node:crypto";
import Provider from "oidc-provider";

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const control = { acr: "eidas1", tamper: false };

const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const jwk = { ...privateKey.export({ format: "jwk" }), alg: "ES256", use: "sig", kid: "gru-test-key" };

const identity = {
    sub: "fc-sub-7f3a9c",
    given_name: "Angela Claire Louise",
    family_name: "DUBOIS",
    birthdate: "1962-08-24",
    email: process.env.FC_EMAIL || "angela.dubois@example.org",
};

const provider = new Provider(issuer, {
    clients: [
        {
            client_id: process.env.CLIENT_ID,
            client_secret: process.env.CLIENT_SECRET,
            redirect_uris: [process.env.REDIRECT_URI],
            post_logout_redirect_uris: [process.env.POST_LOGOUT_REDIRECT_URI],
            token_endpoint_auth_method: "client_secret_post",
            id_token_signed_response_alg: "ES256",
            userinfo_signed_response_alg: "ES256",
        },
    ],
    jwks: { keys: [jwk] },
    acrValues: ["eidas1", "eidas2", "eidas3"],
    scopes: ["openid", "given_name", "family_name", "birthdate", "email"],
    claims: {
        acr: null,
        given_name: ["given_name"],
        family_name: ["family_name"],
        birthdate: ["birthdate"],
        email: ["email"],
    },
    features: { jwtUserinfo: { enabled: true }, devInteractions: { enabled: false } },
    pkce: { required: () => false },
    cookies: { keys: ["gru-test-cookie-key"] },
    findAccount: async (ctx, sub) => ({
        accountId: sub,
        claims: async () => ({ ...identity, sub }),
    }),
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});

provider.use(async (ctx, next) => {
    if (ctx.path === "/__control") {
        control.acr = ctx.query.acr || "eidas1";
        control.tamper = ctx.query.tamper === "1";
        ctx.body = control;
        return;
    }
    if (ctx.path.startsWith("/interaction/")) {
        await finishInteraction(ctx);
        return;
    }
    await next();
    if (ctx.path === "/me" && control.tamper && typeof ctx.body === "string") {
        // Change one character of the payload: the signature no longer matches.
        const [header, payload, signature] = ctx.body.split(".");
        const flipped = payload.slice(0, -2) + (payload.at(-2) === "A" ? "B" : "A") + payload.at(-1);
        ctx.body = [header, flipped, signature].join(".");
    }
});

async function finishInteraction(ctx) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    let result;
    if (details.prompt.name === "login") {
        result = { login: { accountId: identity.sub, acr: control.acr } };
    } else {
        const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
        grant.addOIDCScope(details.params.scope);
        grant.addOIDCClaims(["acr"]);
        result = { consent: { grantId: await grant.save() } };
    }
    const redirectTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
    ctx.status = 303;
    ctx.redirect(redirectTo);
}

provider.listen(port, "127.0.0.1", () => console.log(`ready ${issuer}`));
