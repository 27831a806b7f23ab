"""Screens of complaints, one module per page group; rkpk.complaints.urls lists them.

A user who may not see a complaint gets 404; the register is 403 to those who do not read it.
"""
