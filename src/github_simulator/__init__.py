"""A GitHub GraphQL API simulator on 127.0.0.1, for tests, benchmarks and `mlops-radar demo`."""
