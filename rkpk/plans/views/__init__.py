"""The plans app's pages, one module per group of pages; `rkpk.plans.urls` lists the routes."""
