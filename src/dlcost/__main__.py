"""``python -m dlcost`` runs the command line."""

from dlcost.cli.main import main

main()
