"""``python -m syndicate``."""

from .cli import main

main()
