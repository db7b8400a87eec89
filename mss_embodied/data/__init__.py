"""Scenarios and where they come from: scene files, the official MSSBench loader and its state
derivation, procedural generation, images."""
