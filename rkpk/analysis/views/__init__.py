"""The pages of the analysis app, by page group."""
