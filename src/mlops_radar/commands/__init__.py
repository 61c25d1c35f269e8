"""The CLI's commands, one module per stage; `mlops_radar.cli` assembles them."""
