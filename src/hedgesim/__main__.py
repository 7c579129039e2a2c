"""``python -m hedgesim``: the command line, as the ``hedgesim`` script runs it."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="hedgesim")
