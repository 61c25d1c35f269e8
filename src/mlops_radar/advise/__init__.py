"""The advise stage."""
