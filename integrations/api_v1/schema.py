"""How the OpenAPI document describes our two ways to authenticate (loaded by the app)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "integrations.api_v1.auth.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: the key shown once when the store's admin issued it.",
        }


class BasicKeyScheme(OpenApiAuthenticationExtension):
    target_class = "integrations.api_v1.auth.BasicApiKeyAuthentication"
    name = "BasicApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "basic",
            "description": "The API username and the API key as the password.",
        }
