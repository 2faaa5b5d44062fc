"""Oscar's sign-in, registration and sign-out, closed against account probing and sign-out by a stray link."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from oscar.apps.customer import views as oscar_views
from oscar.apps.customer.alerts import views as oscar_alert_views

from accounts.forms import RegistrationForm
from accounts.registration import registration_submit


class CheckYourMailbox:
    def register_user(self, form):
        registration_submit(request=self.request, form=form)

    def registration_done(self):
        return render(self.request, "accounts/check_mailbox.html", status=200)


class AccountAuthView(CheckYourMailbox, oscar_views.AccountAuthView):
    registration_form_class = RegistrationForm

    def validate_registration_form(self):
        form = self.get_registration_form(bind_data=True)
        if form.is_valid():
            self.register_user(form)
            return self.registration_done()
        return self.render_to_response(self.get_context_data(registration_form=form))


class AccountRegistrationView(CheckYourMailbox, oscar_views.AccountRegistrationView):
    form_class = RegistrationForm

    def form_valid(self, form):
        self.register_user(form)
        return self.registration_done()


class LogoutView(oscar_views.LogoutView):
    # A GET would let any page elsewhere sign a visitor out with an <img>; RedirectView.post signs out as get did.
    http_method_names = ["post", "options"]


class ProductAlertCancelView(oscar_alert_views.ProductAlertCancelView):
    def get_redirect_url(self, *args, **kwargs):
        target = super().get_redirect_url(*args, **kwargs)
        if url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            return target
        return self.alert.product.get_absolute_url()


def activate(request, uidb64, token):
    User = get_user_model()
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=False)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/activation_failed.html", status=400)
    user.is_active = True
    user.save(update_fields=["is_active"])
    messages.success(request, _("Your account is active. Sign in with your e-mail address and password."))
    return redirect("customer:login")
