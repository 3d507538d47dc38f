"""``python -m separ.cli``: the same command as the installed ``separ`` script."""

from separ.cli import main

main()
