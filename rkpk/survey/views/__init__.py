"""Pages of the satisfaction survey, one module per page group; rkpk.survey.urls lists them."""
