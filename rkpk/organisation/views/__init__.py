"""The organisation's screens, one module per page group; rkpk.organisation.urls lists them."""
