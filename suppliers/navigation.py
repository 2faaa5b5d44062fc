"""Back office menu entries of this domain (see config.navigation)."""

NAVIGATION = []
