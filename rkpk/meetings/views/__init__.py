"""Pages of the discussion meeting (step 6), one module per page group; rkpk.meetings.urls
lists them. Plain forms that work without JavaScript."""
