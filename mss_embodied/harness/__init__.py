"""The evaluation harness: run settings, the runner and its executors, the run folder, cache,
limits, progress and reports."""
