"""Production hardening (issue 13), imported by base.py: log-in and API-key limits per address,
idle sessions, the Content-Security-Policy, the keys of the secrets stored encrypted."""

from csp import constants as csp  # lower case: not itself a setting

from astro_site.env import env

# Beside the per-username limit, all log-ins from one address pause after this many failures
# of any usernames within the cool-off (issue 13: spraying every username once).
AXES_HANDLER = "loyalty.security.login_limits.AddressLimitHandler"
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_CLIENT_IP_CALLABLE = "loyalty.security.client_address.client_address"
# How many proxies of ours append to X-Forwarded-For (0: the header is not trusted).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# A register is shared: a session ends after this long without a request (default 12 h), and
# the cookie lasts no longer. The last request's time is saved at most every 5 minutes.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=12 * 3600)
SESSION_IDLE_REFRESH_SECONDS = 300
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT

# A strict Content-Security-Policy (issue 13): scripts, styles, images and requests only from
# our own origin, no inline script or style and no eval, no plugins, no framing. Every page's
# JavaScript lives in static/js/; htmx's indicator styles are in app.css, not injected.
# form-action is left out: Lightspeed's authorisation and the return to the register are
# redirects to the POS's own hosts after a form.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "frame-ancestors": [csp.NONE],
    }
}

# Secrets encrypted at rest (loyalty/models/encrypted.py): Fernet keys, newest first, comma-
# separated. Values are written with the first and read with any; to rotate, put a new key in
# front, run `manage.py rotate_encryption_keys`, then drop the old one. Unset here (the demo,
# tests), one key is derived from SECRET_KEY; production requires its own.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])

# Wrong API keys from one address: after this many within the window, 429 until it ends.
API_BAD_KEY_LIMIT = env.int("API_BAD_KEY_LIMIT", default=20)
API_BAD_KEY_WINDOW_SECONDS = env.int("API_BAD_KEY_WINDOW_SECONDS", default=600)
