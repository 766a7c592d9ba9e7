"""Pure tests: the model, ranks, operations, the merge and identity, with no files."""
