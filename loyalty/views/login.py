"""The login page; in the demo (sandbox on, never production) it names the demo logins."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils.module_loading import import_string


def _demo_logins() -> list[tuple[str, str, str]]:
    # The domain never imports the demo app: a setting names the function (None in production).
    if not settings.POS_SANDBOX_ENABLED or not settings.LOGIN_PAGE_DEMO_LOGINS:
        return []
    return import_string(settings.LOGIN_PAGE_DEMO_LOGINS)()


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A newcomer walking the demo checkout should not have to look the logins up.
        context["demo_logins"] = _demo_logins()
        return context
