"""Argument types shared by the management commands."""

import argparse
import datetime as dt


def iso_date(value: str) -> dt.date:
    """argparse `type=` for --as-of: a clear message instead of a traceback."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}” is not a date (YYYY-MM-DD).") from None
