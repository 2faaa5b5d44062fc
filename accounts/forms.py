from oscar.apps.customer.forms import EmailUserCreationForm
from oscar.apps.customer.utils import normalise_email


class RegistrationForm(EmailUserCreationForm):
    """Oscar's registration form, minus the answer to "does this address have an account?".

    Whether the address is taken is decided after the form is valid (accounts.registration), and both outcomes look
    the same to the person registering.
    """

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def validate_unique(self):
        pass
