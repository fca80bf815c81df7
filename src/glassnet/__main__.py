"""``python -m glassnet`` runs the command line."""

from .cli import run

run()
