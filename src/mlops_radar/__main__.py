"""`python -m mlops_radar` runs the command line."""

from mlops_radar.cli import main

main()
