"""What every XLSX export passes its cells through."""

# Text a spreadsheet could read as a formula (CSV/formula injection).
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value safe to put in a spreadsheet cell: text that a spreadsheet could read as a
    formula gets an apostrophe in front. Other values pass unchanged."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value
