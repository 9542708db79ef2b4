"""The few lines of JavaScript a passkey needs: navigator.credentials with the server's
options (JSON, base64url binary fields), answering the JSON the server verifies, or
{"error": name} when the person cancels or the browser refuses. Run with rx.call_script,
whose callback gets the string."""

from __future__ import annotations

_HELPERS = (
    "const d = s => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')"
    " + '='.repeat((4 - s.length % 4) % 4)), c => c.charCodeAt(0));"
    "const e = b => btoa(String.fromCharCode(...new Uint8Array(b)))"
    ".replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');"
)


def _wrap(body: str) -> str:
    return (
        "(async () => { "
        + _HELPERS
        + " try { "
        + body
        + " } catch (err) { return JSON.stringify({error: String((err && err.name) || err)}); }"
        " })()"
    )


def create_script(options_json: str) -> str:
    """navigator.credentials.create() with registration options from passkeys."""
    return _wrap(
        f"const o = {options_json};"
        " o.challenge = d(o.challenge); o.user.id = d(o.user.id);"
        " (o.excludeCredentials || []).forEach(c => { c.id = d(c.id); });"
        " const c = await navigator.credentials.create({publicKey: o});"
        " return JSON.stringify({id: c.id, rawId: e(c.rawId), type: c.type,"
        " response: {clientDataJSON: e(c.response.clientDataJSON),"
        " attestationObject: e(c.response.attestationObject)}, clientExtensionResults: {}});"
    )


def get_script(options_json: str) -> str:
    """navigator.credentials.get() with login options from passkeys."""
    return _wrap(
        f"const o = {options_json};"
        " o.challenge = d(o.challenge);"
        " (o.allowCredentials || []).forEach(c => { c.id = d(c.id); });"
        " const c = await navigator.credentials.get({publicKey: o});"
        " return JSON.stringify({id: c.id, rawId: e(c.rawId), type: c.type,"
        " response: {clientDataJSON: e(c.response.clientDataJSON),"
        " authenticatorData: e(c.response.authenticatorData),"
        " signature: e(c.response.signature),"
        " userHandle: c.response.userHandle ? e(c.response.userHandle) : null},"
        " clientExtensionResults: {}});"
    )


def browser_error(result: object) -> str | None:
    """The error the script reported, if it did (a cancelled prompt is NotAllowedError)."""
    text = result if isinstance(result, str) else ""
    if not text or '"error"' in text[:20]:
        return "The passkey prompt was closed or refused. Try again."
    return None
