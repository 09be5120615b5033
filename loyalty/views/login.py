"""The login page; in the demo (sandbox on, never production) it names the demo logins."""

from django.conf import settings
from django.contrib.auth import views as auth_views

from loyalty.demo.people_data import demo_logins


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A newcomer walking the demo checkout should not have to look the logins up.
        context["demo_logins"] = demo_logins() if settings.POS_SANDBOX_ENABLED else []
        return context
