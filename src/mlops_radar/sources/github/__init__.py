"""GitHub GraphQL source: queries, parsing of answers into RepoFacts, and the batched collector."""
