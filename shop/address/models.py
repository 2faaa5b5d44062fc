from oscar.apps.address.abstract_models import AbstractUserAddress

# An address printed the Chinese way: the recipient, then from the province down to the street (China is implied).
# Only the printing order changes: `hash_fields`, which tells remembered addresses apart, stays Oscar's.
CHINESE_ORDER = ["salutation", "state", "line4", "line3", "line2", "line1", "postcode"]


class UserAddress(AbstractUserAddress):
    base_fields = CHINESE_ORDER


from oscar.apps.address.models import *  # noqa: E402,F403
